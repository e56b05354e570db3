import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, ZeroHash, encodeBytes32String, id as keccakText } from "ethers";
import { deployPlatform } from "../../src/platform";
import { KeyType, Purpose, SubjectType, FOREVER } from "../../src/identity/constants";
import { DidOperation, sendDidOperation, signDidOperation } from "../../src/identity/operations";
import { registerDid, toRegistrationStruct } from "../../src/identity/registration";
import { citizenRegistration, sampleKey } from "./helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import localParameters from "../../ignition/parameters/local.json";

async function deployIdentityFixture() {
  const [admin, registrar, , , , , , pauser, , relayer, alice, bob, carol, outsider] = await ethers.getSigners();
  const { didRegistry } = await deployPlatform(hre, localParameters);
  const wallet = await (await ethers.getContractFactory("ERC1271WalletMock")).deploy(carol.address);
  return { registry: didRegistry, admin, registrar, pauser, relayer, alice, bob, carol, outsider, wallet };
}

describe("DIDRegistry", function () {
  describe("implicit DIDs", function () {
    it("treats every address as an active DID controlled by itself, before any transaction", async function () {
      const { registry, alice } = await loadFixture(deployIdentityFixture);
      const record = await registry.didRecord(alice);
      expect(record.controller).to.equal(alice.address);
      expect(record.version).to.equal(0);
      expect(record.lastChange).to.equal(0);
      expect(record.subjectType).to.equal(SubjectType.None);
      expect(await registry.isActive(alice)).to.equal(true);
      expect(await registry.isAuthorized(alice, alice, Purpose.authentication)).to.equal(true);
      expect(await registry.isActiveSubject(alice, SubjectType.None)).to.equal(false);
    });

    it("lets an unregistered address manage its own DID", async function () {
      const { registry, alice } = await loadFixture(deployIdentityFixture);
      const key = sampleKey(KeyType.Ed25519, "key-1");
      await expect(registry.connect(alice).addKey(alice, key))
        .to.emit(registry, "DIDKeyAdded")
        .withArgs(alice.address, key.keyId, key.keyType, key.purposes, 0, FOREVER, key.publicKey, 1, 0);
    });
  });

  describe("register", function () {
    it("records the subject type and controller, and emits the commitment, never the ID number", async function () {
      const { registry, registrar, alice, bob } = await loadFixture(deployIdentityFixture);
      const input = { ...citizenRegistration(alice.address), controller: bob.address, metadataURI: "ipfs://meta" };
      const tx = registerDid(registry.connect(registrar), input);
      await expect(tx)
        .to.emit(registry, "DIDRegistered")
        .withArgs(alice.address, bob.address, SubjectType.Citizen, input.idCommitment, 1, 0);
      await expect(tx).to.emit(registry, "DIDMetadataSet").withArgs(alice.address, ZeroHash, "ipfs://meta", 1, 0);
      await expect(tx).to.emit(registry, "DIDsRegistered").withArgs(registrar.address, 1);
      const block = (await (await tx).wait())!.blockNumber;
      const record = await registry.didRecord(alice);
      expect(record.controller).to.equal(bob.address);
      expect(record.version).to.equal(1);
      expect(record.lastChange).to.equal(block);
      expect(await registry.isActiveSubject(alice, SubjectType.Citizen)).to.equal(true);
      expect(await registry.isActiveSubject(alice, SubjectType.Organization)).to.equal(false);
    });

    it("continues the version chain of an address that already used its implicit DID", async function () {
      const { registry, registrar, alice } = await loadFixture(deployIdentityFixture);
      const tx = await registry
        .connect(alice)
        .setService(alice, encodeBytes32String("inbox"), "Messaging", "https://a.example");
      const block = (await tx.wait())!.blockNumber;
      const input = citizenRegistration(alice.address);
      const registration = registerDid(registry.connect(registrar), input);
      await expect(registration)
        .to.emit(registry, "DIDRegistered")
        .withArgs(alice.address, ZeroAddress, SubjectType.Citizen, input.idCommitment, 2, block);
      await expect(registration).not.to.emit(registry, "DIDMetadataSet");
      expect(await registry.controllerOf(alice)).to.equal(alice.address);
    });

    it("refuses anyone without REGISTRAR", async function () {
      const { registry, alice, outsider } = await loadFixture(deployIdentityFixture);
      await expect(registerDid(registry.connect(outsider), citizenRegistration(alice.address)))
        .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
        .withArgs(outsider.address);
      await expect(registry.connect(alice).registerBatch([toRegistrationStruct(citizenRegistration(alice.address))]))
        .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
        .withArgs(alice.address);
    });

    it("refuses a zero DID, subject type None, and a duplicate", async function () {
      const { registry, registrar, alice } = await loadFixture(deployIdentityFixture);
      const r = registry.connect(registrar);
      await expect(registerDid(r, citizenRegistration(ZeroAddress)))
        .to.be.revertedWithCustomError(registry, "DIDRegistryZeroAddress")
        .withArgs(0);
      await expect(
        r.register(
          { ...toRegistrationStruct(citizenRegistration(alice.address)), subjectType: SubjectType.None },
          ZeroHash,
          "",
        ),
      )
        .to.be.revertedWithCustomError(registry, "DIDRegistryInvalidSubjectType")
        .withArgs(0, alice.address);
      await registerDid(r, citizenRegistration(alice.address));
      await expect(registerDid(r, citizenRegistration(alice.address, 2)))
        .to.be.revertedWithCustomError(registry, "DIDRegistryAlreadyRegistered")
        .withArgs(0, alice.address);
    });

    it("refuses a deactivated DID", async function () {
      const { registry, registrar, alice } = await loadFixture(deployIdentityFixture);
      await registry.connect(alice).deactivate(alice, ZeroHash);
      await expect(registerDid(registry.connect(registrar), citizenRegistration(alice.address)))
        .to.be.revertedWithCustomError(registry, "DIDRegistryDeactivated")
        .withArgs(alice.address);
    });
  });

  describe("registerBatch", function () {
    it("registers every record in one transaction", async function () {
      const { registry, registrar } = await loadFixture(deployIdentityFixture);
      const dids = Array.from({ length: 25 }, () => ethers.Wallet.createRandom().address);
      await registry
        .connect(registrar)
        .registerBatch(dids.map((d, i) => toRegistrationStruct(citizenRegistration(d, i))));
      for (const d of dids) expect(await registry.isActiveSubject(d, SubjectType.Citizen)).to.equal(true);
    });

    it("fails whole on a duplicate inside the batch, naming its index and DID", async function () {
      const { registry, registrar, alice, bob } = await loadFixture(deployIdentityFixture);
      const batch = [alice.address, bob.address, alice.address].map((d, i) =>
        toRegistrationStruct(citizenRegistration(d, i)),
      );
      await expect(registry.connect(registrar).registerBatch(batch))
        .to.be.revertedWithCustomError(registry, "DIDRegistryAlreadyRegistered")
        .withArgs(2, alice.address);
      expect((await registry.didRecord(alice)).subjectType).to.equal(SubjectType.None);
    });

    it("names the index of a bad record", async function () {
      const { registry, registrar, alice, bob } = await loadFixture(deployIdentityFixture);
      const batch = [
        toRegistrationStruct(citizenRegistration(alice.address)),
        toRegistrationStruct(citizenRegistration(ZeroAddress)),
      ];
      await expect(registry.connect(registrar).registerBatch(batch))
        .to.be.revertedWithCustomError(registry, "DIDRegistryZeroAddress")
        .withArgs(1);
      const typeless = { ...toRegistrationStruct(citizenRegistration(bob.address)), subjectType: SubjectType.None };
      await expect(registry.connect(registrar).registerBatch([batch[0], typeless]))
        .to.be.revertedWithCustomError(registry, "DIDRegistryInvalidSubjectType")
        .withArgs(1, bob.address);
    });

    it("refuses an empty batch", async function () {
      const { registry, registrar } = await loadFixture(deployIdentityFixture);
      await expect(registry.connect(registrar).registerBatch([])).to.be.revertedWithCustomError(
        registry,
        "DIDRegistryEmptyBatch",
      );
    });
  });

  describe("registrarDeactivate", function () {
    it("lets REGISTRAR deactivate a DID for good, with a reason", async function () {
      const { registry, registrar, alice } = await loadFixture(deployIdentityFixture);
      await registerDid(registry.connect(registrar), citizenRegistration(alice.address));
      const reason = keccakText("death certificate 2026-11");
      await expect(registry.connect(registrar).registrarDeactivate(alice, reason))
        .to.emit(registry, "DIDDeactivated")
        .withArgs(alice.address, registrar.address, reason, 2, anyBlock());
      expect(await registry.isActive(alice)).to.equal(false);
      expect(await registry.isActiveSubject(alice, SubjectType.Citizen)).to.equal(false);
      await expect(registry.connect(registrar).registrarDeactivate(alice, reason))
        .to.be.revertedWithCustomError(registry, "DIDRegistryDeactivated")
        .withArgs(alice.address);
    });

    it("refuses anyone without REGISTRAR", async function () {
      const { registry, alice, outsider } = await loadFixture(deployIdentityFixture);
      await expect(registry.connect(outsider).registrarDeactivate(alice, ZeroHash))
        .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
        .withArgs(outsider.address);
    });
  });

  describe("controller operations", function () {
    it("moves control with changeController; the old controller is refused", async function () {
      const { registry, alice, bob } = await loadFixture(deployIdentityFixture);
      await expect(registry.connect(alice).changeController(alice, bob))
        .to.emit(registry, "DIDControllerChanged")
        .withArgs(alice.address, bob.address, 1, 0);
      expect(await registry.controllerOf(alice)).to.equal(bob.address);
      await expect(registry.connect(alice).changeController(alice, alice))
        .to.be.revertedWithCustomError(registry, "DIDRegistryNotController")
        .withArgs(alice.address, alice.address, bob.address);
      await expect(registry.connect(bob).changeController(alice, ZeroAddress))
        .to.be.revertedWithCustomError(registry, "DIDRegistryZeroAddress")
        .withArgs(0);
    });

    it("refuses every controller operation from a non-controller", async function () {
      const { registry, alice, outsider } = await loadFixture(deployIdentityFixture);
      const ops = allOperations(alice.address, outsider.address);
      for (const op of ops) {
        await expect(sendDidOperation(registry.connect(outsider), alice.address, op), op.kind)
          .to.be.revertedWithCustomError(registry, "DIDRegistryNotController")
          .withArgs(alice.address, outsider.address, alice.address);
      }
      await expect(registry.connect(outsider).invalidateSignatures(alice))
        .to.be.revertedWithCustomError(registry, "DIDRegistryNotController")
        .withArgs(alice.address, outsider.address, alice.address);
    });

    it("chains every change to the block of the previous one", async function () {
      const { registry, alice, bob } = await loadFixture(deployIdentityFixture);
      const r = registry.connect(alice);
      const b1 = (await (await r.setService(alice, encodeBytes32String("a"), "T", "https://a")).wait())!.blockNumber;
      await mine(5);
      await expect(r.addKey(alice, sampleKey(KeyType.Ed25519, "k")))
        .to.emit(registry, "DIDKeyAdded")
        .withArgs(alice.address, encodeBytes32String("k"), anyValue, anyValue, anyValue, anyValue, anyValue, 2, b1);
      const b2 = Number((await registry.didRecord(alice)).lastChange);
      await expect(r.changeController(alice, bob))
        .to.emit(registry, "DIDControllerChanged")
        .withArgs(alice.address, bob.address, 3, b2);
    });
  });

  describe("delegates", function () {
    it("grants a delegate purposes within a window, and revokes it", async function () {
      const { registry, alice, bob } = await loadFixture(deployIdentityFixture);
      const now = await time.latest();
      const rights = {
        purposes: Purpose.authentication | Purpose.capabilityInvocation,
        validFrom: now + 100,
        validUntil: now + 1000,
      };
      await expect(registry.connect(alice).setDelegate(alice, bob, rights))
        .to.emit(registry, "DIDDelegateChanged")
        .withArgs(alice.address, bob.address, rights.purposes, rights.validFrom, rights.validUntil, 1, 0);
      expect(await registry.isAuthorized(alice, bob, Purpose.authentication)).to.equal(false); // not yet
      await time.increaseTo(now + 100);
      expect(await registry.isAuthorized(alice, bob, Purpose.authentication)).to.equal(true);
      expect(await registry.isAuthorized(alice, bob, Purpose.authentication | Purpose.capabilityInvocation)).to.equal(
        true,
      );
      expect(await registry.isAuthorized(alice, bob, Purpose.assertionMethod)).to.equal(false);
      expect(await registry.isAuthorized(alice, bob, 0)).to.equal(false);
      await registry.connect(alice).revokeDelegate(alice, bob);
      expect(await registry.isAuthorized(alice, bob, Purpose.authentication)).to.equal(false);
      expect((await registry.delegateOf(alice, bob)).validUntil).to.equal(await time.latest());
      await expect(registry.connect(alice).revokeDelegate(alice, bob))
        .to.be.revertedWithCustomError(registry, "DIDRegistryUnknownDelegate")
        .withArgs(alice.address, bob.address);
    });

    it("refuses to revoke a delegate that was never set", async function () {
      const { registry, alice, bob } = await loadFixture(deployIdentityFixture);
      await expect(registry.connect(alice).revokeDelegate(alice, bob))
        .to.be.revertedWithCustomError(registry, "DIDRegistryUnknownDelegate")
        .withArgs(alice.address, bob.address);
    });

    it("lets an expiring delegate lapse on its own", async function () {
      const { registry, alice, bob } = await loadFixture(deployIdentityFixture);
      const now = await time.latest();
      await registry
        .connect(alice)
        .setDelegate(alice, bob, { purposes: Purpose.authentication, validFrom: 0, validUntil: now + 60 });
      expect(await registry.isAuthorized(alice, bob, Purpose.authentication)).to.equal(true);
      await time.increase(61);
      expect(await registry.isAuthorized(alice, bob, Purpose.authentication)).to.equal(false);
    });

    it("refuses bad purposes, an empty window and a zero delegate", async function () {
      const { registry, alice, bob } = await loadFixture(deployIdentityFixture);
      const r = registry.connect(alice);
      for (const purposes of [0, 32, Purpose.keyAgreement]) {
        await expect(r.setDelegate(alice, bob, { purposes, validFrom: 0, validUntil: 0 }))
          .to.be.revertedWithCustomError(registry, "DIDRegistryInvalidPurposes")
          .withArgs(purposes);
      }
      await expect(r.setDelegate(alice, bob, { purposes: 1, validFrom: 500, validUntil: 500 }))
        .to.be.revertedWithCustomError(registry, "DIDRegistryInvalidWindow")
        .withArgs(500, 500);
      await expect(r.setDelegate(alice, ZeroAddress, { purposes: 1, validFrom: 0, validUntil: 0 }))
        .to.be.revertedWithCustomError(registry, "DIDRegistryZeroAddress")
        .withArgs(0);
    });
  });

  describe("keys", function () {
    it("adds keys of every type and revokes one now or later", async function () {
      const { registry, alice } = await loadFixture(deployIdentityFixture);
      const r = registry.connect(alice);
      for (const type of [KeyType.Ed25519, KeyType.X25519, KeyType.Secp256k1, KeyType.P256]) {
        await expect(r.addKey(alice, sampleKey(type, `key-${type}`))).to.emit(registry, "DIDKeyAdded");
      }
      const later = (await time.latest()) + 3600;
      await expect(r.revokeKey(alice, encodeBytes32String("key-0"), later))
        .to.emit(registry, "DIDKeyRevoked")
        .withArgs(alice.address, encodeBytes32String("key-0"), later, 5, anyBlock());
      const at = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(at);
      await expect(r.revokeKey(alice, encodeBytes32String("key-1"), 0))
        .to.emit(registry, "DIDKeyRevoked")
        .withArgs(alice.address, encodeBytes32String("key-1"), at, 6, anyBlock());
    });

    it("rotates a key with an overlap, in one version", async function () {
      const { registry, alice } = await loadFixture(deployIdentityFixture);
      const r = registry.connect(alice);
      await r.addKey(alice, sampleKey(KeyType.Ed25519, "old"));
      const fresh = sampleKey(KeyType.Ed25519, "new");
      const at = (await time.latest()) + 1;
      await time.setNextBlockTimestamp(at);
      const tx = r.rotateKey(alice, encodeBytes32String("old"), 86_400, fresh);
      await expect(tx)
        .to.emit(registry, "DIDKeyRevoked")
        .withArgs(alice.address, encodeBytes32String("old"), at + 86_400, 2, anyBlock());
      await expect(tx)
        .to.emit(registry, "DIDKeyAdded")
        .withArgs(
          alice.address,
          fresh.keyId,
          fresh.keyType,
          fresh.purposes,
          0,
          FOREVER,
          fresh.publicKey,
          2,
          anyBlock(),
        );
    });

    it("refuses malformed keys", async function () {
      const { registry, alice } = await loadFixture(deployIdentityFixture);
      const r = registry.connect(alice);
      const cases: [ReturnType<typeof sampleKey>, string, unknown[]][] = [
        [
          sampleKey(KeyType.Ed25519, "a", { publicKey: "0x" + "11".repeat(33) }),
          "DIDRegistryInvalidKey",
          [KeyType.Ed25519, 33],
        ],
        [
          sampleKey(KeyType.Secp256k1, "b", { publicKey: "0x04" + "11".repeat(32) }),
          "DIDRegistryInvalidKey",
          [KeyType.Secp256k1, 33],
        ],
        [
          sampleKey(KeyType.P256, "c", { publicKey: "0x02" + "11".repeat(31) }),
          "DIDRegistryInvalidKey",
          [KeyType.P256, 32],
        ],
        [
          sampleKey(KeyType.X25519, "d", { purposes: Purpose.authentication }),
          "DIDRegistryInvalidPurposes",
          [Purpose.authentication],
        ],
        [
          sampleKey(KeyType.Ed25519, "e", { purposes: Purpose.keyAgreement }),
          "DIDRegistryInvalidPurposes",
          [Purpose.keyAgreement],
        ],
        [sampleKey(KeyType.Ed25519, "f", { purposes: 0 }), "DIDRegistryInvalidPurposes", [0]],
        [sampleKey(KeyType.Ed25519, "g", { purposes: 64 }), "DIDRegistryInvalidPurposes", [64]],
        [sampleKey(KeyType.Ed25519, "h", { validFrom: 100, validUntil: 50 }), "DIDRegistryInvalidWindow", [100, 50]],
        [sampleKey(KeyType.Ed25519, "i", { keyId: ZeroHash }), "DIDRegistryEmptyKeyId", []],
      ];
      for (const [key, error, args] of cases) {
        await expect(r.addKey(alice, key), error)
          .to.be.revertedWithCustomError(registry, error)
          .withArgs(...args);
      }
      await expect(r.rotateKey(alice, ZeroHash, 0, sampleKey(KeyType.Ed25519, "j"))).to.be.revertedWithCustomError(
        registry,
        "DIDRegistryEmptyKeyId",
      );
      await expect(r.revokeKey(alice, ZeroHash, 0)).to.be.revertedWithCustomError(registry, "DIDRegistryEmptyKeyId");
      const past = (await time.latest()) - 10;
      const at = (await time.latest()) + 5;
      await time.setNextBlockTimestamp(at);
      await expect(r.revokeKey(alice, encodeBytes32String("k"), past))
        .to.be.revertedWithCustomError(registry, "DIDRegistryInvalidRevocationTime")
        .withArgs(past, at);
    });
  });

  describe("services", function () {
    it("sets and removes a service", async function () {
      const { registry, alice } = await loadFixture(deployIdentityFixture);
      const sid = encodeBytes32String("gateway");
      await expect(registry.connect(alice).setService(alice, sid, "GovGateway", "https://gw.example.gov"))
        .to.emit(registry, "DIDServiceSet")
        .withArgs(alice.address, sid, "GovGateway", "https://gw.example.gov", 1, 0);
      await expect(registry.connect(alice).removeService(alice, sid))
        .to.emit(registry, "DIDServiceRemoved")
        .withArgs(alice.address, sid, 2, anyBlock());
    });

    it("refuses an empty id, type or endpoint", async function () {
      const { registry, alice } = await loadFixture(deployIdentityFixture);
      const sid = encodeBytes32String("x");
      for (const [id, type, endpoint] of [
        [ZeroHash, "T", "https://e"],
        [sid, "", "https://e"],
        [sid, "T", ""],
      ]) {
        await expect(registry.connect(alice).setService(alice, id, type, endpoint))
          .to.be.revertedWithCustomError(registry, "DIDRegistryInvalidService")
          .withArgs(id);
      }
      await expect(registry.connect(alice).removeService(alice, ZeroHash))
        .to.be.revertedWithCustomError(registry, "DIDRegistryInvalidService")
        .withArgs(ZeroHash);
    });
  });

  describe("deactivate", function () {
    it("is irreversible: every later operation is refused and delegates stop counting", async function () {
      const { registry, alice, bob, registrar } = await loadFixture(deployIdentityFixture);
      await registry
        .connect(alice)
        .setDelegate(alice, bob, { purposes: Purpose.authentication, validFrom: 0, validUntil: 0 });
      await expect(registry.connect(alice).deactivate(alice, ZeroHash))
        .to.emit(registry, "DIDDeactivated")
        .withArgs(alice.address, alice.address, ZeroHash, 2, anyBlock());
      expect(await registry.isActive(alice)).to.equal(false);
      expect(await registry.isAuthorized(alice, bob, Purpose.authentication)).to.equal(false);
      expect(await registry.isAuthorized(alice, alice, Purpose.authentication)).to.equal(false);
      for (const op of allOperations(alice.address, bob.address)) {
        await expect(sendDidOperation(registry.connect(alice), alice.address, op), op.kind)
          .to.be.revertedWithCustomError(registry, "DIDRegistryDeactivated")
          .withArgs(alice.address);
      }
      await expect(registry.connect(registrar).registrarDeactivate(alice, ZeroHash))
        .to.be.revertedWithCustomError(registry, "DIDRegistryDeactivated")
        .withArgs(alice.address);
    });
  });

  describe("signed operations", function () {
    it("relays every operation signed by the controller, from any account", async function () {
      const { registry, alice, bob, relayer } = await loadFixture(deployIdentityFixture);
      const ops = allOperations(alice.address, bob.address);
      let version = 0;
      for (const op of ops) {
        const auth = await signDidOperation(registry, alice, alice.address, op);
        expect(auth.version).to.equal(version);
        await expect(sendDidOperation(registry.connect(relayer), alice.address, op, auth), op.kind).not.to.be.reverted;
        version = Number((await registry.didRecord(alice)).version);
      }
      expect(await registry.isActive(alice)).to.equal(false); // the last operation deactivates
    });

    it("refuses a replayed signature", async function () {
      const { registry, alice, relayer } = await loadFixture(deployIdentityFixture);
      const op: DidOperation = {
        kind: "setService",
        serviceId: encodeBytes32String("s"),
        serviceType: "T",
        endpoint: "https://e",
      };
      const auth = await signDidOperation(registry, alice, alice.address, op);
      await sendDidOperation(registry.connect(relayer), alice.address, op, auth);
      await expect(sendDidOperation(registry.connect(relayer), alice.address, op, auth))
        .to.be.revertedWithCustomError(registry, "DIDRegistryStaleSignature")
        .withArgs(alice.address, 1, 0);
    });

    it("refuses an expired signature", async function () {
      const { registry, alice, relayer } = await loadFixture(deployIdentityFixture);
      const deadline = (await time.latest()) + 60;
      const op: DidOperation = { kind: "deactivate", reasonHash: ZeroHash };
      const auth = await signDidOperation(registry, alice, alice.address, op, { deadline });
      await time.setNextBlockTimestamp(deadline + 1);
      await expect(sendDidOperation(registry.connect(relayer), alice.address, op, auth))
        .to.be.revertedWithCustomError(registry, "DIDRegistrySignatureExpired")
        .withArgs(deadline, deadline + 1);
    });

    it("refuses a signature made for another chain, another contract or by someone else", async function () {
      const { registry, alice, bob, relayer } = await loadFixture(deployIdentityFixture);
      const op: DidOperation = { kind: "changeController", newController: bob.address };
      const domain = { name: "GovChain DIDRegistry", version: "1", verifyingContract: await registry.getAddress() };
      const forOtherChain = await signDidOperation(registry, alice, alice.address, op, {
        domain: { ...domain, chainId: 1 },
      });
      const forOtherContract = await signDidOperation(registry, alice, alice.address, op, {
        domain: { ...domain, chainId: 31337, verifyingContract: bob.address },
      });
      const bySomeoneElse = await signDidOperation(registry, bob, alice.address, op);
      for (const auth of [forOtherChain, forOtherContract, bySomeoneElse]) {
        await expect(sendDidOperation(registry.connect(relayer), alice.address, op, auth))
          .to.be.revertedWithCustomError(registry, "DIDRegistryInvalidSignature")
          .withArgs(alice.address, alice.address);
      }
      // and a signature over other values of the same operation
      const auth = await signDidOperation(registry, alice, alice.address, op);
      await expect(registry.connect(relayer).changeControllerSigned(alice, relayer, auth))
        .to.be.revertedWithCustomError(registry, "DIDRegistryInvalidSignature")
        .withArgs(alice.address, alice.address);
    });

    it("lets the controller void pending signatures", async function () {
      const { registry, alice, relayer } = await loadFixture(deployIdentityFixture);
      const op: DidOperation = { kind: "deactivate", reasonHash: ZeroHash };
      const auth = await signDidOperation(registry, alice, alice.address, op);
      await expect(registry.connect(alice).invalidateSignatures(alice))
        .to.emit(registry, "DIDSignaturesInvalidated")
        .withArgs(alice.address, 1, 0);
      await expect(sendDidOperation(registry.connect(relayer), alice.address, op, auth))
        .to.be.revertedWithCustomError(registry, "DIDRegistryStaleSignature")
        .withArgs(alice.address, 1, 0);
    });

    it("accepts ERC-1271 signatures from a contract controller", async function () {
      const { registry, alice, carol, relayer, wallet, bob } = await loadFixture(deployIdentityFixture);
      await registry.connect(alice).changeController(alice, wallet);
      const op: DidOperation = {
        kind: "setDelegate",
        delegate: bob.address,
        rights: { purposes: 1, validFrom: 0, validUntil: 0 },
      };
      const auth = await signDidOperation(registry, carol, alice.address, op);
      await expect(sendDidOperation(registry.connect(relayer), alice.address, op, auth)).to.emit(
        registry,
        "DIDDelegateChanged",
      );
      const forged = await signDidOperation(registry, bob, alice.address, op);
      await expect(sendDidOperation(registry.connect(relayer), alice.address, op, forged))
        .to.be.revertedWithCustomError(registry, "DIDRegistryInvalidSignature")
        .withArgs(alice.address, await wallet.getAddress());
    });

    it("refuses a signed operation on a deactivated DID", async function () {
      const { registry, alice, relayer } = await loadFixture(deployIdentityFixture);
      const op: DidOperation = { kind: "removeService", serviceId: encodeBytes32String("s") };
      const auth = await signDidOperation(registry, alice, alice.address, op, { version: 1 });
      await registry.connect(alice).deactivate(alice, ZeroHash);
      await expect(sendDidOperation(registry.connect(relayer), alice.address, op, auth))
        .to.be.revertedWithCustomError(registry, "DIDRegistryDeactivated")
        .withArgs(alice.address);
    });
  });

  describe("pause", function () {
    it("stops registration and every controller operation until ADMIN resumes", async function () {
      const { registry, pauser, registrar, alice, admin } = await loadFixture(deployIdentityFixture);
      await registry.connect(pauser).pause();
      await expect(
        registerDid(registry.connect(registrar), citizenRegistration(alice.address)),
      ).to.be.revertedWithCustomError(registry, "EnforcedPause");
      await expect(
        registry.connect(registrar).registerBatch([toRegistrationStruct(citizenRegistration(alice.address))]),
      ).to.be.revertedWithCustomError(registry, "EnforcedPause");
      await expect(registry.connect(registrar).registrarDeactivate(alice, ZeroHash)).to.be.revertedWithCustomError(
        registry,
        "EnforcedPause",
      );
      await expect(registry.connect(alice).invalidateSignatures(alice)).to.be.revertedWithCustomError(
        registry,
        "EnforcedPause",
      );
      for (const op of allOperations(alice.address, alice.address)) {
        await expect(
          sendDidOperation(registry.connect(alice), alice.address, op),
          op.kind,
        ).to.be.revertedWithCustomError(registry, "EnforcedPause");
        const auth = await signDidOperation(registry, alice, alice.address, op);
        await expect(
          sendDidOperation(registry.connect(registrar), alice.address, op, auth),
          `${op.kind} signed`,
        ).to.be.revertedWithCustomError(registry, "EnforcedPause");
      }
      await registry.connect(admin).unpause();
      await expect(registry.connect(alice).invalidateSignatures(alice)).to.emit(registry, "DIDSignaturesInvalidated");
    });
  });

  describe("metadata", function () {
    it("reports its version and EIP-712 domain", async function () {
      const { registry } = await loadFixture(deployIdentityFixture);
      expect(await registry.version()).to.equal("1.0.0");
      const domain = await registry.eip712Domain();
      expect(domain.name).to.equal("GovChain DIDRegistry");
      expect(domain.version).to.equal("1");
      expect(domain.chainId).to.equal(31337);
      expect(domain.verifyingContract).to.equal(await registry.getAddress());
    });
  });
});

/** One of each controller operation, deactivation last. */
function allOperations(self: string, other: string): DidOperation[] {
  const key = sampleKey(KeyType.Secp256k1, "op-key");
  return [
    { kind: "changeController", newController: self },
    { kind: "setService", serviceId: encodeBytes32String("svc"), serviceType: "T", endpoint: "https://e" },
    { kind: "removeService", serviceId: encodeBytes32String("svc") },
    { kind: "addKey", key },
    { kind: "rotateKey", oldKeyId: key.keyId, overlap: 60, newKey: sampleKey(KeyType.Ed25519, "op-key-2") },
    { kind: "revokeKey", keyId: encodeBytes32String("op-key-2"), validUntil: 0 },
    { kind: "setDelegate", delegate: other, rights: { purposes: Purpose.authentication, validFrom: 0, validUntil: 0 } },
    { kind: "revokeDelegate", delegate: other },
    { kind: "deactivate", reasonHash: ZeroHash },
  ];
}

/** chai matcher predicates for arguments a test does not pin. */
function anyBlock() {
  return (value: bigint) => value > 0n;
}
