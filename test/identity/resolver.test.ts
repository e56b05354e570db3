import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash, encodeBytes32String } from "ethers";
import { Resolver } from "did-resolver";
import type { DIDDocument, VerificationMethod } from "did-resolver";
import { deployPlatform } from "../../src/platform";
import { KeyType, Purpose } from "../../src/identity/constants";
import { registerDid } from "../../src/identity/registration";
import { getResolver, resolveDid } from "../../src/identity/resolver";
import { toDid } from "../../src/identity/did";
import { citizenRegistration, sampleKey } from "./helpers";
import localParameters from "../../ignition/parameters/local.json";

async function deployResolverFixture() {
  const [, registrar, , , , , , , , , alice, bob, carol] = await ethers.getSigners();
  const { didRegistry } = await deployPlatform(hre, localParameters);
  const chainId = (await ethers.provider.getNetwork()).chainId;
  return { registry: didRegistry, registrar, alice, bob, carol, chainId };
}

const RELATIONSHIPS = [
  "authentication",
  "assertionMethod",
  "keyAgreement",
  "capabilityInvocation",
  "capabilityDelegation",
] as const;

/** The DID Core rules a conforming document keeps: ids, contexts, and every relationship pointing at a method. */
function expectValidDidCore(doc: DIDDocument, did: string) {
  expect(doc.id).to.equal(did);
  expect((doc["@context"] as string[])[0]).to.equal("https://www.w3.org/ns/did/v1");
  const ids = new Set<string>();
  for (const vm of doc.verificationMethod ?? []) {
    expect(vm.id.startsWith(`${did}#`), vm.id).to.equal(true);
    expect(vm.controller).to.match(/^did:govchain:/);
    expect(vm.type).to.be.a("string");
    const material = [vm.publicKeyMultibase, vm.publicKeyJwk, vm.blockchainAccountId].filter((x) => x !== undefined);
    expect(material, vm.id).to.have.length(1);
    expect(ids.has(vm.id), `duplicate ${vm.id}`).to.equal(false);
    ids.add(vm.id);
  }
  for (const rel of RELATIONSHIPS) {
    for (const ref of (doc[rel] as string[] | undefined) ?? []) expect(ids.has(ref), `${rel} -> ${ref}`).to.equal(true);
  }
  for (const service of doc.service ?? []) {
    expect(service.id.startsWith(`${did}#`)).to.equal(true);
    expect(service.serviceEndpoint).to.be.a("string");
  }
}

function method(doc: DIDDocument, fragment: string): VerificationMethod | undefined {
  return doc.verificationMethod?.find((vm) => vm.id.endsWith(`#${fragment}`));
}

describe("DID resolver", function () {
  it("resolves an untouched address to a document controlled by itself", async function () {
    const { registry, alice, chainId } = await loadFixture(deployResolverFixture);
    const did = toDid(chainId, alice.address);
    const result = await resolveDid(registry, did);
    expectValidDidCore(result.didDocument!, did);
    expect(result.didDocument!.controller).to.equal(undefined);
    expect(method(result.didDocument!, "controller")!.blockchainAccountId).to.equal(
      `eip155:${chainId}:${alice.address}`,
    );
    expect(result.didDocument!.authentication).to.deep.equal([`${did}#controller`]);
    expect(result.didDocumentMetadata.versionId).to.equal("0");
    expect(result.didDocumentMetadata.deactivated).to.equal(undefined);
  });

  it("resolves keys of every type, delegates and services into a valid DID Core document", async function () {
    const { registry, registrar, alice, bob, chainId } = await loadFixture(deployResolverFixture);
    const registration = {
      ...citizenRegistration(alice.address),
      metadataHash: ethers.id("meta"),
      metadataURI: "ipfs://meta",
    };
    await registerDid(registry.connect(registrar), registration);
    const r = registry.connect(alice);
    await r.addKey(alice, sampleKey(KeyType.Ed25519, "sign"));
    await r.addKey(alice, sampleKey(KeyType.X25519, "agree"));
    await r.addKey(alice, sampleKey(KeyType.Secp256k1, "k1", { purposes: Purpose.authentication }));
    await r.addKey(
      alice,
      sampleKey(KeyType.P256, "p256", { purposes: Purpose.assertionMethod | Purpose.keyAgreement }),
    );
    await r.setDelegate(alice, bob, { purposes: Purpose.capabilityInvocation, validFrom: 0, validUntil: 0 });
    await r.setService(alice, encodeBytes32String("gateway"), "GovGateway", "https://gw.example.gov");

    const did = toDid(chainId, alice.address);
    const { didDocument: doc, didDocumentMetadata: meta } = await resolveDid(registry, did);
    expectValidDidCore(doc!, did);
    expect(method(doc!, "sign")!.type).to.equal("Ed25519VerificationKey2020");
    expect(method(doc!, "sign")!.publicKeyMultibase).to.match(/^z/);
    expect(method(doc!, "agree")!.type).to.equal("X25519KeyAgreementKey2020");
    expect(method(doc!, "k1")!.publicKeyJwk).to.include({ kty: "EC", crv: "secp256k1" });
    expect(method(doc!, "p256")!.publicKeyJwk).to.include({ kty: "EC", crv: "P-256" });
    expect(doc!.keyAgreement).to.have.members([`${did}#agree`, `${did}#p256`]);
    expect(doc!.assertionMethod).to.include.members([`${did}#sign`, `${did}#p256`, `${did}#controller`]);
    expect(doc!.capabilityInvocation).to.include(`${did}#delegate-${bob.address}`);
    expect(doc!.service).to.deep.equal([
      { id: `${did}#gateway`, type: "GovGateway", serviceEndpoint: "https://gw.example.gov" },
    ]);
    expect(meta.versionId).to.equal("7");
    expect(meta.created).to.match(/^\d{4}-\d{2}-\d{2}T/);
    expect((meta as Record<string, unknown>).govchain).to.deep.include({
      subjectType: "Citizen",
      registrar: registrar.address,
      idCommitment: registration.idCommitment,
      metadataURI: "ipfs://meta",
    });
  });

  it("keeps a rotated key during its overlap, then drops it", async function () {
    const { registry, alice, chainId } = await loadFixture(deployResolverFixture);
    await registry.connect(alice).addKey(alice, sampleKey(KeyType.Ed25519, "old"));
    await registry.connect(alice).rotateKey(alice, encodeBytes32String("old"), 3600, sampleKey(KeyType.Ed25519, "new"));
    const did = toDid(chainId, alice.address);
    let doc = (await resolveDid(registry, did)).didDocument!;
    expect(method(doc, "old")).to.not.equal(undefined);
    expect(method(doc, "new")).to.not.equal(undefined);
    await time.increase(3601);
    doc = (await resolveDid(registry, did)).didDocument!;
    expect(method(doc, "old")).to.equal(undefined);
    expect(method(doc, "new")).to.not.equal(undefined);
  });

  it("resolves an earlier version with ?versionId", async function () {
    const { registry, alice, bob, chainId } = await loadFixture(deployResolverFixture);
    await registry.connect(alice).setService(alice, encodeBytes32String("a"), "T", "https://a");
    await registry.connect(alice).changeController(alice, bob);
    const did = toDid(chainId, alice.address);
    const resolver = new Resolver(getResolver({ provider: ethers.provider, registry: await registry.getAddress() }));
    const v1 = await resolver.resolve(`${did}?versionId=1`);
    expect(v1.didDocumentMetadata.versionId).to.equal("1");
    expect(v1.didDocument!.controller).to.equal(undefined);
    const now = await resolver.resolve(did);
    expect(now.didDocument!.controller).to.equal(toDid(chainId, bob.address));
    expect(method(now.didDocument!, "controller")!.blockchainAccountId).to.equal(`eip155:${chainId}:${bob.address}`);
  });

  it("reports a deactivated DID with an empty document", async function () {
    const { registry, alice, chainId } = await loadFixture(deployResolverFixture);
    await registry.connect(alice).addKey(alice, sampleKey(KeyType.Ed25519, "k"));
    await registry.connect(alice).deactivate(alice, ZeroHash);
    const did = toDid(chainId, alice.address);
    const result = await resolveDid(registry, did);
    expect(result.didDocumentMetadata.deactivated).to.equal(true);
    expect(result.didDocument!.verificationMethod).to.equal(undefined);
    expectValidDidCore(result.didDocument!, did);
  });

  it("answers invalidDid and notFound as the DID resolution spec says", async function () {
    const { registry, alice } = await loadFixture(deployResolverFixture);
    expect((await resolveDid(registry, "did:example:123")).didResolutionMetadata.error).to.equal("invalidDid");
    expect((await resolveDid(registry, `did:govchain:1:${alice.address}`)).didResolutionMetadata.error).to.equal(
      "notFound",
    );
    const resolver = new Resolver(getResolver({ provider: ethers.provider, registry: await registry.getAddress() }));
    expect((await resolver.resolve("did:govchain:31337:0xnot")).didResolutionMetadata.error).to.equal("invalidDid");
  });

  it("walks the history with one log query per changed block", async function () {
    const { registry, alice } = await loadFixture(deployResolverFixture);
    for (let i = 0; i < 5; i++)
      await registry.connect(alice).setService(alice, encodeBytes32String(`s${i}`), "T", "https://e");
    const calls: unknown[] = [];
    const provider = ethers.provider;
    const original = provider.getLogs.bind(provider);
    provider.getLogs = (async (filter: Parameters<typeof original>[0]) => {
      calls.push(filter);
      return original(filter);
    }) as typeof provider.getLogs;
    try {
      const { readDidHistory } = await import("../../src/identity/resolver");
      const state = await readDidHistory(registry, alice.address);
      expect(state.changes.map((c) => c.version)).to.deep.equal([1, 2, 3, 4, 5]);
      expect(calls).to.have.length(5);
    } finally {
      provider.getLogs = original;
    }
  });
});
