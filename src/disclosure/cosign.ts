import type { Signer } from "ethers";
import type { DisclosureRegistry } from "../../typechain-types";

/** A co-signer (the agency's auditor, say) signs `root` off chain: EIP-712 CoSign(bytes32 root). */
export async function signCoSignature(registry: DisclosureRegistry, signer: Signer, root: string): Promise<string> {
  const d = await registry.eip712Domain();
  const domain = { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
  return signer.signTypedData(domain, { CoSign: [{ name: "root", type: "bytes32" }] }, { root });
}

/** Submits collected co-signatures, sorted by signer as the registry requires. */
export async function submitCoSignatures(
  registry: DisclosureRegistry,
  root: string,
  policy: { signers: string[]; threshold: number },
  signatures: { signer: string; signature: string }[],
) {
  const byAddress = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : 1);
  const signers = [...policy.signers].sort(byAddress);
  const sorted = [...signatures].sort((a, b) => byAddress(a.signer, b.signer));
  return registry.coSign(
    root,
    signers,
    policy.threshold,
    sorted.map((s) => s.signer),
    sorted.map((s) => s.signature),
  );
}
