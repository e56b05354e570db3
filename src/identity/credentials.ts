import { AbiCoder, getAddress, isAddress, keccak256, toUtf8Bytes } from "ethers";
import type { BatchJob } from "../batch/engine";
import { readRecords, type LineError } from "../util/csv";
import { parseTime } from "../util/time";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { CredentialRegistry } from "../../typechain-types";
import type { ICredentialRegistry } from "../../typechain-types/contracts/identity/CredentialRegistry";

/** Mirrors ICredentialRegistry.CredentialStatus. */
export const CREDENTIAL_STATUS = [
  "Valid",
  "NotFound",
  "NotYetValid",
  "Expired",
  "Revoked",
  "Suspended",
  "SubjectDeactivated",
] as const;
export type CredentialStatusName = (typeof CREDENTIAL_STATUS)[number];

export function statusName(code: bigint | number): CredentialStatusName {
  return CREDENTIAL_STATUS[Number(code)];
}

/** The id of schema `name` version `version`, as the registry computes it. */
export function schemaIdOf(name: string, version: number): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["string", "uint32"], [name, version]));
}

/** JSON with object keys sorted at every level: the same credential always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The fingerprint of a verifiable credential document: keccak256 of its canonical JSON. */
export function credentialHash(credential: unknown): string {
  return keccak256(toUtf8Bytes(canonicalJson(credential)));
}

export type CredentialInput = ICredentialRegistry.CredentialInputStruct;

/** The status index after the highest this issuer has used for a direct credential (read from its events). */
export async function nextDirectStatusIndex(registry: CredentialRegistry, issuer: string): Promise<bigint> {
  const events = await registry.queryFilter(registry.filters.CredentialIssued(issuer));
  let next = 0n;
  for (const e of events) if (e.args.statusIndex >= next) next = e.args.statusIndex + 1n;
  return next;
}

/** Sorted, de-duplicated indices, as the status functions require. */
export function sortedIndices(indices: (bigint | number)[]): bigint[] {
  return [...new Set(indices.map(BigInt))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One leaf of a credential root: what the holder keeps with its credential to prove it is in the batch. */
export interface RootReceipt {
  issuer: string;
  root: ICredentialRegistry.CredentialRootStruct;
  credentialHash: string;
  subject: string;
  position: number;
  /** The leaf's status index, for revocation: rootStatusBase + position. */
  statusIndex: bigint;
  proof: string[];
}

const LEAF_TYPES = ["bytes32", "address", "uint32"];

/** Turns a batch into an ICredentialRegistry.BatchCredential list, dropping the schema the batch gives. */
export function toBatchCredentials(credentials: CredentialInput[]): ICredentialRegistry.BatchCredentialStruct[] {
  return credentials.map(({ credentialHash, subject, validFrom, validUntil, statusIndex }) => ({
    credentialHash,
    subject,
    validFrom,
    validUntil,
    statusIndex,
  }));
}

/**
 * Anchors a whole batch of credentials as one Merkle root (`registry` connected as `issuer`): builds the
 * OpenZeppelin standard tree of (credentialHash, subject, position), issues the root, and returns one receipt per
 * credential with its proof and its status index.
 */
export async function issueCredentialRoot(
  registry: CredentialRegistry,
  issuer: string,
  batch: {
    schemaId: string;
    validFrom: bigint | number;
    validUntil: bigint | number;
    credentials: { credentialHash: string; subject: string }[];
  },
): Promise<{ receipts: RootReceipt[]; txHash: string }> {
  const values = batch.credentials.map((c, i) => [c.credentialHash, c.subject, i]);
  const tree = StandardMerkleTree.of(values, LEAF_TYPES);
  const root: ICredentialRegistry.CredentialRootStruct = {
    root: tree.root,
    schemaId: batch.schemaId,
    validFrom: batch.validFrom,
    validUntil: batch.validUntil,
    count: values.length,
  };
  const tx = await registry.issueRoot(root);
  await tx.wait();
  const base = await registry.rootStatusBase(issuer, root);
  const receipts = [...tree.entries()].map(([i, [credentialHash, subject, position]]) => ({
    issuer,
    root,
    credentialHash: credentialHash as string,
    subject: subject as string,
    position: Number(position),
    statusIndex: base + BigInt(position as number),
    proof: tree.getProof(i),
  }));
  return { receipts, txHash: tx.hash };
}

/** Checks a root receipt on chain. */
export async function verifyRootReceipt(
  registry: CredentialRegistry,
  receipt: RootReceipt,
): Promise<CredentialStatusName> {
  return statusName(
    await registry.verifyInBatch(
      receipt.issuer,
      receipt.root,
      receipt.credentialHash,
      receipt.subject,
      receipt.position,
      receipt.proof,
    ),
  );
}

/** Checks a root receipt against its root offline (no chain): the proof is self-contained. */
export function checkRootProofOffline(receipt: RootReceipt): boolean {
  return StandardMerkleTree.verify(
    receipt.root.root as string,
    LEAF_TYPES,
    [receipt.credentialHash, receipt.subject, receipt.position],
    receipt.proof,
  );
}

/** The credential issuance job for the batch engine: one `issueBatch` per chunk, all of schema `schemaId`. */
export function credentialIssuanceJob(
  registry: CredentialRegistry,
  issuer: string,
  schemaId: string,
  credentials: CredentialInput[],
): BatchJob<CredentialInput> {
  return {
    name: "credential:batch-issue",
    records: credentials,
    keyOf: (c) => String(c.statusIndex),
    isRecorded: async (records) => {
      const out: boolean[] = [];
      for (let i = 0; i < records.length; i += 50) {
        const part = await Promise.all(records.slice(i, i + 50).map((c) => registry.verify(issuer, c)));
        out.push(...part.map((status) => statusName(status) !== "NotFound"));
      }
      return out;
    },
    buildTx: (chunk) => registry.issueBatch.populateTransaction(schemaId, toBatchCredentials(chunk)),
  };
}

/**
 * Reads a credential batch file (CSV or JSONL: subject, credentialHash, optional validFrom, validUntil,
 * statusIndex) and validates every line first. Rows without a status index get the next free ones, in order.
 */
export async function parseCredentialFile(
  file: string,
  schemaId: string,
  firstFreeIndex: bigint,
): Promise<{ credentials: (CredentialInput & { line: number })[]; errors: LineError[] }> {
  const credentials: (CredentialInput & { line: number })[] = [];
  const errors: LineError[] = [];
  const used = new Map<bigint, number>();
  let next = firstFreeIndex;
  for await (const { line, fields } of readRecords(file)) {
    if (fields.__error) {
      errors.push({ line, field: "(line)", message: fields.__error });
      continue;
    }
    const bad = (field: string, message: string) => errors.push({ line, field, message });
    const before = errors.length;
    if (!isAddress(fields.subject ?? "")) bad("subject", `"${fields.subject ?? ""}" is not an address`);
    if (!/^0x[0-9a-fA-F]{64}$/.test(fields.credentialHash ?? ""))
      bad("credentialHash", "must be 32 bytes as 0x-prefixed hex");
    const time = (field: string) => {
      try {
        return parseTime(fields[field]);
      } catch (error) {
        bad(field, (error as Error).message);
        return 0n;
      }
    };
    const validFrom = time("validFrom");
    const validUntil = time("validUntil");
    if (validUntil !== 0n && validUntil <= validFrom) bad("validUntil", "must be after validFrom");
    let statusIndex: bigint;
    if (fields.statusIndex) {
      if (!/^[0-9]+$/.test(fields.statusIndex)) bad("statusIndex", `"${fields.statusIndex}" is not a status index`);
      statusIndex = /^[0-9]+$/.test(fields.statusIndex) ? BigInt(fields.statusIndex) : 0n;
    } else {
      while (used.has(next)) next++;
      statusIndex = next++;
    }
    const first = used.get(statusIndex);
    if (first !== undefined) bad("statusIndex", `${statusIndex} is already used on line ${first}`);
    else used.set(statusIndex, line);
    if (errors.length > before) continue;
    credentials.push({
      line,
      credentialHash: fields.credentialHash,
      subject: getAddress(fields.subject),
      schemaId,
      validFrom,
      validUntil,
      statusIndex,
    });
  }
  return { credentials, errors };
}
