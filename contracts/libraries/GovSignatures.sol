// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/**
 * @title GovSignatures
 * @notice Signature check for relayed operations: an ECDSA signature that recovers to `signer` is accepted at once;
 * otherwise `signer` is asked through ERC-1271 (contract wallets, multisigs).
 * @dev OpenZeppelin's SignatureChecker looks at the signer's code size first, which costs a cold account access
 * (2,600 gas) on every EOA signature. Trying ECDSA first is as safe: no one can produce an ECDSA signature that
 * recovers to an address without its private key, and a contract address has none.
 */
library GovSignatures {
    function isValidNow(address signer, bytes32 digest, bytes memory signature) internal view returns (bool) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == signer) return true;
        return SignatureChecker.isValidERC1271SignatureNow(signer, digest, signature);
    }
}
