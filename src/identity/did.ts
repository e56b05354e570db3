import { getAddress, isAddress } from "ethers";

/** The DID method name: `did:govchain:<chainId>:<address>`. */
export const DID_METHOD = "govchain";

export interface ParsedDid {
  chainId: bigint;
  address: string;
}

/** `did:govchain:<chainId>:<checksummed address>` for an address on a chain. */
export function toDid(chainId: bigint | number, address: string): string {
  return `did:${DID_METHOD}:${BigInt(chainId)}:${getAddress(address)}`;
}

/** Parses a govchain DID; throws a message naming the part that is wrong. */
export function parseDid(did: string): ParsedDid {
  const parts = did.split(":");
  if (parts.length !== 4 || parts[0] !== "did" || parts[1] !== DID_METHOD) {
    throw new Error(`Not a did:${DID_METHOD} DID: "${did}" (expected did:${DID_METHOD}:<chainId>:<address>)`);
  }
  if (!/^[0-9]+$/.test(parts[2])) throw new Error(`Bad chain id "${parts[2]}" in ${did}`);
  if (!isAddress(parts[3])) throw new Error(`Bad address "${parts[3]}" in ${did}`);
  return { chainId: BigInt(parts[2]), address: getAddress(parts[3]) };
}

/** Accepts either a DID or a bare address, returns the address. */
export function didAddress(didOrAddress: string): string {
  return didOrAddress.startsWith("did:") ? parseDid(didOrAddress).address : getAddress(didOrAddress);
}
