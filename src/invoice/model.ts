import { AbiCoder, keccak256, decodeBytes32String, encodeBytes32String, type Log } from "ethers";
import type { InvoiceRegistry } from "../../typechain-types";
import type { IInvoiceRegistry } from "../../typechain-types/contracts/invoice/InvoiceRegistry";

/** Mirrors IInvoiceRegistry.Status. */
export enum InvoiceStatus {
  None,
  Issued,
  Accepted,
  PartiallyPaid,
  Paid,
  Reimbursed,
  Voided,
  Reversed,
}

/** Participant capabilities (IInvoiceRegistry.Participant). */
export const Capability = { SELLER: 1, REIMBURSER: 2 } as const;

/** The invoice terms a seller issues (amounts in minor units of the currency). */
export interface InvoiceTerms {
  buyer: string;
  number: string; // bytes32
  amount: bigint;
  tax: bigint;
  currency: number; // ISO 4217 numeric
  issueDate: bigint;
  dueDate: bigint;
  documentHash: string;
}

/** An invoice as recorded: what the InvoiceIssued event published and the registry's hash commits to. */
export interface Invoice {
  seller: string;
  issuedAt: bigint;
  period: number;
  original: bigint;
  terms: InvoiceTerms;
}

const coder = AbiCoder.defaultAbiCoder();
const INVOICE_TUPLE =
  "tuple(address seller,uint40 issuedAt,uint32 period,uint256 original," +
  "tuple(address buyer,bytes32 number,uint80 amount,uint80 tax,uint16 currency,uint40 issueDate,uint40 dueDate,bytes32 documentHash) terms)";

/** The id of `seller`'s invoice `number` (a text up to 31 bytes, or bytes32): keccak256(abi.encode(seller, number)). */
export function invoiceIdOf(seller: string, number: string): bigint {
  return BigInt(keccak256(coder.encode(["address", "bytes32"], [seller, invoiceNumber(number)])));
}

/** An invoice number as bytes32 text ("044031900111-00012345"); a 0x-prefixed bytes32 passes through. */
export function invoiceNumber(number: string): string {
  if (/^0x[0-9a-fA-F]{64}$/.test(number)) return number;
  if (number.length === 0) throw new Error("invoice number is empty");
  return encodeBytes32String(number); // throws above 31 bytes
}

export function numberText(number: string): string {
  try {
    return decodeBytes32String(number);
  } catch {
    return number;
  }
}

/** The hash the registry keeps for an invoice. */
export function invoiceDataHash(invoice: Invoice): string {
  return keccak256(coder.encode([INVOICE_TUPLE], [invoice]));
}

export function toInvoice(struct: IInvoiceRegistry.InvoiceStructOutput): Invoice {
  const t = struct.terms;
  return {
    seller: struct.seller,
    issuedAt: struct.issuedAt,
    period: Number(struct.period),
    original: struct.original,
    terms: {
      buyer: t.buyer,
      number: t.number,
      amount: t.amount,
      tax: t.tax,
      currency: Number(t.currency),
      issueDate: t.issueDate,
      dueDate: t.dueDate,
      documentHash: t.documentHash,
    },
  };
}

/** The recorded invoice `invoiceId`, read back from its InvoiceIssued event. */
export async function loadInvoice(registry: InvoiceRegistry, invoiceId: bigint): Promise<Invoice> {
  const events = await registry.queryFilter(registry.filters.InvoiceIssued(invoiceId), 0);
  if (events.length === 0) throw new Error(`No invoice ${invoiceId} on this registry`);
  return toInvoice(events[0].args.invoice);
}

/** The invoices of a transaction's InvoiceIssued events, in order. */
export function invoicesInReceipt(registry: InvoiceRegistry, logs: readonly Log[]): { id: bigint; invoice: Invoice }[] {
  const out = [];
  for (const log of logs) {
    const parsed = registry.interface.parseLog(log);
    if (parsed?.name === "InvoiceIssued")
      out.push({ id: parsed.args.invoiceId as bigint, invoice: toInvoice(parsed.args.invoice) });
  }
  return out;
}

export interface HistoryEntry {
  block: number;
  transaction: string;
  event: string;
  args: Record<string, unknown>;
}

/** Every event of an invoice, oldest first: issue, acceptance, payments, transfers, credits, freezes, reimbursement. */
export async function invoiceHistory(registry: InvoiceRegistry, invoiceId: bigint): Promise<HistoryEntry[]> {
  const address = await registry.getAddress();
  const provider = registry.runner!.provider!;
  const idTopic = "0x" + invoiceId.toString(16).padStart(64, "0");
  const transferTopic = registry.interface.getEvent("Transfer").topicHash;
  const [own, transfers, credits] = await Promise.all([
    provider.getLogs({ address, fromBlock: 0, topics: [null, idTopic] }),
    provider.getLogs({ address, fromBlock: 0, topics: [transferTopic, null, null, idTopic] }),
    // as the credit note of another invoice
    provider.getLogs({
      address,
      fromBlock: 0,
      topics: [registry.interface.getEvent("InvoiceCredited").topicHash, null, idTopic],
    }),
  ]);
  const entries: (HistoryEntry & { index: number })[] = [];
  for (const log of [...own, ...transfers, ...credits]) {
    const parsed = registry.interface.parseLog(log);
    if (!parsed) continue;
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((input, i) => {
      const value = parsed.args[i];
      args[input.name] = input.name === "invoice" ? toInvoice(value) : value;
    });
    entries.push({
      block: log.blockNumber,
      transaction: log.transactionHash,
      event: parsed.name,
      args,
      index: log.index,
    });
  }
  // The three queries never return the same log: an invoice is never its own credit note, and a Transfer's first
  // topic is an address, never an invoice id.
  entries.sort((a, b) => a.block - b.block || a.index - b.index);
  return entries.map(({ index: _index, ...entry }) => entry);
}

export interface TaxReport {
  seller: string;
  period: number;
  taxIssued: bigint;
  taxReversed: bigint;
  taxDue: bigint;
  invoices: number;
  reversals: number;
}

/** A seller's tax totals for one period (yyyymm, or "2026-11"). */
export async function taxReport(
  registry: InvoiceRegistry,
  seller: string,
  period: number | string,
): Promise<TaxReport> {
  const p = parsePeriod(period);
  const totals = await registry.taxTotals(seller, p);
  return {
    seller,
    period: p,
    taxIssued: totals.taxIssued,
    taxReversed: totals.taxReversed,
    taxDue: totals.taxIssued - totals.taxReversed,
    invoices: Number(totals.invoices),
    reversals: Number(totals.reversals),
  };
}

export function parsePeriod(period: number | string): number {
  const text = String(period).trim();
  const match = /^(\d{4})-?(\d{2})$/.exec(text);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) {
    throw new Error(`period "${text}" is not a month like 2026-11 or 202611`);
  }
  return Number(match[1]) * 100 + Number(match[2]);
}
