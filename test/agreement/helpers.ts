import hre, { ethers } from "hardhat";
import { ZeroHash } from "ethers";
import { deployPlatform } from "../../src/platform";
import { ROLES } from "../../src/governance/roles";
import { agreementIdOf, keyOf, type AgreementInput } from "../../src/agreement/model";
import { collectSignatures, fundAgreement } from "../../src/agreement/lifecycle";
import localParameters from "../../ignition/parameters/local.json";

export const DAY = 86_400n;

/**
 * The escrow as a ministry uses it: ADMIN has allowed a 2-decimal digital euro; accounts 10 (ministry, payer),
 * 11 (supplier), 12 (supervising agency); the ARBITER of the local parameters (account 6) plus two more ARBITERs
 * (13, 14) for panels. Test files build their own named fixture on this.
 */
export async function setupAgreementPlatform() {
  const signers = await ethers.getSigners();
  const [admin, , , , , , arbiter, pauser] = signers;
  const [payer, supplier, supervisor, arbiter2, arbiter3, outsider] = signers.slice(10);
  const platform = await deployPlatform(hre, localParameters);
  const escrow = platform.agreementEscrow;
  await platform.authority.grantRoles(ROLES.ARBITER.id, [arbiter2, arbiter3], 0);
  const token = await ethers.deployContract("ERC20Mock", ["Digital euro", "dEUR", 2]);
  await escrow.setTokenAllowed(token, true);
  for (const account of [payer, supplier, outsider]) {
    await token.mint(account, 100_000_000_00n);
    await token.connect(account).approve(escrow, ethers.MaxUint256);
  }
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  /** Three milestones of 100,000.00, 200,000.00 and 50,000.00; payer and supervisor approve (1 of 2, 2 of 2, 1). */
  const input = (overrides: Partial<AgreementInput> = {}): AgreementInput => ({
    parties: [payer.address, supplier.address, supervisor.address],
    arbiters: [arbiter.address],
    arbiterThreshold: 1,
    token: overrides.token ?? (token.target as string),
    retentionBps: 500,
    warrantyPeriod: Number(90n * DAY),
    termsHash: ethers.id("Framework contract 2026/114: road maintenance, lot 3"),
    termsURI: "https://procurement.example.gov/contracts/2026-114",
    milestones: [
      { amount: 100_000_00n, dueDate: now + 30n * DAY, approvers: 0b101, threshold: 1 },
      { amount: 200_000_00n, dueDate: now + 60n * DAY, approvers: 0b101, threshold: 2 },
      { amount: 50_000_00n, dueDate: now + 90n * DAY, approvers: 0b001, threshold: 1 },
    ],
    ...overrides,
  });
  return {
    ...platform,
    escrow,
    token,
    admin,
    arbiter,
    arbiter2,
    arbiter3,
    pauser,
    payer,
    supplier,
    supervisor,
    outsider,
    input,
    now,
  };
}

/** Creates `input` (the payer sends it) signed by the supplier and the supervisor off chain: Signed, not funded. */
export async function signedAgreement(
  f: Awaited<ReturnType<typeof setupAgreementPlatform>>,
  input: AgreementInput,
  salt = ZeroHash,
) {
  const id = agreementIdOf(input, salt);
  const signatures = await collectSignatures(f.escrow, id, input.parties, [f.supplier, f.supervisor]);
  await f.escrow.connect(f.payer).create(input, salt, signatures);
  return { id, key: keyOf(input) };
}

/** `signedAgreement`, then funded in full by the payer. */
export async function fundedAgreement(
  f: Awaited<ReturnType<typeof setupAgreementPlatform>>,
  input: AgreementInput,
  salt = ZeroHash,
) {
  const { id, key } = await signedAgreement(f, input, salt);
  const total = input.milestones.reduce((a, m) => a + m.amount, 0n);
  await fundAgreement(f.escrow.connect(f.payer), id, total, key);
  return { id, key, total };
}
