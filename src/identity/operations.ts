import type { ContractTransactionResponse, Signer, TypedDataDomain, TypedDataField } from "ethers";
import type { DIDRegistry } from "../../typechain-types";
import type { IDIDRegistry } from "../../typechain-types/contracts/identity/DIDRegistry";
import { KeyType } from "./constants";

/** A public key as the registry takes it. `validUntil` 0 means no expiry. */
export interface KeyInput {
  keyId: string; // bytes32, e.g. encodeBytes32String("key-1")
  keyType: KeyType;
  purposes: number;
  validFrom: bigint | number;
  validUntil: bigint | number;
  publicKey: string; // hex
}

export interface DelegateRights {
  purposes: number;
  validFrom: bigint | number;
  validUntil: bigint | number;
}

/** Every controller operation of the DID registry, as data: sent directly or signed and relayed. */
export type DidOperation =
  | { kind: "changeController"; newController: string }
  | { kind: "setDelegate"; delegate: string; rights: DelegateRights }
  | { kind: "revokeDelegate"; delegate: string }
  | { kind: "addKey"; key: KeyInput }
  | { kind: "revokeKey"; keyId: string; validUntil: bigint | number }
  | { kind: "rotateKey"; oldKeyId: string; overlap: number; newKey: KeyInput }
  | { kind: "setService"; serviceId: string; serviceType: string; endpoint: string }
  | { kind: "removeService"; serviceId: string }
  | { kind: "deactivate"; reasonHash: string };

const KEY_FIELDS: TypedDataField[] = [
  { name: "keyId", type: "bytes32" },
  { name: "keyType", type: "uint8" },
  { name: "purposes", type: "uint8" },
  { name: "validFrom", type: "uint48" },
  { name: "validUntil", type: "uint48" },
  { name: "publicKey", type: "bytes" },
];
const AUTH_FIELDS: TypedDataField[] = [
  { name: "version", type: "uint32" },
  { name: "deadline", type: "uint48" },
];
const did: TypedDataField = { name: "did", type: "address" };

/** The EIP-712 types of each signed operation (must match the typehashes in DIDRegistry.sol). */
export const DID_OPERATION_TYPES: Record<DidOperation["kind"], Record<string, TypedDataField[]>> = {
  changeController: { ChangeController: [did, { name: "newController", type: "address" }, ...AUTH_FIELDS] },
  setDelegate: {
    SetDelegate: [
      did,
      { name: "delegate", type: "address" },
      { name: "purposes", type: "uint8" },
      { name: "validFrom", type: "uint48" },
      { name: "validUntil", type: "uint48" },
      ...AUTH_FIELDS,
    ],
  },
  revokeDelegate: { RevokeDelegate: [did, { name: "delegate", type: "address" }, ...AUTH_FIELDS] },
  addKey: { AddKey: [did, { name: "key", type: "Key" }, ...AUTH_FIELDS], Key: KEY_FIELDS },
  revokeKey: {
    RevokeKey: [did, { name: "keyId", type: "bytes32" }, { name: "validUntil", type: "uint48" }, ...AUTH_FIELDS],
  },
  rotateKey: {
    RotateKey: [
      did,
      { name: "oldKeyId", type: "bytes32" },
      { name: "overlap", type: "uint32" },
      { name: "newKey", type: "Key" },
      ...AUTH_FIELDS,
    ],
    Key: KEY_FIELDS,
  },
  setService: {
    SetService: [
      did,
      { name: "serviceId", type: "bytes32" },
      { name: "serviceType", type: "string" },
      { name: "endpoint", type: "string" },
      ...AUTH_FIELDS,
    ],
  },
  removeService: { RemoveService: [did, { name: "serviceId", type: "bytes32" }, ...AUTH_FIELDS] },
  deactivate: { Deactivate: [did, { name: "reasonHash", type: "bytes32" }, ...AUTH_FIELDS] },
};

/** The operation's own fields, as the typed data message carries them. */
function operationFields(op: DidOperation): Record<string, unknown> {
  switch (op.kind) {
    case "changeController":
      return { newController: op.newController };
    case "setDelegate":
      return { delegate: op.delegate, ...op.rights };
    case "revokeDelegate":
      return { delegate: op.delegate };
    case "addKey":
      return { key: op.key };
    case "revokeKey":
      return { keyId: op.keyId, validUntil: op.validUntil };
    case "rotateKey":
      return { oldKeyId: op.oldKeyId, overlap: op.overlap, newKey: op.newKey };
    case "setService":
      return { serviceId: op.serviceId, serviceType: op.serviceType, endpoint: op.endpoint };
    case "removeService":
      return { serviceId: op.serviceId };
    case "deactivate":
      return { reasonHash: op.reasonHash };
  }
}

export async function registryDomain(registry: DIDRegistry): Promise<TypedDataDomain> {
  const domain = await registry.eip712Domain();
  return {
    name: domain.name,
    version: domain.version,
    chainId: domain.chainId,
    verifyingContract: domain.verifyingContract,
  };
}

export interface SignOptions {
  /** The DID version the operation applies to (default: the current one). Sign version+k for the k-th queued op. */
  version?: bigint | number;
  /** Unix time after which the signature is refused (default: one hour from the chain's latest block). */
  deadline?: bigint | number;
  /** Override the domain (tests use this to sign for another chain). */
  domain?: TypedDataDomain;
}

/** The controller signs `op` on `didAddress` for a relayer to submit. */
export async function signDidOperation(
  registry: DIDRegistry,
  controller: Signer,
  didAddress: string,
  op: DidOperation,
  options: SignOptions = {},
): Promise<IDIDRegistry.SignedAuthStruct> {
  const version = options.version ?? (await registry.didRecord(didAddress)).version;
  let deadline = options.deadline;
  if (deadline === undefined) {
    const latest = await controller.provider!.getBlock("latest");
    deadline = BigInt(latest!.timestamp) + 3600n;
  }
  const types = DID_OPERATION_TYPES[op.kind];
  const domain = options.domain ?? (await registryDomain(registry));
  const message = { did: didAddress, ...operationFields(op), version, deadline };
  const signature = await controller.signTypedData(domain, types, message);
  return { version, deadline, signature };
}

/** Sends `op` directly from the connected controller, or relays it with `auth` when given. */
export function sendDidOperation(
  registry: DIDRegistry,
  didAddress: string,
  op: DidOperation,
  auth?: IDIDRegistry.SignedAuthStruct,
): Promise<ContractTransactionResponse> {
  switch (op.kind) {
    case "changeController":
      return auth
        ? registry.changeControllerSigned(didAddress, op.newController, auth)
        : registry.changeController(didAddress, op.newController);
    case "setDelegate":
      return auth
        ? registry.setDelegateSigned(didAddress, op.delegate, op.rights, auth)
        : registry.setDelegate(didAddress, op.delegate, op.rights);
    case "revokeDelegate":
      return auth
        ? registry.revokeDelegateSigned(didAddress, op.delegate, auth)
        : registry.revokeDelegate(didAddress, op.delegate);
    case "addKey":
      return auth ? registry.addKeySigned(didAddress, op.key, auth) : registry.addKey(didAddress, op.key);
    case "revokeKey":
      return auth
        ? registry.revokeKeySigned(didAddress, op.keyId, op.validUntil, auth)
        : registry.revokeKey(didAddress, op.keyId, op.validUntil);
    case "rotateKey":
      return auth
        ? registry.rotateKeySigned(didAddress, op.oldKeyId, op.overlap, op.newKey, auth)
        : registry.rotateKey(didAddress, op.oldKeyId, op.overlap, op.newKey);
    case "setService":
      return auth
        ? registry.setServiceSigned(didAddress, op.serviceId, op.serviceType, op.endpoint, auth)
        : registry.setService(didAddress, op.serviceId, op.serviceType, op.endpoint);
    case "removeService":
      return auth
        ? registry.removeServiceSigned(didAddress, op.serviceId, auth)
        : registry.removeService(didAddress, op.serviceId);
    case "deactivate":
      return auth
        ? registry.deactivateSigned(didAddress, op.reasonHash, auth)
        : registry.deactivate(didAddress, op.reasonHash);
  }
}
