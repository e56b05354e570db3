import { ZeroAddress, ZeroHash, getAddress, isAddress, type Signer } from "ethers";
import { runBatch, type BatchJob, type BatchOptions, type BatchSummary } from "../batch/engine";
import type { DIDRegistry } from "../../typechain-types";
import type { IDIDRegistry } from "../../typechain-types/contracts/identity/DIDRegistry";
import { LineError, readRecords } from "../util/csv";
import { parseSubjectType, SubjectType } from "./constants";
import { idCommitment, randomSalt } from "./commitment";
import { parseDid } from "./did";

export interface RegistrationInput {
  did: string;
  controller?: string; // default: the DID itself
  subjectType: SubjectType;
  idCommitment: string;
  /** Metadata document: only with single registrations (batches carry none, to stay cheap). */
  metadataHash?: string;
  metadataURI?: string;
}

/** The on-chain registration: a controller equal to the DID is sent as zero ("controls itself"), which is cheaper. */
export function toRegistrationStruct(input: RegistrationInput): IDIDRegistry.RegistrationStruct {
  const selfControlled = !input.controller || input.controller.toLowerCase() === input.did.toLowerCase();
  return {
    did: input.did,
    controller: selfControlled ? ZeroAddress : input.controller!,
    subjectType: input.subjectType,
    idCommitment: input.idCommitment,
  };
}

/** Registers one DID, with its metadata document if any. */
export function registerDid(registry: DIDRegistry, input: RegistrationInput) {
  return registry.register(toRegistrationStruct(input), input.metadataHash ?? ZeroHash, input.metadataURI ?? "");
}

/**
 * Registers `input.did` unless it is already registered (so a setup script or a scenario can run twice on one
 * chain); waits for the transaction. Returns whether it registered the DID now.
 */
export async function ensureRegistered(registry: DIDRegistry, input: RegistrationInput): Promise<boolean> {
  if (Number((await registry.didRecord(input.did)).subjectType) !== SubjectType.None) return false;
  await (await registerDid(registry, input)).wait();
  return true;
}

/** What a registration file yields: the records, the salts generated for them, and every bad line. */
export interface ParsedRegistrations {
  registrations: (RegistrationInput & { line: number })[];
  /** Salts generated here for rows that gave an ID number without a salt: the registrar must keep them. */
  generatedSalts: { did: string; idScheme: string; salt: string }[];
  errors: LineError[];
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

function addressField(value: string, field: string, line: number, errors: LineError[]): string | undefined {
  if (value.startsWith("did:")) {
    try {
      return parseDid(value).address;
    } catch (error) {
      errors.push({ line, field, message: (error as Error).message });
      return undefined;
    }
  }
  if (!isAddress(value)) {
    errors.push({ line, field, message: `"${value}" is not an address or did:govchain DID` });
    return undefined;
  }
  return getAddress(value);
}

/**
 * Reads a CSV or JSONL registration file as a stream and validates every line before anything is sent.
 * Columns: did, subjectType (citizen | organization | agency), controller (optional, default the DID), and either
 * idCommitment (bytes32) or idScheme + idNumber (+ salt, generated when missing), metadataHash and metadataURI
 * (optional). Raw ID numbers never leave this process: only their salted commitments are sent.
 */
export async function parseRegistrationFile(file: string): Promise<ParsedRegistrations> {
  const result: ParsedRegistrations = { registrations: [], generatedSalts: [], errors: [] };
  const seen = new Map<string, number>();
  for await (const { line, fields } of readRecords(file)) {
    const errors: LineError[] = [];
    if (fields.__error) {
      result.errors.push({ line, field: "(line)", message: fields.__error });
      continue;
    }
    const did = fields.did ? addressField(fields.did, "did", line, errors) : undefined;
    if (!fields.did) errors.push({ line, field: "did", message: "is required" });
    const controller = fields.controller ? addressField(fields.controller, "controller", line, errors) : undefined;
    let subjectType: SubjectType | undefined;
    try {
      subjectType = parseSubjectType(fields.subjectType ?? "");
    } catch (error) {
      errors.push({ line, field: "subjectType", message: (error as Error).message });
    }
    let commitment: string | undefined;
    let generatedSalt: string | undefined;
    if (fields.idCommitment) {
      if (!BYTES32.test(fields.idCommitment)) {
        errors.push({ line, field: "idCommitment", message: "must be 32 bytes as 0x-prefixed hex" });
      } else commitment = fields.idCommitment;
    } else if (fields.idScheme && fields.idNumber) {
      let salt = fields.salt;
      if (salt && !BYTES32.test(salt)) {
        errors.push({ line, field: "salt", message: "must be 32 bytes as 0x-prefixed hex" });
      } else {
        if (!salt) salt = generatedSalt = randomSalt();
        commitment = idCommitment(fields.idScheme, fields.idNumber, salt);
      }
    } else {
      errors.push({ line, field: "idCommitment", message: "give idCommitment, or idScheme and idNumber" });
    }
    if (fields.metadataHash && !BYTES32.test(fields.metadataHash)) {
      errors.push({ line, field: "metadataHash", message: "must be 32 bytes as 0x-prefixed hex" });
    }
    if (did) {
      const first = seen.get(did);
      if (first !== undefined) errors.push({ line, field: "did", message: `${did} is already on line ${first}` });
      else seen.set(did, line);
    }
    if (errors.length > 0 || !did || subjectType === undefined || !commitment) {
      result.errors.push(...errors);
      continue;
    }
    result.registrations.push({
      line,
      did,
      controller,
      subjectType,
      idCommitment: commitment,
      metadataHash: fields.metadataHash || undefined,
      metadataURI: fields.metadataURI || undefined,
    });
    if (generatedSalt) result.generatedSalts.push({ did, idScheme: fields.idScheme, salt: generatedSalt });
  }
  return result;
}

/** The DID registration job for the batch engine: one `registerBatch` per chunk. */
export function didRegistrationJob(registry: DIDRegistry, inputs: RegistrationInput[]): BatchJob<RegistrationInput> {
  return {
    name: "did:batch-register",
    records: inputs,
    keyOf: (r) => r.did.toLowerCase(),
    isRecorded: async (records) => {
      const out: boolean[] = [];
      for (let i = 0; i < records.length; i += 50) {
        const part = await Promise.all(records.slice(i, i + 50).map((r) => registry.didRecord(r.did)));
        out.push(...part.map((rec) => Number(rec.subjectType) !== SubjectType.None));
      }
      return out;
    },
    buildTx: (chunk) => registry.registerBatch.populateTransaction(chunk.map(toRegistrationStruct)),
  };
}

/**
 * Registers DIDs through the batch engine (chunks sized to the block, pipelined, journaled when `journal` is given,
 * resumable with `resume`), with `registry` connected as a REGISTRAR.
 */
export async function registerDids(
  registry: DIDRegistry,
  inputs: RegistrationInput[],
  options: Omit<BatchOptions, "signer"> = {},
): Promise<BatchSummary> {
  const signer = registry.runner as Signer;
  return runBatch(didRegistrationJob(registry, inputs), { ...options, signer });
}
