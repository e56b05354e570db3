// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/**
 * @title GovSignatures
 * @notice Signature check for relayed operations: a 65-byte ECDSA signature that recovers to `signer` is accepted at
 * once; otherwise `signer` is asked through ERC-1271 (contract wallets, multisigs).
 * @dev OpenZeppelin's SignatureChecker looks at the signer's code size first, which costs a cold account access
 * (2,600 gas) on every EOA signature, and copies the signature to memory. Reading r, s and v straight from calldata
 * and trying ECDSA first is as safe: no one can produce an ECDSA signature that recovers to an address without its
 * private key, and a contract address has none. ECDSA.tryRecover still rejects malleable (high-s) signatures.
 */
library GovSignatures {
    function isValidNow(address signer, bytes32 digest, bytes calldata signature) internal view returns (bool) {
        if (signature.length == 65) {
            bytes32 r;
            bytes32 s;
            uint8 v;
            assembly ("memory-safe") {
                r := calldataload(signature.offset)
                s := calldataload(add(signature.offset, 0x20))
                v := byte(0, calldataload(add(signature.offset, 0x40)))
            }
            (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, v, r, s);
            if (err == ECDSA.RecoverError.NoError && recovered == signer) return true;
        }
        return SignatureChecker.isValidERC1271SignatureNow(signer, digest, signature);
    }
}
