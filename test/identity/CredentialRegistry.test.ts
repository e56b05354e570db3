import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, ZeroHash } from "ethers";
import { deployPlatform } from "../../src/platform";
import {
  toBatchCredentials,
  checkRootProofOffline,
  credentialHash,
  issueCredentialRoot,
  schemaIdOf,
  statusName,
  verifyRootReceipt,
  type CredentialInput,
} from "../../src/identity/credentials";
import localParameters from "../../ignition/parameters/local.json";

const FOREVER40 = 2n ** 40n - 1n;
const Status = { Valid: 0, NotFound: 1, NotYetValid: 2, Expired: 3, Revoked: 4, Suspended: 5, SubjectDeactivated: 6 };
const Kind = { None: 0, Accreditor: 1, Issuer: 2 };

async function deployCredentialFixture() {
  const signers = await ethers.getSigners();
  const [admin, , accreditationBody, , , , , pauser] = signers;
  const [ministry, cityBureau, otherAgency, citizen, company, outsider, otherMinistry] = signers.slice(10);
  const { credentialRegistry: registry, didRegistry } = await deployPlatform(hre, localParameters);
  const body = registry.connect(accreditationBody);
  await body.registerSchema("BusinessLicence", 1, ethers.id("{json schema v1}"), "ipfs://schemas/licence-v1");
  await body.registerSchema("ResidenceCertificate", 1, ethers.id("{residence}"), "ipfs://schemas/residence-v1");
  const licence = schemaIdOf("BusinessLicence", 1);
  const residence = schemaIdOf("ResidenceCertificate", 1);
  await body.accreditOrganization(ministry, 0, 0);
  await registry.connect(ministry).accreditIssuer(cityBureau, [licence], 0, 0);
  const credential = (overrides: Partial<CredentialInput> = {}): CredentialInput => ({
    credentialHash: credentialHash({ type: "BusinessLicence", holder: company.address, n: Math.random() }),
    subject: company.address,
    schemaId: licence,
    validFrom: 0,
    validUntil: 0,
    statusIndex: 0,
    ...overrides,
  });
  return {
    registry,
    didRegistry,
    admin,
    accreditationBody,
    pauser,
    ministry,
    cityBureau,
    otherAgency,
    citizen,
    company,
    outsider,
    otherMinistry,
    licence,
    residence,
    credential,
  };
}

describe("CredentialRegistry", function () {
  describe("schemas", function () {
    it("registers a schema with its version and JSON schema hash, once", async function () {
      const { registry, accreditationBody, licence } = await loadFixture(deployCredentialFixture);
      const schema = await registry.schemaOf(licence);
      expect(schema.jsonSchemaHash).to.equal(ethers.id("{json schema v1}"));
      expect(schema.version).to.equal(1);
      expect(schema.registeredBy).to.equal(accreditationBody.address);
      await expect(registry.connect(accreditationBody).registerSchema("BusinessLicence", 1, ZeroHash, ""))
        .to.be.revertedWithCustomError(registry, "CredentialRegistrySchemaExists")
        .withArgs(licence);
      await expect(registry.connect(accreditationBody).registerSchema("BusinessLicence", 2, ethers.id("v2"), "u"))
        .to.emit(registry, "SchemaRegistered")
        .withArgs(
          schemaIdOf("BusinessLicence", 2),
          accreditationBody.address,
          "BusinessLicence",
          2,
          ethers.id("v2"),
          "u",
        );
    });

    it("refuses schema registration and root accreditation to anyone without ACCREDITOR", async function () {
      const { registry, ministry, outsider } = await loadFixture(deployCredentialFixture);
      for (const signer of [ministry, outsider]) {
        await expect(registry.connect(signer).registerSchema("X", 1, ZeroHash, ""))
          .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
          .withArgs(signer.address);
        await expect(registry.connect(signer).accreditOrganization(signer, 0, 0))
          .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
          .withArgs(signer.address);
        await expect(registry.connect(signer).revokeOrganization(ministry))
          .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
          .withArgs(signer.address);
      }
    });
  });

  describe("accreditation chain", function () {
    it("refuses a zero accreditor, and revoking one that is not an accreditor", async function () {
      const { registry, accreditationBody, cityBureau, ministry } = await loadFixture(deployCredentialFixture);
      await expect(
        registry.connect(accreditationBody).accreditOrganization(ZeroAddress, 0, 0),
      ).to.be.revertedWithCustomError(registry, "CredentialRegistryZeroAddress");
      await expect(registry.connect(accreditationBody).revokeOrganization(cityBureau))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryUnknownAccreditation")
        .withArgs(cityBureau.address, ZeroHash);
      await expect(registry.connect(ministry).accreditIssuer(cityBureau, [ZeroHash], 0, 0))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryUnknownSchema")
        .withArgs(ZeroHash);
    });

    it("records each accreditation with its parent", async function () {
      const { registry, ministry, cityBureau, licence } = await loadFixture(deployCredentialFixture);
      const root = await registry.accreditationOf(ministry, ZeroHash);
      expect(root.kind).to.equal(Kind.Accreditor);
      expect(root.parent).to.equal(ZeroAddress);
      expect(root.validUntil).to.equal(FOREVER40);
      const leaf = await registry.accreditationOf(cityBureau, licence);
      expect(leaf.kind).to.equal(Kind.Issuer);
      expect(leaf.parent).to.equal(ministry.address);
      expect(await registry.isAccredited(cityBureau, licence)).to.equal(true);
    });

    it("lets only an active accreditor accredit issuers, for registered schemas", async function () {
      const { registry, ministry, otherAgency, outsider, cityBureau, licence } =
        await loadFixture(deployCredentialFixture);
      await expect(registry.connect(outsider).accreditIssuer(otherAgency, [licence], 0, 0))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryNotAccreditor")
        .withArgs(outsider.address);
      // an issuer cannot accredit others
      await expect(registry.connect(cityBureau).accreditIssuer(otherAgency, [licence], 0, 0))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryNotAccreditor")
        .withArgs(cityBureau.address);
      const unknown = schemaIdOf("Nope", 1);
      await expect(registry.connect(ministry).accreditIssuer(otherAgency, [licence, unknown], 0, 0))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryUnknownSchema")
        .withArgs(unknown);
      await expect(
        registry.connect(ministry).accreditIssuer(ZeroAddress, [licence], 0, 0),
      ).to.be.revertedWithCustomError(registry, "CredentialRegistryZeroAddress");
      await expect(registry.connect(ministry).accreditIssuer(otherAgency, [], 0, 0)).to.be.revertedWithCustomError(
        registry,
        "CredentialRegistryEmptyBatch",
      );
      await expect(registry.connect(ministry).accreditIssuer(otherAgency, [licence], 100, 100))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryInvalidWindow")
        .withArgs(100, 100);
    });

    it("stops issuance by every issuer under a revoked accreditor, keeping what was issued before", async function () {
      const { registry, accreditationBody, ministry, cityBureau, credential, licence } =
        await loadFixture(deployCredentialFixture);
      const before = credential();
      await registry.connect(cityBureau).issue(before);
      await expect(registry.connect(accreditationBody).revokeOrganization(ministry))
        .to.emit(registry, "AccreditationRevoked")
        .withArgs(ministry.address, ZeroHash, accreditationBody.address);
      expect(await registry.isAccredited(cityBureau, licence)).to.equal(false);
      await expect(registry.connect(cityBureau).issue(credential({ statusIndex: 1 })))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryNotAccredited")
        .withArgs(cityBureau.address, licence);
      expect(await registry.verify(cityBureau, before)).to.equal(Status.Valid);
      await expect(registry.connect(accreditationBody).revokeOrganization(ministry))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryUnknownAccreditation")
        .withArgs(ministry.address, ZeroHash);
      await expect(registry.connect(ministry).accreditIssuer(cityBureau, [licence], 0, 0))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryNotAccreditor")
        .withArgs(ministry.address);
    });

    it("lets only the granting accreditor revoke an issuer's accreditation", async function () {
      const { registry, accreditationBody, ministry, otherMinistry, cityBureau, licence, residence } =
        await loadFixture(deployCredentialFixture);
      await registry.connect(accreditationBody).accreditOrganization(otherMinistry, 0, 0);
      await expect(registry.connect(otherMinistry).revokeIssuer(cityBureau, licence))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryNotParent")
        .withArgs(otherMinistry.address, ministry.address);
      await expect(registry.connect(ministry).revokeIssuer(cityBureau, licence))
        .to.emit(registry, "AccreditationRevoked")
        .withArgs(cityBureau.address, licence, ministry.address);
      expect(await registry.isAccredited(cityBureau, licence)).to.equal(false);
      await expect(registry.connect(ministry).revokeIssuer(cityBureau, licence))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryUnknownAccreditation")
        .withArgs(cityBureau.address, licence);
      await expect(registry.connect(ministry).revokeIssuer(cityBureau, residence))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryUnknownAccreditation")
        .withArgs(cityBureau.address, residence);
    });

    it("honours accreditation windows", async function () {
      const { registry, ministry, otherAgency, licence, credential } = await loadFixture(deployCredentialFixture);
      const now = await time.latest();
      await registry.connect(ministry).accreditIssuer(otherAgency, [licence], now + 100, now + 200);
      await expect(registry.connect(otherAgency).issue(credential()))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryNotAccredited")
        .withArgs(otherAgency.address, licence);
      await time.increaseTo(now + 100);
      await registry.connect(otherAgency).issue(credential());
      await time.increaseTo(now + 200);
      expect(await registry.isAccredited(otherAgency, licence)).to.equal(false);
    });
  });

  describe("issue and verify", function () {
    it("anchors a credential that any agency verifies in one call", async function () {
      const { registry, cityBureau, otherAgency, company, licence, credential } =
        await loadFixture(deployCredentialFixture);
      const c = credential({ statusIndex: 7 });
      await expect(registry.connect(cityBureau).issue(c))
        .to.emit(registry, "CredentialIssued")
        .withArgs(cityBureau.address, company.address, 7, c.credentialHash, licence, 0, 0);
      expect(await registry.connect(otherAgency).verify(cityBureau, c)).to.equal(Status.Valid);
    });

    it("reports a tampered field, another issuer or an unknown index as NotFound", async function () {
      const { registry, cityBureau, otherAgency, citizen, credential, residence } =
        await loadFixture(deployCredentialFixture);
      const c = credential();
      await registry.connect(cityBureau).issue(c);
      const tampered = [
        { ...c, credentialHash: ethers.id("forged") },
        { ...c, subject: citizen.address },
        { ...c, schemaId: residence },
        { ...c, validUntil: 123456 },
        { ...c, statusIndex: 1 },
      ];
      for (const t of tampered) expect(await registry.verify(cityBureau, t)).to.equal(Status.NotFound);
      expect(await registry.verify(otherAgency, c)).to.equal(Status.NotFound);
    });

    it("refuses an unaccredited issuer, a wrong schema, a reused index and bad input", async function () {
      const { registry, cityBureau, otherAgency, credential, residence, licence } =
        await loadFixture(deployCredentialFixture);
      await expect(registry.connect(otherAgency).issue(credential()))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryNotAccredited")
        .withArgs(otherAgency.address, licence);
      await expect(registry.connect(cityBureau).issue(credential({ schemaId: residence })))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryNotAccredited")
        .withArgs(cityBureau.address, residence);
      await registry.connect(cityBureau).issue(credential({ statusIndex: 3 }));
      await expect(registry.connect(cityBureau).issue(credential({ statusIndex: 3 })))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryStatusIndexUsed")
        .withArgs(cityBureau.address, 3);
      await expect(
        registry.connect(cityBureau).issue(credential({ subject: ZeroAddress })),
      ).to.be.revertedWithCustomError(registry, "CredentialRegistryZeroAddress");
      await expect(registry.connect(cityBureau).issue(credential({ validFrom: 50, validUntil: 10 })))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryInvalidWindow")
        .withArgs(50, 10);
    });

    it("reports NotYetValid and Expired by the credential's window", async function () {
      const { registry, cityBureau, credential } = await loadFixture(deployCredentialFixture);
      const now = await time.latest();
      const c = credential({ validFrom: now + 100, validUntil: now + 1000 });
      await registry.connect(cityBureau).issue(c);
      expect(await registry.verify(cityBureau, c)).to.equal(Status.NotYetValid);
      await time.increaseTo(now + 100);
      expect(await registry.verify(cityBureau, c)).to.equal(Status.Valid);
      await time.increaseTo(now + 1000);
      expect(await registry.verify(cityBureau, c)).to.equal(Status.Expired);
    });

    it("fails a credential whose subject's DID was deactivated", async function () {
      const { registry, didRegistry, cityBureau, company, credential } = await loadFixture(deployCredentialFixture);
      const c = credential();
      await registry.connect(cityBureau).issue(c);
      await didRegistry.connect(company).deactivate(company, ZeroHash);
      expect(await registry.verify(cityBureau, c)).to.equal(Status.SubjectDeactivated);
    });

    it("issues a batch of one schema, checking the issuer's accreditation for it", async function () {
      const { registry, cityBureau, ministry, credential, licence, residence } =
        await loadFixture(deployCredentialFixture);
      const batch = Array.from({ length: 20 }, (_, i) => credential({ statusIndex: i }));
      await registry.connect(cityBureau).issueBatch(licence, toBatchCredentials(batch));
      for (const c of batch) expect(await registry.verify(cityBureau, c)).to.equal(Status.Valid);
      await expect(registry.connect(cityBureau).issueBatch(licence, [])).to.be.revertedWithCustomError(
        registry,
        "CredentialRegistryEmptyBatch",
      );
      const residences = [credential({ statusIndex: 100, schemaId: residence })];
      await expect(registry.connect(cityBureau).issueBatch(residence, toBatchCredentials(residences)))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryNotAccredited")
        .withArgs(cityBureau.address, residence);
      await registry.connect(ministry).accreditIssuer(cityBureau, [residence], 0, 0);
      await registry.connect(cityBureau).issueBatch(residence, toBatchCredentials(residences));
      expect(await registry.verify(cityBureau, residences[0])).to.equal(Status.Valid);
      const twice = [credential({ statusIndex: 200 }), credential({ statusIndex: 200 })];
      await expect(registry.connect(cityBureau).issueBatch(licence, toBatchCredentials(twice)))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryStatusIndexUsed")
        .withArgs(cityBureau.address, 200);
    });
  });

  describe("Merkle roots", function () {
    it("anchors a batch of any size as one root; each credential verifies with its proof", async function () {
      const { registry, cityBureau, licence } = await loadFixture(deployCredentialFixture);
      const subjects = Array.from({ length: 300 }, () => ethers.Wallet.createRandom().address);
      const { receipts } = await issueCredentialRoot(registry.connect(cityBureau), cityBureau.address, {
        schemaId: licence,
        validFrom: 0,
        validUntil: 0,
        credentials: subjects.map((subject, i) => ({ credentialHash: credentialHash({ subject, i }), subject })),
      });
      const base = await registry.rootStatusBase(cityBureau, receipts[0].root);
      expect(base >= 2n ** 255n).to.equal(true);
      expect(base % 2n ** 32n).to.equal(0n);
      expect(receipts[299].statusIndex).to.equal(base + 299n);
      for (const receipt of [receipts[0], receipts[151], receipts[299]]) {
        expect(checkRootProofOffline(receipt)).to.equal(true);
        expect(await verifyRootReceipt(registry, receipt)).to.equal("Valid");
      }
      // another subject, a proof for another leaf, a position outside the root, other terms: not found
      const r = receipts[5];
      expect(await verifyRootReceipt(registry, { ...r, subject: receipts[6].subject })).to.equal("NotFound");
      expect(await verifyRootReceipt(registry, { ...r, proof: receipts[6].proof })).to.equal("NotFound");
      expect(await verifyRootReceipt(registry, { ...r, position: 300 })).to.equal("NotFound");
      expect(await verifyRootReceipt(registry, { ...r, root: { ...r.root, validUntil: 5 } })).to.equal("NotFound");
      expect(await verifyRootReceipt(registry, { ...r, issuer: subjects[0] })).to.equal("NotFound");
      // revoking one leaf's status index fails just that one
      await registry.connect(cityBureau).revoke([r.statusIndex]);
      expect(await verifyRootReceipt(registry, r)).to.equal("Revoked");
      expect(await verifyRootReceipt(registry, receipts[6])).to.equal("Valid");
    });

    it("refuses an empty root, the same root twice and an unaccredited issuer", async function () {
      const { registry, cityBureau, otherAgency, licence } = await loadFixture(deployCredentialFixture);
      const root = { root: ethers.id("r"), schemaId: licence, validFrom: 0, validUntil: 0, count: 10 };
      await expect(registry.connect(cityBureau).issueRoot({ ...root, count: 0 })).to.be.revertedWithCustomError(
        registry,
        "CredentialRegistryEmptyRoot",
      );
      await expect(registry.connect(cityBureau).issueRoot({ ...root, root: ZeroHash })).to.be.revertedWithCustomError(
        registry,
        "CredentialRegistryEmptyRoot",
      );
      await expect(registry.connect(otherAgency).issueRoot(root))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryNotAccredited")
        .withArgs(otherAgency.address, licence);
      await expect(registry.connect(cityBureau).issueRoot({ ...root, validFrom: 9, validUntil: 9 }))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryInvalidWindow")
        .withArgs(9, 9);
      await expect(registry.connect(cityBureau).issueRoot(root)).to.emit(registry, "CredentialRootIssued");
      const rootId = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(
          ["address", "tuple(bytes32,bytes32,uint40,uint40,uint32)"],
          [cityBureau.address, [root.root, root.schemaId, root.validFrom, root.validUntil, root.count]],
        ),
      );
      await expect(registry.connect(cityBureau).issueRoot(root))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryRootExists")
        .withArgs(rootId);
      // another issuer's identical root is a different root, with other status indices
      expect(await registry.rootStatusBase(otherAgency, root)).to.not.equal(
        await registry.rootStatusBase(cityBureau, root),
      );
    });
  });

  describe("status", function () {
    it("revokes for good, suspends and reinstates, one event per word touched", async function () {
      const { registry, cityBureau, credential } = await loadFixture(deployCredentialFixture);
      const c = credential({ statusIndex: 300 });
      await registry.connect(cityBureau).issue(c);
      const tx = registry.connect(cityBureau).suspend([3, 5, 300]);
      await expect(tx)
        .to.emit(registry, "CredentialStatusUpdated")
        .withArgs(cityBureau.address, 1, 0, (1n << 3n) | (1n << 5n));
      await expect(tx)
        .to.emit(registry, "CredentialStatusUpdated")
        .withArgs(cityBureau.address, 1, 1, 1n << 44n);
      expect(statusName(await registry.verify(cityBureau, c))).to.equal("Suspended");
      await registry.connect(cityBureau).reinstate([300]);
      expect(await registry.verify(cityBureau, c)).to.equal(Status.Valid);
      await registry.connect(cityBureau).revoke([300]);
      expect(await registry.verify(cityBureau, c)).to.equal(Status.Revoked);
      await registry.connect(cityBureau).reinstate([300]); // reinstating lifts suspensions only
      expect(await registry.verify(cityBureau, c)).to.equal(Status.Revoked);
      expect(await registry.statusOf(cityBureau, 300)).to.deep.equal([true, false]);
    });

    it("touches only the caller's own status list", async function () {
      const { registry, cityBureau, outsider, credential } = await loadFixture(deployCredentialFixture);
      const c = credential({ statusIndex: 9 });
      await registry.connect(cityBureau).issue(c);
      await registry.connect(outsider).revoke([9]);
      expect(await registry.verify(cityBureau, c)).to.equal(Status.Valid);
    });

    it("refuses empty or unsorted index lists", async function () {
      const { registry, cityBureau } = await loadFixture(deployCredentialFixture);
      await expect(registry.connect(cityBureau).revoke([])).to.be.revertedWithCustomError(
        registry,
        "StatusBitmapEmpty",
      );
      await expect(registry.connect(cityBureau).revoke([4, 4]))
        .to.be.revertedWithCustomError(registry, "StatusBitmapUnsortedIndices")
        .withArgs(1);
      await expect(registry.connect(cityBureau).suspend([1, 9, 2]))
        .to.be.revertedWithCustomError(registry, "StatusBitmapUnsortedIndices")
        .withArgs(2);
    });

    it("keeps revocation and suspension working while paused; issuance and reinstatement stop", async function () {
      const { registry, pauser, cityBureau, credential, ministry, otherAgency, licence, admin, accreditationBody } =
        await loadFixture(deployCredentialFixture);
      const c = credential({ statusIndex: 1 });
      await registry.connect(cityBureau).issue(c);
      await registry.connect(pauser).pause();
      await registry.connect(cityBureau).suspend([1]);
      await registry.connect(cityBureau).revoke([2]);
      const root = { root: ethers.id("r"), schemaId: licence, validFrom: 0, validUntil: 0, count: 1 };
      for (const call of [
        () => registry.connect(cityBureau).issue(credential({ statusIndex: 5 })),
        () => registry.connect(cityBureau).issueBatch(licence, toBatchCredentials([credential({ statusIndex: 6 })])),
        () => registry.connect(cityBureau).issueRoot(root),
        () => registry.connect(cityBureau).reinstate([1]),
        () => registry.connect(ministry).accreditIssuer(otherAgency, [licence], 0, 0),
        () => registry.connect(ministry).revokeIssuer(cityBureau, licence),
        () => registry.connect(accreditationBody).registerSchema("Paused", 1, ZeroHash, ""),
        () => registry.connect(accreditationBody).accreditOrganization(otherAgency, 0, 0),
        () => registry.connect(accreditationBody).revokeOrganization(ministry),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(registry, "EnforcedPause");
      }
      await registry.connect(admin).unpause();
      await registry.connect(cityBureau).reinstate([1]);
      expect(await registry.verify(cityBureau, c)).to.equal(Status.Valid);
    });
  });

  describe("metadata", function () {
    it("cannot be deployed without a DID registry", async function () {
      const { registry, admin } = await loadFixture(deployCredentialFixture);
      const implementation = await (await ethers.getContractFactory("CredentialRegistry")).deploy();
      const init = implementation.interface.encodeFunctionData("initialize", [admin.address, ZeroAddress]);
      await expect(
        (await ethers.getContractFactory("ERC1967Proxy")).deploy(implementation, init),
      ).to.be.revertedWithCustomError(registry, "CredentialRegistryZeroAddress");
    });

    it("reports its version and DID registry, and cannot be re-initialized", async function () {
      const { registry, didRegistry, admin } = await loadFixture(deployCredentialFixture);
      expect(await registry.version()).to.equal("1.0.0");
      expect(await registry.didRegistry()).to.equal(await didRegistry.getAddress());
      await expect(registry.initialize(admin, didRegistry)).to.be.revertedWithCustomError(
        registry,
        "InvalidInitialization",
      );
    });
  });
});
