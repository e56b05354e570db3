import { ECDH } from "node:crypto";
import {
  ZeroAddress,
  ZeroHash,
  decodeBytes32String,
  encodeBase58,
  getBytes,
  zeroPadValue,
  type Log,
  type Provider,
  type LogDescription,
} from "ethers";
import type {
  DIDDocument,
  DIDResolutionResult,
  ParsedDID,
  ResolverRegistry,
  Service,
  VerificationMethod,
} from "did-resolver";
import { DIDRegistry, DIDRegistry__factory } from "../../typechain-types";
import { KeyType, KEY_TYPE_INFO, Purpose, PurposeName, SubjectType } from "./constants";
import { DID_METHOD, parseDid, toDid } from "./did";

interface KeyState {
  keyType: KeyType;
  purposes: number;
  validFrom: bigint;
  validUntil: bigint;
  publicKey: string;
}
interface DelegateState {
  purposes: number;
  validFrom: bigint;
  validUntil: bigint;
}

/** The state of a DID rebuilt from its events, at some version. */
export interface DidHistoryState {
  address: string;
  controller: string;
  subjectType: SubjectType;
  deactivated: boolean;
  version: number;
  registration?: { registrar: string; idCommitment: string; metadataHash: string; metadataURI: string };
  keys: Map<string, KeyState>;
  delegates: Map<string, DelegateState>;
  services: Map<string, { type: string; endpoint: string }>;
  /** Block and time of the first and the last change replayed. */
  created?: { block: number; timestamp: number };
  updated?: { block: number; timestamp: number };
  /** Every change replayed, oldest first: event name, version, block. */
  changes: { event: string; version: number; block: number }[];
}

const PURPOSE_RELATIONSHIPS: [PurposeName, keyof DIDDocument][] = [
  ["authentication", "authentication"],
  ["assertionMethod", "assertionMethod"],
  ["keyAgreement", "keyAgreement"],
  ["capabilityInvocation", "capabilityInvocation"],
  ["capabilityDelegation", "capabilityDelegation"],
];

function fragment(bytes32: string): string {
  try {
    const text = decodeBytes32String(bytes32);
    if (/^[A-Za-z0-9._~-]+$/.test(text)) return text;
  } catch {
    // not a short string: fall back to hex
  }
  return bytes32;
}

/**
 * Reads the history of `address` by walking the `previousChange` chain: one log query per block that changed the
 * DID, newest first, then replays the changes oldest first. Stops at `maxVersion` if given.
 */
export async function readDidHistory(
  registry: DIDRegistry,
  address: string,
  maxVersion?: number,
): Promise<DidHistoryState> {
  const provider = registry.runner!.provider!;
  const registryAddress = await registry.getAddress();
  const record = await registry.didRecord(address);
  const didTopic = zeroPadValue(address, 32);
  const collected: { log: Log; parsed: LogDescription }[] = [];
  let block = Number(record.lastChange);
  while (block > 0) {
    const logs = await provider.getLogs({
      address: registryAddress,
      fromBlock: block,
      toBlock: block,
      topics: [null, didTopic],
    });
    let previous = block;
    for (const log of logs) {
      const parsed = registry.interface.parseLog(log);
      if (!parsed) continue;
      collected.push({ log, parsed });
      const prev = Number(parsed.args.previousChange);
      if (prev < previous) previous = prev;
    }
    if (previous === block) break; // no change found in that block: the chain ends here
    block = previous;
  }
  collected.sort((a, b) => a.log.blockNumber - b.log.blockNumber || a.log.index - b.log.index);

  const state: DidHistoryState = {
    address,
    controller: address,
    subjectType: SubjectType.None,
    deactivated: false,
    version: 0,
    keys: new Map(),
    delegates: new Map(),
    services: new Map(),
    changes: [],
  };
  const timestamps = new Map<number, number>();
  for (const { log, parsed } of collected) {
    const version = Number(parsed.args.version);
    if (maxVersion !== undefined && version > maxVersion) break;
    const args = parsed.args;
    switch (parsed.name) {
      case "DIDRegistered":
        state.controller = args.controller === ZeroAddress ? address : args.controller;
        state.subjectType = Number(args.subjectType);
        state.registration = {
          registrar: await registrarOf(registry, log),
          idCommitment: args.idCommitment,
          metadataHash: ZeroHash,
          metadataURI: "",
        };
        break;
      case "DIDMetadataSet":
        if (state.registration) {
          state.registration.metadataHash = args.metadataHash;
          state.registration.metadataURI = args.metadataURI;
        }
        break;
      case "DIDControllerChanged":
        state.controller = args.controller;
        break;
      case "DIDDelegateChanged":
        state.delegates.set(args.delegate, {
          purposes: Number(args.purposes),
          validFrom: args.validFrom,
          validUntil: args.validUntil,
        });
        break;
      case "DIDKeyAdded":
        state.keys.set(args.keyId, {
          keyType: Number(args.keyType),
          purposes: Number(args.purposes),
          validFrom: args.validFrom,
          validUntil: args.validUntil,
          publicKey: args.publicKey,
        });
        break;
      case "DIDKeyRevoked": {
        const key = state.keys.get(args.keyId);
        if (key && args.validUntil < key.validUntil) key.validUntil = args.validUntil;
        break;
      }
      case "DIDServiceSet":
        state.services.set(args.serviceId, { type: args.serviceType, endpoint: args.endpoint });
        break;
      case "DIDServiceRemoved":
        state.services.delete(args.serviceId);
        break;
      case "DIDDeactivated":
        state.deactivated = true;
        break;
      case "DIDSignaturesInvalidated":
        break;
      default:
        continue;
    }
    state.version = version;
    if (!timestamps.has(log.blockNumber)) {
      timestamps.set(log.blockNumber, (await provider.getBlock(log.blockNumber))!.timestamp);
    }
    const at = { block: log.blockNumber, timestamp: timestamps.get(log.blockNumber)! };
    state.created ??= at;
    state.updated = at;
    state.changes.push({ event: parsed.name, version, block: log.blockNumber });
  }
  return state;
}

/** The registrar of a registration: the DIDsRegistered event of the same transaction. */
async function registrarOf(registry: DIDRegistry, log: Log): Promise<string> {
  const events = await registry.queryFilter(registry.filters.DIDsRegistered(), log.blockNumber, log.blockNumber);
  const match = events.find((e) => e.transactionHash === log.transactionHash);
  return match ? match.args.registrar : ZeroAddress;
}

function uncompressedJwk(keyType: KeyType, compressedHex: string) {
  const curve = keyType === KeyType.P256 ? "prime256v1" : "secp256k1";
  const uncompressed = Buffer.from(
    ECDH.convertKey(Buffer.from(getBytes(compressedHex)), curve, undefined, undefined, "uncompressed") as Buffer,
  );
  const b64url = (b: Buffer) => b.toString("base64url");
  return {
    kty: "EC",
    crv: keyType === KeyType.P256 ? "P-256" : "secp256k1",
    x: b64url(uncompressed.subarray(1, 33)),
    y: b64url(uncompressed.subarray(33, 65)),
  };
}

function multibase(multicodec: number[], keyHex: string): string {
  return "z" + encodeBase58(new Uint8Array([...multicodec, ...getBytes(keyHex)]));
}

function verificationMethod(did: string, id: string, key: KeyState): VerificationMethod {
  const base = { id: `${did}#${id}`, type: KEY_TYPE_INFO[key.keyType].vmType, controller: did };
  switch (key.keyType) {
    case KeyType.Ed25519:
      return { ...base, publicKeyMultibase: multibase([0xed, 0x01], key.publicKey) };
    case KeyType.X25519:
      return { ...base, publicKeyMultibase: multibase([0xec, 0x01], key.publicKey) };
    default:
      return { ...base, publicKeyJwk: uncompressedJwk(key.keyType, key.publicKey) };
  }
}

/** Builds the W3C DID Core document of a DID state, with keys and delegates valid at `now` (unix seconds). */
export function buildDidDocument(chainId: bigint, state: DidHistoryState, now: bigint): DIDDocument {
  const did = toDid(chainId, state.address);
  const doc: DIDDocument = {
    "@context": [
      "https://www.w3.org/ns/did/v1",
      "https://w3id.org/security/suites/secp256k1recovery-2020/v2",
      "https://w3id.org/security/suites/ed25519-2020/v1",
      "https://w3id.org/security/suites/x25519-2020/v1",
      "https://w3id.org/security/suites/jws-2020/v1",
    ],
    id: did,
  };
  if (state.deactivated) return doc;
  if (state.controller.toLowerCase() !== state.address.toLowerCase()) doc.controller = toDid(chainId, state.controller);

  const controllerVm: VerificationMethod = {
    id: `${did}#controller`,
    type: "EcdsaSecp256k1RecoveryMethod2020",
    controller: did,
    blockchainAccountId: `eip155:${chainId}:${state.controller}`,
  };
  const methods: VerificationMethod[] = [controllerVm];
  const relationships = new Map<keyof DIDDocument, string[]>(PURPOSE_RELATIONSHIPS.map(([, r]) => [r, []]));
  // The controller authenticates and may invoke and delegate capabilities and make assertions.
  for (const [name, rel] of PURPOSE_RELATIONSHIPS)
    if (name !== "keyAgreement") relationships.get(rel)!.push(controllerVm.id);

  const add = (vm: VerificationMethod, purposes: number) => {
    methods.push(vm);
    for (const [name, rel] of PURPOSE_RELATIONSHIPS) if (purposes & Purpose[name]) relationships.get(rel)!.push(vm.id);
  };
  for (const [delegate, rights] of state.delegates) {
    if (rights.validFrom <= now && now < rights.validUntil) {
      add(
        {
          id: `${did}#delegate-${delegate}`,
          type: "EcdsaSecp256k1RecoveryMethod2020",
          controller: did,
          blockchainAccountId: `eip155:${chainId}:${delegate}`,
        },
        rights.purposes,
      );
    }
  }
  for (const [keyId, key] of state.keys) {
    if (key.validFrom <= now && now < key.validUntil) add(verificationMethod(did, fragment(keyId), key), key.purposes);
  }
  doc.verificationMethod = methods;
  for (const [rel, ids] of relationships) if (ids.length > 0) (doc as Record<string, unknown>)[rel] = ids;
  const services: Service[] = [...state.services].map(([id, s]) => ({
    id: `${did}#${fragment(id)}`,
    type: s.type,
    serviceEndpoint: s.endpoint,
  }));
  if (services.length > 0) doc.service = services;
  return doc;
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * Resolves a `did:govchain` DID into a DID resolution result (document and metadata), as of now or as of
 * `versionId` (the `?versionId=` DID URL parameter).
 */
export async function resolveDid(
  registry: DIDRegistry,
  did: string,
  options: { versionId?: number } = {},
): Promise<DIDResolutionResult> {
  const provider = registry.runner!.provider! as Provider;
  const contentType = "application/did+ld+json";
  let parsed;
  try {
    parsed = parseDid(did);
  } catch (error) {
    return {
      didResolutionMetadata: { error: "invalidDid", message: (error as Error).message },
      didDocument: null,
      didDocumentMetadata: {},
    };
  }
  const { chainId } = await provider.getNetwork();
  if (parsed.chainId !== chainId) {
    return {
      didResolutionMetadata: {
        error: "notFound",
        message: `this resolver serves chain ${chainId}, not ${parsed.chainId}`,
      },
      didDocument: null,
      didDocumentMetadata: {},
    };
  }
  const state = await readDidHistory(registry, parsed.address, options.versionId);
  const now =
    options.versionId !== undefined && state.updated
      ? BigInt(state.updated.timestamp)
      : BigInt((await provider.getBlock("latest"))!.timestamp);
  const metadata: Record<string, unknown> = { versionId: String(state.version) };
  if (state.created) metadata.created = iso(state.created.timestamp);
  if (state.updated) metadata.updated = iso(state.updated.timestamp);
  if (state.deactivated) metadata.deactivated = true;
  metadata.govchain = {
    subjectType: SubjectType[state.subjectType],
    ...(state.registration ?? {}),
  };
  return {
    didResolutionMetadata: { contentType },
    didDocument: buildDidDocument(chainId, state, now),
    didDocumentMetadata: metadata,
  };
}

/**
 * A did-resolver plugin: `new Resolver(getResolver({ provider, registry }))` lets Veramo-style agents resolve
 * `did:govchain` DIDs.
 */
export function getResolver(config: { provider: Provider; registry: string }): ResolverRegistry {
  const registry = DIDRegistry__factory.connect(config.registry, config.provider);
  return {
    [DID_METHOD]: async (_did: string, parsed: ParsedDID) => {
      const versionParam = new URLSearchParams(parsed.query ?? "").get("versionId");
      return resolveDid(registry, parsed.did, versionParam ? { versionId: Number(versionParam) } : {});
    },
  };
}
