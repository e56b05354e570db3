import fs from "node:fs";
import path from "node:path";
import { isAddress, getAddress, keccak256, parseUnits, ZeroHash } from "ethers";
import { parseTime } from "../util/time";
import { didAddress } from "../identity/did";
import { NATIVE, type AgreementInput } from "./model";

/**
 * An agreement as the procurement office writes it (agreement.json):
 *
 * {
 *   "payer": "did:govchain:...:0x..", "supplier": "0x..", "signers": ["0x.. (supervising agency)"],
 *   "arbiters": ["0x.."], "arbiterThreshold": 1,
 *   "token": "native" | "0x..",                 // an allow-listed ERC-20 or the native coin
 *   "retention": "5%", "warrantyDays": 90,
 *   "terms": "contract-2026-114.pdf",           // hashed here (or "termsHash": "0x..")
 *   "termsURI": "https://procurement.example.gov/contracts/2026-114",
 *   "milestones": [{ "amount": "100000.00", "due": "2027-03-01", "approvers": ["payer", "0x.."], "threshold": 1 }],
 *   "salt": "0x.." (optional)
 * }
 *
 * Every problem is reported with the path of its field, all at once.
 */
export interface ParsedAgreement {
  input: AgreementInput;
  salt: string;
}

export class AgreementFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${problems.length} problem(s) in ${file}; nothing was sent:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
}

type Json = Record<string, unknown>;

/** Reads agreement.json; amounts are in units of its token, whose decimals `decimalsOf` tells (18: native coin). */
export async function parseAgreementFile(
  file: string,
  decimalsOf: (token: string) => Promise<number>,
): Promise<ParsedAgreement> {
  let raw: Json;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8")) as Json;
  } catch (error) {
    throw new AgreementFileError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  const token = typeof raw.token === "string" && isAddress(raw.token) ? getAddress(raw.token) : NATIVE;
  return parseAgreement(raw, await decimalsOf(token), file);
}

export function parseAgreement(raw: Json, decimals: number, file = "(agreement)"): ParsedAgreement {
  const problems: string[] = [];
  const address = (value: unknown, field: string): string => {
    if (typeof value === "string" && (value.startsWith("did:") || isAddress(value))) {
      try {
        return getAddress(didAddress(value));
      } catch (error) {
        problems.push(`${field}: ${(error as Error).message}`);
        return NATIVE;
      }
    }
    problems.push(`${field}: "${String(value)}" is not an address or did:govchain DID`);
    return NATIVE;
  };
  const payer = address(raw.payer, "payer");
  const supplier = address(raw.supplier, "supplier");
  const signers = Array.isArray(raw.signers) ? raw.signers.map((s, i) => address(s, `signers[${i}]`)) : [];
  if (raw.signers !== undefined && !Array.isArray(raw.signers)) problems.push("signers: must be a list of addresses");
  const parties = [payer, supplier, ...signers];
  if (new Set(parties).size !== parties.length) problems.push("payer, supplier, signers: a party appears twice");
  if (parties.length > 8) problems.push(`signers: at most 6 besides payer and supplier (got ${signers.length})`);

  const arbiters = Array.isArray(raw.arbiters) ? raw.arbiters.map((s, i) => address(s, `arbiters[${i}]`)) : [];
  if (arbiters.length === 0) problems.push("arbiters: name one ARBITER, or a panel");
  const arbiterThreshold =
    raw.arbiterThreshold === undefined ? Math.floor(arbiters.length / 2) + 1 : Number(raw.arbiterThreshold);
  if (!Number.isInteger(arbiterThreshold) || arbiterThreshold < 1 || arbiterThreshold > arbiters.length)
    problems.push(`arbiterThreshold: must be 1..${arbiters.length}`);

  const token = raw.token === "native" || raw.token === undefined ? NATIVE : address(raw.token, "token");
  let retentionBps = 0;
  if (raw.retention !== undefined) {
    const match = /^([0-9]+(?:\.[0-9]{1,2})?)%$/.exec(String(raw.retention));
    if (!match || Number(match[1]) > 50)
      problems.push(`retention: "${String(raw.retention)}" is not a percentage up to 50%`);
    else retentionBps = Math.round(Number(match[1]) * 100);
  }
  const warrantyDays = raw.warrantyDays === undefined ? 0 : Number(raw.warrantyDays);
  if (!Number.isInteger(warrantyDays) || warrantyDays < 0)
    problems.push("warrantyDays: must be a whole number of days");

  let termsHash = ZeroHash;
  if (typeof raw.termsHash === "string" && /^0x[0-9a-fA-F]{64}$/.test(raw.termsHash)) termsHash = raw.termsHash;
  else if (typeof raw.terms === "string") {
    const termsFile = path.resolve(path.dirname(file), raw.terms);
    if (fs.existsSync(termsFile)) termsHash = keccak256(fs.readFileSync(termsFile));
    else problems.push(`terms: no file ${termsFile}`);
  } else problems.push("terms: give the contract file (terms) or its hash (termsHash)");
  const termsURI = typeof raw.termsURI === "string" ? raw.termsURI : "";

  const roleIndex = (value: unknown, field: string): number => {
    if (value === "payer") return 0;
    if (value === "supplier") return 1;
    const a = typeof value === "string" && isAddress(value) ? getAddress(value) : undefined;
    const i = a ? parties.indexOf(a) : -1;
    if (i < 0) problems.push(`${field}: "${String(value)}" is not payer, supplier or one of the signers`);
    return Math.max(i, 0);
  };
  const milestones = Array.isArray(raw.milestones) ? raw.milestones : [];
  if (milestones.length === 0) problems.push("milestones: at least one");
  const parsedMilestones = milestones.map((value, i) => {
    const m = value as Json;
    const field = `milestones[${i}]`;
    let amount = 0n;
    try {
      amount = parseUnits(String(m.amount), decimals);
      if (amount <= 0n) problems.push(`${field}.amount: must be positive`);
    } catch {
      problems.push(`${field}.amount: "${String(m.amount)}" is not an amount with at most ${decimals} decimals`);
    }
    let dueDate = 0n;
    try {
      dueDate = parseTime(String(m.due ?? ""));
      if (dueDate === 0n) problems.push(`${field}.due: is required`);
    } catch (error) {
      problems.push(`${field}.due: ${(error as Error).message}`);
    }
    const approverList = Array.isArray(m.approvers) ? m.approvers : ["payer"];
    const approvers = approverList.reduce<number>(
      (mask, a, j) => mask | (1 << roleIndex(a, `${field}.approvers[${j}]`)),
      0,
    );
    const threshold = m.threshold === undefined ? approverList.length : Number(m.threshold);
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > approverList.length)
      problems.push(`${field}.threshold: must be 1..${approverList.length}`);
    return { amount, dueDate, approvers, threshold };
  });
  let salt = ZeroHash;
  if (raw.salt !== undefined) {
    if (typeof raw.salt === "string" && /^0x[0-9a-fA-F]{64}$/.test(raw.salt)) salt = raw.salt;
    else problems.push("salt: must be 32 bytes as 0x-prefixed hex");
  }
  if (problems.length > 0) throw new AgreementFileError(file, problems);
  return {
    input: {
      parties,
      arbiters,
      arbiterThreshold,
      token,
      retentionBps,
      warrantyPeriod: warrantyDays * 86_400,
      termsHash,
      termsURI,
      milestones: parsedMilestones,
    },
    salt,
  };
}
