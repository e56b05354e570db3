import fs from "node:fs";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Invoice } from "../src/invoice/model";
import {
  BatchArgs,
  CommonArgs,
  batchOptions,
  platformFor,
  printSummary,
  withBatchParams,
  withCommonParams,
} from "./common";

/** Which invoice: --id, or --seller and --number (the invoice number as printed). */
interface InvoiceRef {
  id?: string;
  seller?: string;
  number?: string;
}

function withInvoiceRef(t: ReturnType<typeof withCommonParams>, sellerDefault = "the seller") {
  return t
    .addOptionalParam("id", "Invoice id (token id)", undefined, types.string)
    .addOptionalParam("seller", `Seller address or DID (default: ${sellerDefault})`, undefined, types.string)
    .addOptionalParam("number", "Invoice number, as printed", undefined, types.string);
}

async function invoiceIdFor(args: InvoiceRef, fallbackSeller?: string): Promise<bigint> {
  const { invoiceIdOf } = await import("../src/invoice/model");
  const { didAddress } = await import("../src/identity/did");
  if (args.id) return BigInt(args.id);
  const seller = args.seller ?? fallbackSeller;
  if (!seller || !args.number) throw new Error("give --id, or --seller and --number");
  return invoiceIdOf(didAddress(seller), args.number);
}

/** Amount options are in major units of the invoice's currency ("1130.00"). */
async function minorUnits(value: string, currency: number, option: string): Promise<bigint> {
  const { parseAmount, parseCurrency } = await import("../src/invoice/issuance");
  try {
    return parseAmount(value, parseCurrency(String(currency)).digits);
  } catch (error) {
    throw new Error(`--${option}: ${(error as Error).message}`);
  }
}

async function documentHashArg(args: Record<string, unknown>): Promise<string> {
  const { documentHashOf } = await import("../src/invoice/issuance");
  if (typeof args.document === "string") return documentHashOf(fs.readFileSync(args.document));
  if (typeof args.documentHash === "string" && /^0x[0-9a-fA-F]{64}$/.test(args.documentHash)) return args.documentHash;
  throw new Error("give --document (the invoice file) or --document-hash (32 bytes hex)");
}

async function sent(what: string, tx: Promise<{ wait(): Promise<unknown> }>) {
  await (await tx).wait();
  console.log(what);
}

async function context(hre: HardhatRuntimeEnvironment, args: CommonArgs) {
  const { platform, signer } = await platformFor(hre, args);
  return { registry: platform.invoiceRegistry, signer, me: await signer.getAddress() };
}

withCommonParams(task("invoice:register", "Register a seller (taxpayer) or reimbursing organization (TAX_AUTHORITY)"))
  .addParam("account", "Organization address or DID", undefined, types.string)
  .addParam("capabilities", "Comma-separated: seller, reimburser; or none to deregister", undefined, types.string)
  .setAction(async (args: CommonArgs & { account: string; capabilities: string }, hre) => {
    const { Capability } = await import("../src/invoice/model");
    const { didAddress } = await import("../src/identity/did");
    let capabilities = 0;
    for (const name of args.capabilities.split(",").map((c) => c.trim().toLowerCase())) {
      if (name === "seller") capabilities |= Capability.SELLER;
      else if (name === "reimburser") capabilities |= Capability.REIMBURSER;
      else if (name !== "none") throw new Error(`--capabilities: "${name}" is not seller, reimburser or none`);
    }
    const { registry } = await context(hre, args);
    const account = didAddress(args.account);
    await sent(
      `${account} registered with capabilities ${args.capabilities}`,
      registry.registerParticipant(account, capabilities),
    );
  });

withCommonParams(task("invoice:settings", "Set the tax time zone and the void window (TAX_AUTHORITY)"))
  .addParam("timezone", "Offset from UTC, e.g. +08:00", undefined, types.string)
  .addParam("voidWindow", "Seconds after issuance an accepted, unpaid invoice may still be voided", 0, types.int)
  .setAction(async (args: CommonArgs & { timezone: string; voidWindow: number }, hre) => {
    const match = /^([+-])(\d{2}):(\d{2})$/.exec(args.timezone);
    if (!match) throw new Error(`--timezone: "${args.timezone}" is not an offset like +08:00`);
    const offset = (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60);
    const { registry } = await context(hre, args);
    await sent(
      `Tax time zone UTC${args.timezone}, void window ${args.voidWindow} s`,
      registry.setSettings(offset, args.voidWindow),
    );
  });

withCommonParams(task("invoice:allow-token", "Allow an ERC-20 for settling invoices in a currency (TAX_AUTHORITY)"))
  .addParam("token", "ERC-20 address", undefined, types.string)
  .addParam("currency", "ISO 4217 currency, e.g. CNY", undefined, types.string)
  .addParam("unitScale", "Token units per minor unit of the currency (0 disallows)", undefined, types.string)
  .setAction(async (args: CommonArgs & { token: string; currency: string; unitScale: string }, hre) => {
    const { parseCurrency } = await import("../src/invoice/issuance");
    const { registry } = await context(hre, args);
    const currency = parseCurrency(args.currency).code;
    await sent(
      `${args.token} settles ${args.currency} at ${args.unitScale} units per minor unit`,
      registry.setPaymentToken(args.token, currency, BigInt(args.unitScale)),
    );
  });

withCommonParams(task("invoice:issue", "Issue one invoice (as a registered seller)"))
  .addParam("buyer", "Buyer address or DID", undefined, types.string)
  .addParam("number", "Invoice number (up to 31 characters), unique for this seller", undefined, types.string)
  .addParam("amount", "Net amount in major units, e.g. 1000.00", undefined, types.string)
  .addOptionalParam("tax", "VAT in major units", "0", types.string)
  .addOptionalParam("currency", "ISO 4217 currency", "CNY", types.string)
  .addOptionalParam("issueDate", "Date printed on the invoice (default: now)", undefined, types.string)
  .addOptionalParam("dueDate", "Due date", undefined, types.string)
  .addOptionalParam("document", "The invoice document file (its keccak-256 goes on chain)", undefined, types.string)
  .addOptionalParam("documentHash", "Or the document hash / field-tree root", undefined, types.string)
  .setAction(async (args: CommonArgs & Record<string, string | undefined>, hre) => {
    const { parseAmount, parseCurrency, termsProblems, issueInvoice } = await import("../src/invoice/issuance");
    const { invoiceNumber, invoicesInReceipt } = await import("../src/invoice/model");
    const { parseTime } = await import("../src/util/time");
    const { didAddress } = await import("../src/identity/did");
    const { registry, me } = await context(hre, args);
    const currency = parseCurrency(args.currency!);
    const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
    const terms = {
      buyer: didAddress(args.buyer!),
      number: invoiceNumber(args.number!),
      amount: parseAmount(args.amount!, currency.digits),
      tax: parseAmount(args.tax!, currency.digits),
      currency: currency.code,
      issueDate: args.issueDate ? parseTime(args.issueDate) : now,
      dueDate: parseTime(args.dueDate),
      documentHash: await documentHashArg(args),
    };
    const problems = termsProblems(terms, me, now);
    if (problems.length > 0) throw new Error(problems.map((p) => `--${p.field} ${p.message}`).join("; "));
    const receipt = await (await issueInvoice(registry, terms)).wait();
    const [{ id, invoice }] = invoicesInReceipt(registry, receipt!.logs);
    console.log(`Invoice ${args.number} issued: id ${id}, tax period ${invoice.period}`);
  });

withBatchParams(
  withCommonParams(
    task("invoice:batch-issue", "Issue many invoices from a CSV or JSONL file (as a registered seller)"),
  ),
)
  .addParam(
    "file",
    "CSV (header: buyer,number,amount,tax,currency,issueDate,dueDate,documentHash) or JSONL",
    undefined,
    types.string,
  )
  .setAction(async (args: CommonArgs & BatchArgs, hre) => {
    const { parseInvoiceFile, invoiceIssuanceJob } = await import("../src/invoice/issuance");
    const { runBatch } = await import("../src/batch/engine");
    const { formatLineErrors } = await import("../src/util/csv");
    const { registry, signer, me } = await context(hre, args);
    const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
    const parsed = await parseInvoiceFile(args.file, me, now);
    if (parsed.errors.length > 0) throw new Error(formatLineErrors(args.file, parsed.errors));
    const options = await batchOptions(args, parsed.invoices.length, "issuing");
    const summary = await runBatch(invoiceIssuanceJob(registry, me, parsed.invoices), { ...options, signer });
    printSummary("invoices", summary);
  });

withInvoiceRef(withCommonParams(task("invoice:accept", "Accept an invoice (as its buyer)"))).setAction(
  async (args: CommonArgs & InvoiceRef, hre) => {
    const { acceptInvoice } = await import("../src/invoice/lifecycle");
    const { registry } = await context(hre, args);
    const id = await invoiceIdFor(args);
    await sent(`Invoice ${id} accepted`, acceptInvoice(registry, id));
  },
);

withInvoiceRef(withCommonParams(task("invoice:pay", "Pay an accepted invoice, or record an off-chain payment")))
  .addParam("amount", "Amount in major units of the invoice currency", undefined, types.string)
  .addOptionalParam(
    "token",
    "Allow-listed ERC-20 to pay in (the signer's tokens; approve first)",
    undefined,
    types.string,
  )
  .addOptionalParam(
    "reference",
    "Off-chain payment reference (holder only), e.g. a bank transfer id",
    undefined,
    types.string,
  )
  .setAction(async (args: CommonArgs & InvoiceRef & { amount: string; token?: string; reference?: string }, hre) => {
    const { payInvoice } = await import("../src/invoice/lifecycle");
    const { loadInvoice } = await import("../src/invoice/model");
    const { ethers } = hre;
    const { registry } = await context(hre, args);
    const id = await invoiceIdFor(args);
    const invoice = await loadInvoice(registry, id);
    const amount = await minorUnits(args.amount, invoice.terms.currency, "amount");
    const paymentReference = args.reference ? ethers.id(args.reference) : undefined;
    await sent(
      `Paid ${args.amount} on invoice ${id}`,
      payInvoice(registry, id, { amount, token: args.token, paymentReference, invoice }),
    );
  });

withInvoiceRef(
  withCommonParams(task("invoice:credit-note", "Issue a credit note (红字发票) against an invoice (as its seller)")),
  "the signer",
)
  .addParam("creditNumber", "The credit note's own number", undefined, types.string)
  .addParam("amount", "Net amount reversed, major units", undefined, types.string)
  .addOptionalParam("tax", "Tax reversed, major units", "0", types.string)
  .addOptionalParam("document", "The credit note document file", undefined, types.string)
  .addOptionalParam("documentHash", "Or its hash", undefined, types.string)
  .setAction(async (args: CommonArgs & InvoiceRef & Record<string, string | undefined>, hre) => {
    const { issueCreditNote } = await import("../src/invoice/lifecycle");
    const { loadInvoice, invoiceNumber, invoiceIdOf } = await import("../src/invoice/model");
    const { registry, me } = await context(hre, args);
    const id = await invoiceIdFor(args, me);
    const original = await loadInvoice(registry, id);
    const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
    const credit = {
      number: invoiceNumber(args.creditNumber!),
      amount: await minorUnits(args.amount!, original.terms.currency, "amount"),
      tax: await minorUnits(args.tax!, original.terms.currency, "tax"),
      issueDate: now,
      documentHash: await documentHashArg(args),
    };
    await sent(
      `Credit note ${args.creditNumber} (id ${invoiceIdOf(me, credit.number)}) reverses ${args.amount} + tax ${args.tax} of invoice ${id}`,
      issueCreditNote(registry, id, credit, original),
    );
  });

withInvoiceRef(withCommonParams(task("invoice:void", "Void an invoice not yet accepted (as its seller)")), "the signer")
  .addOptionalParam("reason", "Reason (its hash goes on chain)", "", types.string)
  .setAction(async (args: CommonArgs & InvoiceRef & { reason: string }, hre) => {
    const { voidInvoice } = await import("../src/invoice/lifecycle");
    const { registry, me } = await context(hre, args);
    const id = await invoiceIdFor(args, me);
    await sent(`Invoice ${id} voided`, voidInvoice(registry, id, hre.ethers.id(args.reason)));
  });

withInvoiceRef(withCommonParams(task("invoice:reimburse", "Claim a paid invoice for reimbursement, once network-wide")))
  .addOptionalParam("claim", "Your expense-claim reference (its hash goes on chain)", "", types.string)
  .setAction(async (args: CommonArgs & InvoiceRef & { claim: string }, hre) => {
    const { registry } = await context(hre, args);
    const id = await invoiceIdFor(args);
    await sent(`Invoice ${id} reimbursed`, registry.reimburse(id, hre.ethers.id(args.claim)));
  });

for (const [name, action] of [
  ["freeze", "Freeze an invoice under investigation (TAX_AUTHORITY)"],
  ["unfreeze", "Lift a freeze (TAX_AUTHORITY)"],
] as const) {
  withInvoiceRef(withCommonParams(task(`invoice:${name}`, action)))
    .addOptionalParam("reason", "Case reference (its hash goes on chain)", "", types.string)
    .setAction(async (args: CommonArgs & InvoiceRef & { reason: string }, hre) => {
      const { registry } = await context(hre, args);
      const id = await invoiceIdFor(args);
      await sent(`Invoice ${id}: ${name}`, registry[name](id, hre.ethers.id(args.reason)));
    });
}

withInvoiceRef(
  withCommonParams(task("invoice:verify", "Show an invoice's status and history; exit 1 if it does not check")),
)
  .addOptionalParam("document", "The invoice document: checked against the recorded hash", undefined, types.string)
  .setAction(async (args: CommonArgs & InvoiceRef & { document?: string }, hre) => {
    const { invoiceHistory, InvoiceStatus, numberText } = await import("../src/invoice/model");
    const { formatAmount, parseCurrency, documentHashOf } = await import("../src/invoice/issuance");
    const { registry } = await context(hre, args);
    const id = await invoiceIdFor(args);
    const view = await registry.invoiceOf(id);
    if (Number(view.status) === InvoiceStatus.None) {
      console.log(`NOT FOUND: no invoice ${args.number ?? id} from ${args.seller ?? "this seller"}`);
      process.exitCode = 1;
      return;
    }
    // The history starts with the InvoiceIssued event, which carries the recorded invoice: one query for both.
    const history = await invoiceHistory(registry, id);
    const invoice = history.find((e) => e.event === "InvoiceIssued")!.args.invoice as Invoice;
    const digits = parseCurrency(String(invoice.terms.currency)).digits;
    const money = (v: bigint) => formatAmount(v, digits);
    console.log(`Invoice ${numberText(invoice.terms.number)} (id ${id})`);
    console.log(`  seller ${invoice.seller} -> buyer ${invoice.terms.buyer}, currency ${invoice.terms.currency}`);
    console.log(
      `  amount ${money(invoice.terms.amount)} + tax ${money(invoice.terms.tax)}, tax period ${invoice.period}`,
    );
    if (invoice.original !== 0n) console.log(`  credit note of invoice ${invoice.original}`);
    console.log(
      `  status ${InvoiceStatus[Number(view.status)]}${view.frozen ? " (FROZEN)" : ""}${view.deducted ? ", input VAT deducted" : ""}` +
        `, holder ${view.holder}, paid ${money(view.paid)}, credited ${money(view.creditedAmount)} + ${money(view.creditedTax)}`,
    );
    if (Number(view.status) === InvoiceStatus.Reimbursed)
      console.log(
        `  reimbursed by ${view.reimburser} at ${new Date(Number(view.statusChangedAt) * 1000).toISOString()}`,
      );
    console.log("  history:");
    for (const entry of history) console.log(`    block ${entry.block}: ${entry.event}`);
    if (args.document) {
      const ok = documentHashOf(fs.readFileSync(args.document)) === invoice.terms.documentHash;
      console.log(ok ? "  DOCUMENT MATCHES the recorded hash" : "  DOCUMENT DOES NOT MATCH the recorded hash");
      if (!ok) process.exitCode = 1;
    }
  });

withCommonParams(task("invoice:tax-report", "A seller's tax issued, reversed and due for one period"))
  .addParam("seller", "Seller address or DID", undefined, types.string)
  .addParam("period", "Month, e.g. 2026-11", undefined, types.string)
  .addOptionalParam("currency", "Currency to format amounts in", "CNY", types.string)
  .setAction(async (args: CommonArgs & { seller: string; period: string; currency: string }, hre) => {
    const { taxReport } = await import("../src/invoice/model");
    const { formatAmount, parseCurrency } = await import("../src/invoice/issuance");
    const { didAddress } = await import("../src/identity/did");
    const { registry } = await context(hre, args);
    const report = await taxReport(registry, didAddress(args.seller), args.period);
    const money = (v: bigint) => formatAmount(v, parseCurrency(args.currency).digits);
    console.log(`Tax report ${report.seller} period ${report.period}`);
    console.log(`  invoices ${report.invoices}, tax issued ${money(report.taxIssued)}`);
    console.log(`  credit notes and voids ${report.reversals}, tax reversed ${money(report.taxReversed)}`);
    console.log(`  tax due ${money(report.taxDue)}`);
  });
