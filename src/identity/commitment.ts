import { AbiCoder, hexlify, keccak256, randomBytes } from "ethers";

/**
 * The salted commitment of a real-world identifier that goes on chain instead of the identifier:
 * keccak256(abi.encode(scheme, idNumber, salt)). The salt (32 random bytes) stays with the registrar; without it,
 * guessing the ID number means trying 2^256 salts for each candidate, so low-entropy ID numbers cannot be brute-forced.
 */
export function idCommitment(scheme: string, idNumber: string, salt: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(salt)) throw new Error("salt must be 32 bytes as 0x-prefixed hex");
  return keccak256(AbiCoder.defaultAbiCoder().encode(["string", "string", "bytes32"], [scheme, idNumber, salt]));
}

/** 32 fresh random bytes for a commitment salt. */
export function randomSalt(): string {
  return hexlify(randomBytes(32));
}
