import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { ZeroHash, type Interface, type Signer } from "ethers";
import type { Platform } from "../platform";
import { SubjectType } from "../identity/constants";
import { idCommitment, randomSalt } from "../identity/commitment";
import { ensureRegistered } from "../identity/registration";
import { formatLineErrors } from "../util/csv";
import { ERC20Mock__factory } from "../../typechain-types";
import { Capability, invoiceIdOf, loadInvoice, taxReport, InvoiceStatus, type TaxReport } from "./model";
import { formatAmount, invoiceFieldTree, issueInvoices, parseInvoiceFile, verifyField } from "./issuance";
import { acceptInvoice, issueCreditNote, payInvoice, signAcceptance, signReimbursement } from "./lifecycle";

export interface InvoiceScenarioResult {
  issued: number;
  issueGasPerInvoice: bigint;
  statuses: Record<string, string>;
  financierReceived: bigint;
  secondReimbursement: { error: string; reimburser: string; at: bigint };
  report: TaxReport;
  disclosedFieldVerifies: boolean;
}

/** The custom error of a failed transaction, decoded with `iface` (rethrows anything else). */
function revertOf(iface: Interface, error: unknown): { name: string; args: unknown[] } {
  const e = error as { revert?: { name: string; args: unknown[] }; data?: string; error?: { data?: string } };
  if (e.revert) return e.revert;
  const data = e.data ?? e.error?.data;
  const parsed = typeof data === "string" ? iface.parseError(data) : null;
  if (!parsed) throw error;
  return { name: parsed.name, args: [...parsed.args] };
}

/**
 * The e-invoice story: the tax bureau (TAX_AUTHORITY, account 5) registers a supplier as a taxpayer and two
 * reimbursing organizations; the supplier batch-issues invoices from CSV to a buyer company; the buyer accepts
 * without holding gas (a relayer, account 9, submits its signature) and pays, part in a digital currency, part by
 * bank transfer; one receivable is factored to a bank, which is paid instead; the employer reimburses an invoice
 * and the finance bureau's attempt to reimburse it again is refused, naming who claimed it and when; a credit note
 * reverses part of another; the tax report shows the tax due. The invoice document itself stays off chain: its
 * salted per-field hash tree lets the buyer disclose the total alone.
 *
 * Accounts: 1 registrar, 5 tax bureau, 9 relayer, 15 bank, 16 supplier, 17 buyer, 18 employer, 19 finance bureau.
 */
export async function runInvoiceScenario(
  hre: HardhatRuntimeEnvironment,
  platform: Platform,
  options: { invoices?: number; log?: (line: string) => void } = {},
): Promise<InvoiceScenarioResult> {
  const log = options.log ?? (() => undefined);
  const signers = await hre.ethers.getSigners();
  const [registrar, taxBureau, relayer] = [signers[1], signers[5], signers[9]];
  const [bank, supplier, buyer, employer, financeBureau] = signers.slice(15, 20);
  const registry = platform.invoiceRegistry;
  const wait = async (tx: Promise<{ wait(): Promise<unknown> }>) => (await tx).wait();

  // 1. Identities and registrations (DIDs first, so a rerun on the same chain skips what exists).
  for (const [account, subjectType] of [
    [supplier, SubjectType.Organization],
    [buyer, SubjectType.Organization],
    [employer, SubjectType.Organization],
    [financeBureau, SubjectType.Agency],
  ] as [Signer, SubjectType][]) {
    const did = await account.getAddress();
    await ensureRegistered(platform.didRegistry.connect(registrar), {
      did,
      subjectType,
      idCommitment: idCommitment("uscc", did, randomSalt()),
    });
  }
  const tax = registry.connect(taxBureau);
  await wait(tax.setSettings(8 * 3600, 24 * 3600));
  await wait(tax.registerParticipant(supplier, Capability.SELLER));
  await wait(tax.registerParticipant(employer, Capability.REIMBURSER));
  await wait(tax.registerParticipant(financeBureau, Capability.REIMBURSER));
  const eCny = await new ERC20Mock__factory(taxBureau).deploy("Digital yuan (demo)", "e-CNY", 2);
  await eCny.waitForDeployment();
  await wait(tax.setPaymentToken(eCny, 156, 1));
  await wait(eCny.mint(buyer, 10_000_000_00n));
  await wait(eCny.connect(buyer).approve(registry, hre.ethers.MaxUint256));
  log("Tax bureau registered the supplier as a taxpayer, the employer and the finance bureau as reimbursers");

  // 2. The supplier issues its November invoices from its billing system's CSV export.
  const count = options.invoices ?? 200;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-invoices-"));
  const csv = path.join(dir, "invoices.csv");
  const fields = { seller: "Shenzhen Supplies Ltd", buyer: "Harbour Logistics Co", total: "1130.00", vat: "130.00" };
  const tree = invoiceFieldTree(fields);
  const rows = ["buyer,number,amount,tax,currency,dueDate,documentHash"];
  const tag = Date.now().toString(36).toUpperCase(); // numbers unique per run, so the story reruns on one chain
  const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
  const due = new Date(Number(now + 60n * 86_400n) * 1000).toISOString().slice(0, 10); // payment terms: 60 days
  const numberOf = (i: number) => `SZ-${tag}-${String(i).padStart(6, "0")}`;
  for (let i = 0; i < count; i++) {
    const documentHash = i === 0 ? tree.root : hre.ethers.id(`invoice ${tag} ${i}`);
    rows.push(`${await buyer.getAddress()},${numberOf(i)},1000.00,130.00,CNY,${due},${documentHash}`);
  }
  fs.writeFileSync(csv, rows.join("\n") + "\n");
  const sellerAddress = await supplier.getAddress();
  const parsed = await parseInvoiceFile(csv, sellerAddress, now);
  if (parsed.errors.length > 0) throw new Error(formatLineErrors(csv, parsed.errors));
  const summary = await issueInvoices(registry.connect(supplier), parsed.invoices, { chunkSize: 50 });
  fs.rmSync(dir, { recursive: true, force: true });
  const perInvoice = summary.gasUsed / BigInt(Math.max(summary.records, 1));
  log(
    `Supplier issued ${summary.records} invoices from CSV in ${summary.transactions} transactions (${perInvoice} gas each)`,
  );

  const ids = [0, 1, 2, 3].map((i) => invoiceIdOf(sellerAddress, numberOf(i)));
  const [a, b, c, d] = ids;

  // 3. The buyer accepts: its signatures, submitted by a relayer (the buyer holds no gas).
  const deadline = now + 3600n;
  for (const id of ids) {
    const signature = await signAcceptance(registry, buyer, id, deadline);
    await wait(acceptInvoice(registry.connect(relayer), id, { signature: { deadline, signature } }));
  }
  log("Buyer accepted four invoices by signature; a relayer sent the transactions");

  // 4. Payment: A in e-CNY (in two parts), B by bank transfer recorded by the supplier, C after factoring.
  await wait(payInvoice(registry.connect(buyer), a, { amount: 500_00n, token: await eCny.getAddress() }));
  await wait(payInvoice(registry.connect(buyer), a, { amount: 630_00n, token: await eCny.getAddress() }));
  await wait(
    payInvoice(registry.connect(supplier), b, {
      amount: 1130_00n,
      paymentReference: hre.ethers.id("BANK-2026-11-7781"),
    }),
  );
  await wait(registry.connect(supplier).transferFrom(supplier, bank, c));
  const bankBefore = await eCny.balanceOf(bank);
  await wait(payInvoice(registry.connect(buyer), c, { amount: 1130_00n, token: await eCny.getAddress() }));
  const financierReceived = (await eCny.balanceOf(bank)) - bankBefore;
  log(
    `Invoice A paid in e-CNY in two parts; B by bank transfer; C factored to the bank, which received ${formatAmount(financierReceived)} e-CNY`,
  );

  // 5. Reimbursement, once network-wide: the employer claims A (signed, relayed); the finance bureau tries again.
  const claimReference = hre.ethers.id("expense claim EC-2026-0042");
  const signature = await signReimbursement(registry, employer, { invoiceId: a, claimReference, deadline });
  await wait(registry.connect(relayer).reimburseBySig(a, employer, claimReference, deadline, signature));
  let secondReimbursement = { error: "", reimburser: "", at: 0n };
  try {
    await wait(registry.connect(financeBureau).reimburse(a, ZeroHash));
  } catch (error) {
    const revert = revertOf(registry.interface, error);
    secondReimbursement = {
      error: revert.name,
      reimburser: String(revert.args[1]),
      at: BigInt(revert.args[2] as bigint),
    };
  }
  log(
    `Employer reimbursed invoice A; the finance bureau's second claim was refused: ${secondReimbursement.error}` +
      ` (claimed by ${secondReimbursement.reimburser} at ${new Date(Number(secondReimbursement.at) * 1000).toISOString()})`,
  );

  // 6. A credit note reverses part of D; the tax report shows the period's tax due.
  const original = await loadInvoice(registry, d);
  await wait(
    issueCreditNote(
      registry.connect(supplier),
      d,
      { number: `RED-${tag}-1`, amount: 200_00n, tax: 26_00n, issueDate: now, documentHash: hre.ethers.id("red 1") },
      original,
    ),
  );
  const report = await taxReport(registry, sellerAddress, original.period);
  log(
    `Credit note reversed 200.00 + 26.00 VAT of invoice D. Tax report ${report.period}: issued ${formatAmount(report.taxIssued)},` +
      ` reversed ${formatAmount(report.taxReversed)}, due ${formatAmount(report.taxDue)}`,
  );

  // 7. Selective disclosure: the buyer proves invoice A's total without revealing the rest of the document.
  const invoiceA = await loadInvoice(registry, a);
  const disclosedFieldVerifies = verifyField(invoiceA.terms.documentHash, tree.disclose("total"));
  log(
    `An auditor checks invoice A's total (${fields.total}) against its document hash alone: ${disclosedFieldVerifies}`,
  );

  const statuses: Record<string, string> = {};
  for (const [name, id] of Object.entries({ A: a, B: b, C: c, D: d }))
    statuses[name] = InvoiceStatus[Number((await registry.invoiceOf(id)).status)];
  log(
    `Statuses: ${Object.entries(statuses)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  return {
    issued: summary.records,
    issueGasPerInvoice: perInvoice,
    statuses,
    financierReceived,
    secondReimbursement,
    report,
    disclosedFieldVerifies,
  };
}
