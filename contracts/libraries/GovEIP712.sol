// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

/**
 * @title GovEIP712
 * @notice EIP-712 domain for GovChain services behind proxies: name and version are compile-time constants of the
 * implementation, chain id and verifying contract (the proxy) are read at call time, so the domain costs no storage
 * read (OpenZeppelin's EIP712Upgradeable reads two strings from storage on every signed call) and a signature made
 * for another chain or another deployment never verifies.
 */
abstract contract GovEIP712 is IERC5267 {
    bytes32 private constant _DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );

    /// @dev The domain name and version, e.g. ("GovChain DIDRegistry", "1"). Keep them stable across upgrades.
    function _domainNameAndVersion() internal pure virtual returns (string memory name, string memory version);

    /// @dev keccak256 of the name and version; implemented as constants by the service.
    function _domainHashes() internal pure virtual returns (bytes32 nameHash, bytes32 versionHash);

    /// @notice The EIP-712 domain separator of this service on this chain.
    function domainSeparator() public view returns (bytes32) {
        (bytes32 nameHash, bytes32 versionHash) = _domainHashes();
        return keccak256(abi.encode(_DOMAIN_TYPEHASH, nameHash, versionHash, block.chainid, address(this)));
    }

    /// @inheritdoc IERC5267
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        (name, version) = _domainNameAndVersion();
        return (hex"0f", name, version, block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    function _hashTypedData(bytes32 structHash) internal view returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(domainSeparator(), structHash);
    }
}
