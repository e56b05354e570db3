import { isAddress, keccak256, toUtf8Bytes, type Signer } from "ethers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { runBatch, type BatchJob, type BatchOptions, type BatchSummary } from "../batch/engine";
import { readRecords, type LineError } from "../util/csv";
import { parseTime } from "../util/time";
import { didAddress } from "../identity/did";
import { randomSalt } from "../identity/commitment";
import type { InvoiceRegistry } from "../../typechain-types";
import { invoiceIdOf, invoiceNumber, InvoiceStatus, type InvoiceTerms } from "./model";

/** ISO 4217: alphabetic code -> numeric code and minor digits, for the currencies GovChain networks settle in. */
export const CURRENCIES: Record<string, { code: number; digits: number }> = {
  CNY: { code: 156, digits: 2 },
  HKD: { code: 344, digits: 2 },
  EUR: { code: 978, digits: 2 },
  USD: { code: 840, digits: 2 },
  GBP: { code: 826, digits: 2 },
  SGD: { code: 702, digits: 2 },
  JPY: { code: 392, digits: 0 },
  KRW: { code: 410, digits: 0 },
};

/** A currency as "CNY" or "156": its numeric code and minor digits (2 for numeric codes not listed). */
export function parseCurrency(value: string): { code: number; digits: number } {
  const text = value.trim().toUpperCase();
  if (CURRENCIES[text]) return CURRENCIES[text];
  if (/^[0-9]{1,3}$/.test(text) && Number(text) > 0) {
    const known = Object.values(CURRENCIES).find((c) => c.code === Number(text));
    return known ?? { code: Number(text), digits: 2 };
  }
  throw new Error(`"${value}" is not an ISO 4217 currency (e.g. CNY or 156)`);
}

const UINT80_MAX = (1n << 80n) - 1n;

/** "1234.56" in a currency with 2 minor digits -> 123456n. Rejects more decimals than the currency has. */
export function parseAmount(value: string, digits: number): bigint {
  const text = value.trim();
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(text);
  if (!match) throw new Error(`"${value}" is not an amount like 1234.56`);
  const decimals = match[2] ?? "";
  if (decimals.length > digits) throw new Error(`"${value}" has more than ${digits} decimals`);
  const minor = BigInt(match[1] + decimals.padEnd(digits, "0"));
  if (minor > UINT80_MAX) throw new Error(`"${value}" is too large`);
  return minor;
}

export function formatAmount(minor: bigint, digits = 2): string {
  if (digits === 0) return minor.toString();
  const text = minor.toString().padStart(digits + 1, "0");
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * The problems the registry would reject these terms for, as (field, message) pairs: the same checks as
 * InvoiceRegistry._mint, so a batch file is refused line by line before anything is sent.
 */
export function termsProblems(terms: InvoiceTerms, seller: string, now: bigint): { field: string; message: string }[] {
  const problems = [];
  if (BigInt(terms.number) === 0n) problems.push({ field: "number", message: "is empty" });
  if (BigInt(terms.buyer) === 0n || terms.buyer.toLowerCase() === seller.toLowerCase())
    problems.push({ field: "buyer", message: "must be a DID other than the seller's" });
  if (terms.amount === 0n && terms.tax === 0n) problems.push({ field: "amount", message: "amount and tax are both 0" });
  if (terms.issueDate === 0n || terms.issueDate > now + 3600n)
    problems.push({ field: "issueDate", message: "is missing or more than an hour in the future" });
  if (terms.dueDate !== 0n && terms.dueDate < terms.issueDate)
    problems.push({ field: "dueDate", message: "is before issueDate" });
  if (BigInt(terms.documentHash) === 0n) problems.push({ field: "documentHash", message: "is empty" });
  return problems;
}

/**
 * A salted per-field hash tree of an invoice document: the root is the `documentHash`; later one field (say the
 * total) can be disclosed with its salt and proof, without revealing the others. Keep the salts with the document.
 */
export function invoiceFieldTree(fields: Record<string, string>, salts: Record<string, string> = {}) {
  const entries = Object.keys(fields)
    .sort()
    .map((name) => {
      const salt = salts[name] ?? randomSalt();
      return [name, keccak256(toUtf8Bytes(fields[name])), salt] as [string, string, string];
    });
  const tree = StandardMerkleTree.of(entries, ["string", "bytes32", "bytes32"]);
  return {
    root: tree.root,
    salts: Object.fromEntries(entries.map(([name, , salt]) => [name, salt])),
    /** The disclosure of one field: its value, salt and proof against the root. */
    disclose(name: string) {
      const index = entries.findIndex(([n]) => n === name);
      if (index < 0) throw new Error(`no field "${name}"`);
      return { name, value: fields[name], salt: entries[index][2], proof: tree.getProof(index) };
    },
  };
}

/** Checks a disclosed field against an invoice's documentHash. */
export function verifyField(
  documentHash: string,
  field: { name: string; value: string; salt: string; proof: string[] },
): boolean {
  return StandardMerkleTree.verify(
    documentHash,
    ["string", "bytes32", "bytes32"],
    [field.name, keccak256(toUtf8Bytes(field.value)), field.salt],
    field.proof,
  );
}

/** The document hash of a file's bytes (keccak-256), for invoices whose document is one PDF or XML file. */
export function documentHashOf(bytes: Uint8Array): string {
  return keccak256(bytes);
}

function addressOrDid(value: string): string {
  if (!value.startsWith("did:") && !isAddress(value))
    throw new Error(`"${value}" is not an address or did:govchain DID`);
  return didAddress(value);
}

/** A row of an invoice file, validated: the terms and the line they came from. */
export type ParsedInvoice = InvoiceTerms & { line: number };

/**
 * Reads an invoice batch file (CSV or JSONL) as a stream and validates every line before anything is sent.
 * Columns: buyer (address or DID), number (text up to 31 bytes), amount and tax (major units, e.g. 1000.00),
 * currency (CNY or 156), issueDate (date or unix seconds; default now), dueDate (optional), documentHash (bytes32).
 */
export async function parseInvoiceFile(
  file: string,
  seller: string,
  now: bigint = BigInt(Math.floor(Date.now() / 1000)),
): Promise<{ invoices: ParsedInvoice[]; errors: LineError[] }> {
  const invoices: ParsedInvoice[] = [];
  const errors: LineError[] = [];
  const seen = new Map<string, number>();
  for await (const { line, fields } of readRecords(file)) {
    if (fields.__error) {
      errors.push({ line, field: "(line)", message: fields.__error });
      continue;
    }
    const before = errors.length;
    const field = <T>(name: string, parse: (v: string) => T, fallback: T): T => {
      try {
        return parse(fields[name] ?? "");
      } catch (error) {
        errors.push({ line, field: name, message: (error as Error).message });
        return fallback;
      }
    };
    const buyer = field("buyer", addressOrDid, "");
    const number = field("number", invoiceNumber, "");
    const currency = field("currency", parseCurrency, { code: 0, digits: 2 });
    const amount = field("amount", (v) => parseAmount(v, currency.digits), 0n);
    const tax = field("tax", (v) => parseAmount(v || "0", currency.digits), 0n);
    const issueDate = field("issueDate", (v) => (v ? parseTime(v) : now), 0n);
    const dueDate = field("dueDate", parseTime, 0n);
    const documentHash = field(
      "documentHash",
      (v) => {
        if (!/^0x[0-9a-fA-F]{64}$/.test(v)) throw new Error("must be 32 bytes as 0x-prefixed hex");
        return v;
      },
      "",
    );
    if (errors.length > before) continue;
    const terms = { buyer, number, amount, tax, currency: currency.code, issueDate, dueDate, documentHash };
    for (const problem of termsProblems(terms, seller, now)) errors.push({ line, ...problem });
    const first = seen.get(number);
    if (first !== undefined) errors.push({ line, field: "number", message: `is already on line ${first}` });
    else seen.set(number, line);
    if (errors.length === before) invoices.push({ line, ...terms });
  }
  return { invoices, errors };
}

function toTermsStruct(t: InvoiceTerms) {
  return {
    buyer: t.buyer,
    number: t.number,
    amount: t.amount,
    tax: t.tax,
    currency: t.currency,
    issueDate: t.issueDate,
    dueDate: t.dueDate,
    documentHash: t.documentHash,
  };
}

/** Issues one invoice from the registry's signer (a registered seller). */
export function issueInvoice(registry: InvoiceRegistry, terms: InvoiceTerms) {
  return registry.issue(toTermsStruct(terms));
}

/** The invoice issuance job for the batch engine: one `issueBatch` per chunk, keyed by invoice number. */
export function invoiceIssuanceJob(
  registry: InvoiceRegistry,
  seller: string,
  invoices: InvoiceTerms[],
): BatchJob<InvoiceTerms> {
  return {
    name: "invoice:batch-issue",
    records: invoices,
    keyOf: (t) => t.number,
    isRecorded: async (records) => {
      const out: boolean[] = [];
      for (let i = 0; i < records.length; i += 50) {
        const part = await Promise.all(
          records.slice(i, i + 50).map((t) => registry.invoiceOf(invoiceIdOf(seller, t.number))),
        );
        out.push(...part.map((v) => Number(v.status) !== InvoiceStatus.None));
      }
      return out;
    },
    buildTx: (chunk) => registry.issueBatch.populateTransaction(chunk.map(toTermsStruct)),
  };
}

/** Issues invoices through the batch engine (sized chunks, pipelined, journaled, resumable). */
export async function issueInvoices(
  registry: InvoiceRegistry,
  invoices: InvoiceTerms[],
  options: Omit<BatchOptions, "signer"> = {},
): Promise<BatchSummary> {
  const signer = registry.runner as Signer;
  return runBatch(invoiceIssuanceJob(registry, await signer.getAddress(), invoices), { ...options, signer });
}
