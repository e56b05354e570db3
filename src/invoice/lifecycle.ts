import type { Signer } from "ethers";
import type { InvoiceRegistry } from "../../typechain-types";
import { invoiceNumber, loadInvoice, type Invoice } from "./model";

/**
 * The lifecycle calls of an invoice, each taking the invoice id; the recorded invoice data the registry checks
 * against its hash is read back from the InvoiceIssued event when not given.
 */
async function recorded(registry: InvoiceRegistry, invoiceId: bigint, invoice?: Invoice): Promise<Invoice> {
  return invoice ?? loadInvoice(registry, invoiceId);
}

async function domainOf(registry: InvoiceRegistry) {
  const d = await registry.eip712Domain();
  return { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
}

export const ACCEPT_TYPES = {
  Accept: [
    { name: "invoiceId", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export const REIMBURSE_TYPES = {
  Reimburse: [
    { name: "invoiceId", type: "uint256" },
    { name: "reimburser", type: "address" },
    { name: "claimReference", type: "bytes32" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The buyer signs its acceptance off chain; any relayer submits it with `acceptInvoice({ signature })`. */
export async function signAcceptance(registry: InvoiceRegistry, buyer: Signer, invoiceId: bigint, deadline: bigint) {
  return buyer.signTypedData(await domainOf(registry), ACCEPT_TYPES, { invoiceId, deadline });
}

/** A reimbursing organization signs its claim off chain; any relayer submits it. */
export async function signReimbursement(
  registry: InvoiceRegistry,
  reimburser: Signer,
  params: { invoiceId: bigint; claimReference: string; deadline: bigint },
) {
  return reimburser.signTypedData(await domainOf(registry), REIMBURSE_TYPES, {
    ...params,
    reimburser: await reimburser.getAddress(),
  });
}

/** Accepts as the registry's signer (the buyer), or relays the buyer's signature. */
export async function acceptInvoice(
  registry: InvoiceRegistry,
  invoiceId: bigint,
  options: { invoice?: Invoice; signature?: { deadline: bigint; signature: string } } = {},
) {
  const invoice = await recorded(registry, invoiceId, options.invoice);
  if (options.signature) {
    return registry.acceptBySig(invoiceId, invoice, options.signature.deadline, options.signature.signature);
  }
  return registry.accept(invoiceId, invoice);
}

/**
 * Pays `amount` (minor units): in allow-listed ERC-20 `token` (the signer's tokens go to the holder; approve the
 * registry first), or, without a token, records a payment received off chain under `paymentReference` (holder only).
 */
export async function payInvoice(
  registry: InvoiceRegistry,
  invoiceId: bigint,
  params: { amount: bigint; token?: string; paymentReference?: string; invoice?: Invoice },
) {
  const invoice = await recorded(registry, invoiceId, params.invoice);
  if (params.token) return registry.pay(invoiceId, invoice, params.token, params.amount);
  if (!params.paymentReference) throw new Error("give a token to pay in, or the reference of an off-chain payment");
  return registry.recordPayment(invoiceId, invoice, params.amount, params.paymentReference);
}

/** Issues a credit note for all or part of `originalId` (its seller). */
export async function issueCreditNote(
  registry: InvoiceRegistry,
  originalId: bigint,
  /** number: the credit note's own number (text or bytes32) */
  credit: { number: string; amount: bigint; tax: bigint; issueDate: bigint; documentHash: string },
  original?: Invoice,
) {
  const recordedOriginal = await recorded(registry, originalId, original);
  return registry.issueCreditNote(originalId, recordedOriginal, {
    ...credit,
    number: invoiceNumber(credit.number),
    buyer: recordedOriginal.terms.buyer,
    currency: recordedOriginal.terms.currency,
    dueDate: 0n,
  });
}

export async function voidInvoice(registry: InvoiceRegistry, invoiceId: bigint, reasonHash: string, invoice?: Invoice) {
  return registry.voidInvoice(invoiceId, await recorded(registry, invoiceId, invoice), reasonHash);
}

export async function markDeducted(registry: InvoiceRegistry, invoiceId: bigint, invoice?: Invoice) {
  return registry.markDeducted(invoiceId, await recorded(registry, invoiceId, invoice));
}
