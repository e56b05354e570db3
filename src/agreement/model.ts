import { AbiCoder, keccak256, ZeroAddress } from "ethers";
import type { AgreementEscrow } from "../../typechain-types";
import type { IAgreementEscrow } from "../../typechain-types/contracts/agreement/AgreementEscrow";

/** Mirrors IAgreementEscrow.State and MilestoneStatus. */
export enum AgreementState {
  None,
  Draft,
  Signed,
  Funded,
  Closed,
  Completed,
  Cancelled,
}
export enum MilestoneStatus {
  None,
  Pending,
  Submitted,
  Disputed,
  Released,
  Reclaimed,
  Resolved,
}

export const NATIVE = ZeroAddress;

export interface MilestoneInput {
  amount: bigint;
  dueDate: bigint;
  approvers: number; // bitmask over parties
  threshold: number;
}

export interface AgreementInput {
  parties: string[]; // [payer, supplier, ...]
  arbiters: string[];
  arbiterThreshold: number;
  token: string; // NATIVE for the native coin
  retentionBps: number;
  warrantyPeriod: number;
  termsHash: string;
  termsURI: string;
  milestones: MilestoneInput[];
}

/** What never changes in an agreement; the escrow keeps its hash and every call passes it. */
export interface AgreementKey {
  parties: string[];
  arbiters: string[];
  arbiterThreshold: number;
  token: string;
  retentionBps: number;
  warrantyPeriod: number;
  milestoneCount: number;
}

const INPUT_TUPLE =
  "tuple(address[] parties,address[] arbiters,uint8 arbiterThreshold,address token,uint16 retentionBps," +
  "uint32 warrantyPeriod,bytes32 termsHash,string termsURI," +
  "tuple(uint96 amount,uint40 dueDate,uint8 approvers,uint8 threshold)[] milestones)";

/** The id the escrow gives an agreement: keccak256(abi.encode(input, salt)). */
export function agreementIdOf(input: AgreementInput, salt: string): bigint {
  return BigInt(keccak256(AbiCoder.defaultAbiCoder().encode([INPUT_TUPLE, "bytes32"], [input, salt])));
}

/** The key of an agreement created with `input` (as AgreementEscrow.keyOf derives it). */
export function keyOf(input: AgreementInput): AgreementKey {
  return {
    parties: [...input.parties],
    arbiters: [...input.arbiters],
    arbiterThreshold: input.arbiterThreshold,
    token: input.token,
    retentionBps: input.retentionBps,
    warrantyPeriod: input.warrantyPeriod,
    milestoneCount: input.milestones.length,
  };
}

export function toInput(struct: IAgreementEscrow.AgreementInputStructOutput): AgreementInput {
  return {
    parties: [...struct.parties],
    arbiters: [...struct.arbiters],
    arbiterThreshold: Number(struct.arbiterThreshold),
    token: struct.token,
    retentionBps: Number(struct.retentionBps),
    warrantyPeriod: Number(struct.warrantyPeriod),
    termsHash: struct.termsHash,
    termsURI: struct.termsURI,
    milestones: struct.milestones.map((m) => ({
      amount: m.amount,
      dueDate: m.dueDate,
      approvers: Number(m.approvers),
      threshold: Number(m.threshold),
    })),
  };
}

/** The agreement as created, read back from its AgreementCreated event. */
export async function loadAgreement(escrow: AgreementEscrow, agreementId: bigint): Promise<AgreementInput> {
  const events = await escrow.queryFilter(escrow.filters.AgreementCreated(agreementId), 0);
  if (events.length === 0) throw new Error(`No agreement ${agreementId} on this escrow`);
  return toInput(events[0].args.input);
}

export interface AgreementReport {
  id: bigint;
  state: string;
  token: string;
  total: bigint;
  funded: bigint;
  held: bigint;
  signed: { party: string; signed: boolean }[];
  milestones: {
    index: number;
    amount: bigint;
    dueDate: bigint;
    status: string;
    approvals: string[];
    retained: bigint;
  }[];
  balances: { account: string; withdrawable: bigint }[];
}

/** Everything about an agreement: state, every milestone and what each member may withdraw. */
export async function agreementReport(escrow: AgreementEscrow, agreementId: bigint): Promise<AgreementReport> {
  const [input, view] = await Promise.all([loadAgreement(escrow, agreementId), escrow.agreementOf(agreementId)]);
  const token = input.token;
  const milestones = (await Promise.all(input.milestones.map((_, i) => escrow.milestoneOf(agreementId, i)))).map(
    (m, i) => ({
      index: i,
      amount: m.amount,
      dueDate: m.dueDate,
      status: MilestoneStatus[Number(m.status)],
      approvals: input.parties.filter((_, p) => (Number(m.approvals) >> p) & 1),
      retained: m.retained,
    }),
  );
  const accounts = [...new Set([...input.parties, ...input.arbiters])];
  return {
    id: agreementId,
    state: AgreementState[Number(view.state)],
    token,
    total: view.total,
    funded: view.funded,
    held: view.held,
    signed: input.parties.map((party, p) => ({ party, signed: ((Number(view.signedMask) >> p) & 1) === 1 })),
    milestones,
    balances: await Promise.all(
      accounts.map(async (account) => ({ account, withdrawable: await escrow.balanceOf(account, token) })),
    ),
  };
}
