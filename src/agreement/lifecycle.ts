import { ZeroHash, type Signer, type TypedDataField } from "ethers";
import type { AgreementEscrow } from "../../typechain-types";
import { IERC20__factory } from "../../typechain-types";
import { agreementIdOf, loadAgreement, keyOf, NATIVE, type AgreementInput, type AgreementKey } from "./model";

/**
 * Every call of an agreement's life takes the agreement id and, optionally, its key (parties, arbiters, token...),
 * which the escrow checks against its hash. Callers that hold the key pass it; otherwise it is read back from the
 * AgreementCreated event, one log query per call.
 */
async function keyFor(escrow: AgreementEscrow, agreementId: bigint, key?: AgreementKey): Promise<AgreementKey> {
  return key ?? keyOf(await loadAgreement(escrow, agreementId));
}

async function domainOf(escrow: AgreementEscrow) {
  const d = await escrow.eip712Domain();
  return { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
}

export const SIGN_TYPES: Record<string, TypedDataField[]> = { Sign: [{ name: "agreementId", type: "uint256" }] };
export const AMEND_TYPES: Record<string, TypedDataField[]> = {
  Amend: [
    { name: "agreementId", type: "uint256" },
    { name: "milestone", type: "uint8" },
    { name: "amount", type: "uint96" },
    { name: "dueDate", type: "uint40" },
    { name: "nonce", type: "uint8" },
  ],
};
export const SETTLE_TYPES: Record<string, TypedDataField[]> = {
  Settle: [
    { name: "agreementId", type: "uint256" },
    { name: "milestone", type: "uint8" },
    { name: "toSupplier", type: "uint96" },
    { name: "deadline", type: "uint256" },
  ],
};

/** A party signs the agreement off chain (EIP-712 `Sign(uint256 agreementId)`). */
export async function signAgreement(escrow: AgreementEscrow, party: Signer, agreementId: bigint): Promise<string> {
  return party.signTypedData(await domainOf(escrow), SIGN_TYPES, { agreementId });
}

/**
 * The `signatures` array `create` and `sign` take: parties[i]'s signature where one of `signers` is that party,
 * "0x" elsewhere (the caller itself, or a party that signs later).
 */
export async function collectSignatures(
  escrow: AgreementEscrow,
  agreementId: bigint,
  parties: string[],
  signers: Signer[],
): Promise<string[]> {
  const byAddress = new Map(
    await Promise.all(signers.map(async (s) => [(await s.getAddress()).toLowerCase(), s] as const)),
  );
  return Promise.all(
    parties.map((p) => {
      const signer = byAddress.get(p.toLowerCase());
      return signer ? signAgreement(escrow, signer, agreementId) : "0x";
    }),
  );
}

/** A party signs an amendment of one milestone; `nonce` is the agreement's amendment count. */
export async function signAmendment(
  escrow: AgreementEscrow,
  party: Signer,
  params: { agreementId: bigint; milestone: number; amount: bigint; dueDate: bigint; nonce: number },
): Promise<string> {
  return party.signTypedData(await domainOf(escrow), AMEND_TYPES, params);
}

/** Payer or supplier signs a settlement of one milestone: `toSupplier` to the supplier, the rest to the payer. */
export async function signSettlement(
  escrow: AgreementEscrow,
  side: Signer,
  params: { agreementId: bigint; milestone: number; toSupplier: bigint; deadline: bigint },
): Promise<string> {
  return side.signTypedData(await domainOf(escrow), SETTLE_TYPES, params);
}

/**
 * Creates an agreement; with a signature from every party (`signatures[i]` for parties[i], "0x" where the
 * creator itself is that party or to leave it for later) it is Signed at once. Returns the id and the transaction.
 */
export async function createAgreement(
  escrow: AgreementEscrow,
  input: AgreementInput,
  options: { salt?: string; signatures?: string[] } = {},
) {
  const salt = options.salt ?? ZeroHash;
  const id = agreementIdOf(input, salt);
  const tx = await escrow.create(input, salt, options.signatures ?? []);
  return { id, tx };
}

/** Adds signatures collected off chain, and the caller's own if it is a party. */
export async function signOnChain(
  escrow: AgreementEscrow,
  agreementId: bigint,
  signatures: string[] = [],
  key?: AgreementKey,
) {
  return escrow.sign(agreementId, await keyFor(escrow, agreementId, key), signatures);
}

/** Funds the agreement: approves the escrow first for an ERC-20, sends value for the native coin. */
export async function fundAgreement(escrow: AgreementEscrow, agreementId: bigint, amount: bigint, key?: AgreementKey) {
  const k = await keyFor(escrow, agreementId, key);
  if (k.token === NATIVE) return escrow.fund(agreementId, k, amount, { value: amount });
  const signer = escrow.runner as Signer;
  const token = IERC20__factory.connect(k.token, signer);
  const owner = await signer.getAddress();
  if ((await token.allowance(owner, await escrow.getAddress())) < amount) {
    await (await token.approve(await escrow.getAddress(), amount)).wait();
  }
  return escrow.fund(agreementId, k, amount);
}

export async function submitMilestone(
  escrow: AgreementEscrow,
  agreementId: bigint,
  milestone: number,
  deliverableHash: string,
  key?: AgreementKey,
) {
  return escrow.submit(agreementId, await keyFor(escrow, agreementId, key), milestone, deliverableHash);
}

export async function approveMilestone(
  escrow: AgreementEscrow,
  agreementId: bigint,
  milestone: number,
  key?: AgreementKey,
) {
  return escrow.approve(agreementId, await keyFor(escrow, agreementId, key), milestone);
}

export async function reclaimMilestone(
  escrow: AgreementEscrow,
  agreementId: bigint,
  milestone: number,
  key?: AgreementKey,
) {
  return escrow.reclaim(agreementId, await keyFor(escrow, agreementId, key), milestone);
}

export async function disputeMilestone(
  escrow: AgreementEscrow,
  agreementId: bigint,
  milestone: number,
  evidenceURI: string,
  key?: AgreementKey,
) {
  return escrow.dispute(agreementId, await keyFor(escrow, agreementId, key), milestone, evidenceURI);
}

export async function ruleMilestone(
  escrow: AgreementEscrow,
  agreementId: bigint,
  milestone: number,
  toSupplier: bigint,
  key?: AgreementKey,
) {
  return escrow.rule(agreementId, await keyFor(escrow, agreementId, key), milestone, toSupplier);
}

export async function settleMilestone(
  escrow: AgreementEscrow,
  agreementId: bigint,
  params: {
    milestone: number;
    toSupplier: bigint;
    deadline: bigint;
    payerSignature: string;
    supplierSignature: string;
  },
  key?: AgreementKey,
) {
  return escrow.settle(
    agreementId,
    await keyFor(escrow, agreementId, key),
    params.milestone,
    params.toSupplier,
    params.deadline,
    params.payerSignature,
    params.supplierSignature,
  );
}

export async function amendMilestone(
  escrow: AgreementEscrow,
  agreementId: bigint,
  params: { milestone: number; amount: bigint; dueDate: bigint; signatures: string[] },
  key?: AgreementKey,
) {
  return escrow.amend(
    agreementId,
    await keyFor(escrow, agreementId, key),
    params.milestone,
    params.amount,
    params.dueDate,
    params.signatures,
  );
}

export async function cancelAgreement(escrow: AgreementEscrow, agreementId: bigint, key?: AgreementKey) {
  return escrow.cancel(agreementId, await keyFor(escrow, agreementId, key));
}

export async function closeAgreement(escrow: AgreementEscrow, agreementId: bigint, key?: AgreementKey) {
  return escrow.close(agreementId, await keyFor(escrow, agreementId, key));
}

export async function releaseRetention(escrow: AgreementEscrow, agreementId: bigint, key?: AgreementKey) {
  return escrow.releaseRetention(agreementId, await keyFor(escrow, agreementId, key));
}
