import { createECDH } from "node:crypto";
import { ethers } from "hardhat";
import { encodeBytes32String, hexlify, randomBytes } from "ethers";
import { KeyType, Purpose, SubjectType } from "../../src/identity/constants";
import type { KeyInput } from "../../src/identity/operations";
import type { RegistrationInput } from "../../src/identity/registration";
import { idCommitment, randomSalt } from "../../src/identity/commitment";

/** A valid public key of each type, as the registry takes it. */
export function sampleKey(keyType: KeyType, id: string, overrides: Partial<KeyInput> = {}): KeyInput {
  let publicKey: string;
  switch (keyType) {
    case KeyType.Ed25519:
    case KeyType.X25519:
      publicKey = hexlify(randomBytes(32));
      break;
    case KeyType.Secp256k1:
      publicKey = ethers.Wallet.createRandom().signingKey.compressedPublicKey;
      break;
    case KeyType.P256: {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      publicKey = "0x" + ecdh.getPublicKey("hex", "compressed");
      break;
    }
  }
  return {
    keyId: encodeBytes32String(id),
    keyType,
    purposes: keyType === KeyType.X25519 ? Purpose.keyAgreement : Purpose.authentication | Purpose.assertionMethod,
    validFrom: 0,
    validUntil: 0,
    publicKey,
    ...overrides,
  };
}

/** A citizen registration with a fresh salted commitment of a made-up ID number. */
export function citizenRegistration(did: string, n = 0): RegistrationInput {
  return {
    did,
    subjectType: SubjectType.Citizen,
    idCommitment: idCommitment("national-id", `1100${n.toString().padStart(10, "0")}`, randomSalt()),
  };
}
