/** Mirrors IDIDRegistry.SubjectType. */
export enum SubjectType {
  None = 0,
  Citizen = 1,
  Organization = 2,
  Agency = 3,
}

/** Mirrors IDIDRegistry.KeyType, with the W3C verification method type each maps to. */
export enum KeyType {
  Ed25519 = 0,
  X25519 = 1,
  Secp256k1 = 2,
  P256 = 3,
}

export const KEY_TYPE_INFO: Record<KeyType, { vmType: string; length: number }> = {
  [KeyType.Ed25519]: { vmType: "Ed25519VerificationKey2020", length: 32 },
  [KeyType.X25519]: { vmType: "X25519KeyAgreementKey2020", length: 32 },
  [KeyType.Secp256k1]: { vmType: "EcdsaSecp256k1VerificationKey2019", length: 33 },
  [KeyType.P256]: { vmType: "JsonWebKey2020", length: 33 },
};

/** Verification relationships as bits (DIDRegistry.AUTHENTICATION ...). */
export const Purpose = {
  authentication: 1,
  assertionMethod: 2,
  keyAgreement: 4,
  capabilityInvocation: 8,
  capabilityDelegation: 16,
} as const;
export type PurposeName = keyof typeof Purpose;

export function parseSubjectType(text: string): SubjectType {
  const normalized = text.trim().toLowerCase();
  const found = { citizen: SubjectType.Citizen, organization: SubjectType.Organization, agency: SubjectType.Agency }[
    normalized
  ];
  if (found === undefined) throw new Error(`subject type must be citizen, organization or agency, not "${text}"`);
  return found;
}

/** "No expiry" as the registry reports it (type(uint48).max). */
export const FOREVER = 2n ** 48n - 1n;
