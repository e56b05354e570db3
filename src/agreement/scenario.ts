import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Platform } from "../platform";
import { ERC20Mock__factory } from "../../typechain-types";
import { agreementIdOf, agreementReport, keyOf, type AgreementInput, type AgreementReport } from "./model";
import {
  approveMilestone,
  closeAgreement,
  createAgreement,
  disputeMilestone,
  fundAgreement,
  releaseRetention,
  ruleMilestone,
  collectSignatures,
  submitMilestone,
} from "./lifecycle";

export interface AgreementScenarioResult {
  id: bigint;
  createGas: bigint;
  report: AgreementReport;
  supplierReceived: bigint;
  payerRefunded: bigint;
}

/**
 * The procurement story: a ministry (account 12) contracts road maintenance from a supplier (16), with the public
 * works agency (13) supervising; the supplier and the agency sign off chain and the ministry submits everything in
 * one transaction; the ministry funds the escrow; the survey is delivered and approved; the works are disputed
 * and the ARBITER (6) rules a split; the final report is approved by the ministry and the agency; the agreement
 * closes, the retention is paid after the (short, for the demo) warranty, and both sides withdraw what they are
 * owed. No clerk in the loop.
 */
export async function runAgreementScenario(
  hre: HardhatRuntimeEnvironment,
  platform: Platform,
  options: { warrantySeconds?: number; log?: (line: string) => void } = {},
): Promise<AgreementScenarioResult> {
  const log = options.log ?? (() => undefined);
  const signers = await hre.ethers.getSigners();
  const [admin, arbiter, ministry, agency, supplier] = [signers[0], signers[6], signers[12], signers[13], signers[16]];
  const escrow = platform.agreementEscrow;
  const wait = async (tx: Promise<{ wait(): Promise<unknown> }>) => (await tx).wait();

  const currency = await new ERC20Mock__factory(admin).deploy("Digital yuan (demo)", "e-CNY", 2);
  await currency.waitForDeployment();
  await wait(escrow.connect(admin).setTokenAllowed(currency, true));
  await wait(currency.mint(ministry, 1_000_000_00n));
  log("ADMIN allowed the digital currency for escrow");

  const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
  const day = 86_400n;
  const warranty = options.warrantySeconds ?? 5;
  const input: AgreementInput = {
    parties: [ministry.address, supplier.address, agency.address],
    arbiters: [arbiter.address],
    arbiterThreshold: 1,
    token: await currency.getAddress(),
    retentionBps: 500,
    warrantyPeriod: warranty,
    termsHash: hre.ethers.id(`Road maintenance contract 2026/114, lot 3 (${now})`),
    termsURI: "https://procurement.example.gov/contracts/2026-114",
    milestones: [
      { amount: 100_000_00n, dueDate: now + 30n * day, approvers: 0b001, threshold: 1 }, // survey: the ministry
      { amount: 200_000_00n, dueDate: now + 90n * day, approvers: 0b101, threshold: 2 }, // works: ministry + agency
      { amount: 50_000_00n, dueDate: now + 120n * day, approvers: 0b101, threshold: 2 }, // final report
    ],
  };
  const salt = hre.ethers.id(`2026-114 ${now}`);
  const id = agreementIdOf(input, salt);
  const signatures = await collectSignatures(escrow, id, input.parties, [supplier, agency]);
  const key = keyOf(input);
  const { tx } = await createAgreement(escrow.connect(ministry), input, { salt, signatures });
  const createGas = (await tx.wait())!.gasUsed;
  log(
    `Ministry created agreement ${id} with 3 milestones, signed by all three parties in one transaction (${createGas} gas)`,
  );

  await wait(fundAgreement(escrow.connect(ministry), id, 350_000_00n, key));
  log("Ministry funded the escrow: 350,000.00 e-CNY");

  const bySupplier = escrow.connect(supplier);
  await wait(submitMilestone(bySupplier, id, 0, hre.ethers.id("road survey report"), key));
  await wait(approveMilestone(escrow.connect(ministry), id, 0, key));
  log("Survey delivered and approved: 95,000.00 to the supplier, 5,000.00 retained");

  await wait(submitMilestone(bySupplier, id, 1, hre.ethers.id("works completion certificate"), key));
  await wait(disputeMilestone(escrow.connect(ministry), id, 1, "ipfs://evidence/2026-114/defects", key));
  await wait(ruleMilestone(escrow.connect(arbiter), id, 1, 150_000_00n, key));
  log("Works disputed by the ministry (defects); the arbiter ruled 150,000.00 to the supplier, 50,000.00 back");

  await wait(submitMilestone(bySupplier, id, 2, hre.ethers.id("final report"), key));
  await wait(approveMilestone(escrow.connect(ministry), id, 2, key));
  await wait(approveMilestone(escrow.connect(agency), id, 2, key));
  log("Final report approved by the ministry and the supervising agency");

  await wait(closeAgreement(escrow, id, key));
  await new Promise((resolve) => setTimeout(resolve, (warranty + 1) * 1000));
  await wait(releaseRetention(escrow.connect(supplier), id, key));
  log(`Agreement closed; after the ${warranty}-second demo warranty the retention went to the supplier`);

  const supplierBefore = await currency.balanceOf(supplier);
  await wait(bySupplier.withdraw(currency, supplier));
  const supplierReceived = (await currency.balanceOf(supplier)) - supplierBefore;
  const ministryBefore = await currency.balanceOf(ministry);
  await wait(escrow.connect(ministry).withdraw(currency, ministry));
  const payerRefunded = (await currency.balanceOf(ministry)) - ministryBefore;
  const report = await agreementReport(escrow, id);
  log(
    `Supplier withdrew ${hre.ethers.formatUnits(supplierReceived, 2)}, ministry ${hre.ethers.formatUnits(payerRefunded, 2)};` +
      ` agreement ${report.state}, escrow holds ${report.held} for it`,
  );
  return { id, createGas, report, supplierReceived, payerRefunded };
}
