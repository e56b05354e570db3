import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash, encodeBytes32String } from "ethers";
import { deployPlatform } from "../../src/platform";
import { disclosureLeaf, disclosureTree } from "../../src/disclosure/publish";
import { signCoSignature, submitCoSignatures } from "../../src/disclosure/cosign";
import localParameters from "../../ignition/parameters/local.json";

const S = {
  Active: 0,
  NotAnchored: 1,
  InvalidProof: 2,
  Embargoed: 3,
  PendingCoSignature: 4,
  Amended: 5,
  Retracted: 6,
  Revoked: 7,
};

async function deployDisclosureFixture() {
  const signers = await ethers.getSigners();
  const [admin, , , , publisher, , , pauser] = signers;
  const [otherAgency, auditor, inspector, citizen] = signers.slice(10);
  const { disclosureRegistry: registry, authority } = await deployPlatform(hre, localParameters);
  // a second publishing agency
  await authority.grantRoles(4n, [otherAgency.address], 0);
  const docs = Array.from({ length: 8 }, (_, i) => ethers.id(`budget-2027-part-${i}`));
  const tree = disclosureTree(docs);
  const anchor = (root: string, overrides: Record<string, unknown> = {}) => ({
    root,
    category: encodeBytes32String("budget"),
    hashAlgorithm: 1,
    publishAt: 0,
    periodOrReference: "FY2027",
    uri: "https://city.example.gov/budget/2027/",
    ...overrides,
  });
  const proofOf = (i: number) => tree.getProof(i);
  return { registry, admin, publisher, pauser, otherAgency, auditor, inspector, citizen, docs, tree, anchor, proofOf };
}

describe("DisclosureRegistry", function () {
  describe("anchor", function () {
    it("anchors a batch root; any document verifies with its proof, with time and block", async function () {
      const { registry, publisher, docs, tree, anchor, proofOf } = await loadFixture(deployDisclosureFixture);
      const tx = registry.connect(publisher).anchor(anchor(tree.root));
      await expect(tx)
        .to.emit(registry, "DisclosureAnchored")
        .withArgs(
          tree.root,
          publisher.address,
          encodeBytes32String("budget"),
          1,
          0,
          "FY2027",
          "https://city.example.gov/budget/2027/",
        );
      const receipt = (await (await tx).wait())!;
      for (const i of [0, 5, 7])
        expect(await registry.verifyDocument(tree.root, docs[i], i, proofOf(i))).to.equal(S.Active);
      const record = await registry.recordOf(tree.root);
      expect(record.publisher).to.equal(publisher.address);
      expect(record.anchoredBlock).to.equal(receipt.blockNumber);
      expect(record.anchoredAt).to.equal((await ethers.provider.getBlock(receipt.blockNumber))!.timestamp);
    });

    it("fails a tampered document, a proof for another batch, a wrong index and an inner node passed as a leaf", async function () {
      const { registry, publisher, docs, tree, anchor, proofOf } = await loadFixture(deployDisclosureFixture);
      await registry.connect(publisher).anchor(anchor(tree.root));
      expect(await registry.verifyDocument(tree.root, ethers.id("tampered"), 2, proofOf(2))).to.equal(S.InvalidProof);
      expect(await registry.verifyDocument(tree.root, docs[2], 3, proofOf(2))).to.equal(S.InvalidProof);
      const other = disclosureTree([ethers.id("a"), ethers.id("b")]);
      await registry.connect(publisher).anchor(anchor(other.root));
      expect(await registry.verifyDocument(other.root, docs[0], 0, proofOf(0))).to.equal(S.InvalidProof);
      expect(await registry.verifyDocument(ethers.id("unknown"), docs[0], 0, proofOf(0))).to.equal(S.NotAnchored);
      // An inner node of the tree, offered as a document with the rest of its path, never verifies.
      const proof = proofOf(0);
      const leaf0 = await registry.leafOf(docs[0], 0);
      expect(leaf0).to.equal(disclosureLeaf(docs[0], 0)); // the SDK computes the same leaf off chain
      const pair = [leaf0, proof[0]].sort();
      const inner = ethers.keccak256(ethers.concat(pair));
      for (let index = 0; index < 8; index++) {
        expect(await registry.verifyDocument(tree.root, inner, index, proof.slice(1))).to.equal(S.InvalidProof);
      }
    });

    it("anchors several roots in one transaction with one event", async function () {
      const { registry, publisher, anchor } = await loadFixture(deployDisclosureFixture);
      const roots = [ethers.id("r1"), ethers.id("r2"), ethers.id("r3")];
      const tx = registry.connect(publisher).anchorBatch(roots.map((r) => anchor(r)));
      await expect(tx).to.emit(registry, "DisclosuresAnchored");
      const receipt = (await (await tx).wait())!;
      expect(receipt.logs).to.have.length(1);
      for (const r of roots) expect((await registry.recordOf(r)).publisher).to.equal(publisher.address);
      await expect(registry.connect(publisher).anchorBatch([])).to.be.revertedWithCustomError(
        registry,
        "DisclosureRegistryEmptyBatch",
      );
    });

    it("refuses non-publishers, an empty root and a root anchored before", async function () {
      const { registry, publisher, citizen, tree, anchor } = await loadFixture(deployDisclosureFixture);
      for (const call of [
        () => registry.connect(citizen).anchor(anchor(tree.root)),
        () => registry.connect(citizen).anchorBatch([anchor(tree.root)]),
        () => registry.connect(citizen).anchorCoSigned(anchor(tree.root), [citizen.address], 1),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
          .withArgs(citizen.address);
      }
      await expect(registry.connect(publisher).anchor(anchor(ZeroHash))).to.be.revertedWithCustomError(
        registry,
        "DisclosureRegistryEmptyRoot",
      );
      await registry.connect(publisher).anchor(anchor(tree.root));
      const at = (await registry.recordOf(tree.root)).anchoredAt;
      await expect(registry.connect(publisher).anchor(anchor(tree.root)))
        .to.be.revertedWithCustomError(registry, "DisclosureRegistryAlreadyAnchored")
        .withArgs(tree.root, publisher.address, at);
    });
  });

  describe("embargo", function () {
    it("does not verify before publishAt, then does", async function () {
      const { registry, publisher, docs, tree, anchor, proofOf } = await loadFixture(deployDisclosureFixture);
      const opening = (await time.latest()) + 3600;
      await registry.connect(publisher).anchor(anchor(tree.root, { publishAt: opening }));
      expect(await registry.verifyDocument(tree.root, docs[1], 1, proofOf(1))).to.equal(S.Embargoed);
      expect((await registry.recordOf(tree.root)).publishAt).to.equal(opening);
      await time.increaseTo(opening);
      expect(await registry.verifyDocument(tree.root, docs[1], 1, proofOf(1))).to.equal(S.Active);
    });
  });

  describe("amend, retract, revoke", function () {
    it("links a new version and keeps the chain readable; statusAt answers for any time", async function () {
      const { registry, publisher, docs, tree, anchor, proofOf } = await loadFixture(deployDisclosureFixture);
      await registry.connect(publisher).anchor(anchor(tree.root));
      const before = await time.latest();
      const v2 = disclosureTree([...docs, ethers.id("corrigendum")]);
      const v3 = disclosureTree([ethers.id("v3")]);
      await time.increase(100);
      await expect(registry.connect(publisher).amend(tree.root, anchor(v2.root)))
        .to.emit(registry, "DisclosureAmended")
        .withArgs(tree.root, v2.root, publisher.address);
      await registry.connect(publisher).amend(v2.root, anchor(v3.root));
      expect(await registry.latest(tree.root)).to.equal(v3.root);
      expect(await registry.latest(v3.root)).to.equal(v3.root);
      expect(await registry.verifyDocument(tree.root, docs[0], 0, proofOf(0))).to.equal(S.Amended);
      expect(await registry.statusAt(tree.root, docs[0], 0, proofOf(0), before)).to.equal(S.Active);
      expect(await registry.statusAt(tree.root, docs[0], 0, proofOf(0), before - 10)).to.equal(S.NotAnchored);
      await expect(registry.connect(publisher).amend(tree.root, anchor(ethers.id("v2b"))))
        .to.be.revertedWithCustomError(registry, "DisclosureRegistryAlreadyAmended")
        .withArgs(tree.root, v2.root);
      await expect(registry.latest(ethers.id("nothing")))
        .to.be.revertedWithCustomError(registry, "DisclosureRegistryUnknownRecord")
        .withArgs(ethers.id("nothing"));
    });

    it("retracts with a reason: verifies as retracted, never changes again", async function () {
      const { registry, publisher, docs, tree, anchor, proofOf } = await loadFixture(deployDisclosureFixture);
      await registry.connect(publisher).anchor(anchor(tree.root));
      const reason = ethers.id("notice of retraction 2027-03");
      await expect(registry.connect(publisher).retract(tree.root, 3, reason))
        .to.emit(registry, "DisclosureRetracted")
        .withArgs(tree.root, 3, reason);
      expect(await registry.verifyDocument(tree.root, docs[4], 4, proofOf(4))).to.equal(S.Retracted);
      const record = await registry.recordOf(tree.root);
      expect(record.retractionReason).to.equal(3);
      for (const call of [
        () => registry.connect(publisher).retract(tree.root, 1, reason),
        () => registry.connect(publisher).amend(tree.root, anchor(ethers.id("x"))),
        () => registry.connect(publisher).revokeDocuments(tree.root, [1]),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(registry, "DisclosureRegistryRetracted")
          .withArgs(tree.root, record.retractedAt);
      }
    });

    it("revokes single documents inside a batch, leaving the others active", async function () {
      const { registry, publisher, docs, tree, anchor, proofOf } = await loadFixture(deployDisclosureFixture);
      await registry.connect(publisher).anchor(anchor(tree.root));
      await expect(registry.connect(publisher).revokeDocuments(tree.root, [2, 6]))
        .to.emit(registry, "DocumentsRevoked")
        .withArgs(tree.root, 0, (1n << 2n) | (1n << 6n));
      expect(await registry.verifyDocument(tree.root, docs[2], 2, proofOf(2))).to.equal(S.Revoked);
      expect(await registry.verifyDocument(tree.root, docs[3], 3, proofOf(3))).to.equal(S.Active);
      await expect(registry.connect(publisher).revokeDocuments(tree.root, [5, 5]))
        .to.be.revertedWithCustomError(registry, "StatusBitmapUnsortedIndices")
        .withArgs(1);
      await expect(registry.connect(publisher).revokeDocuments(tree.root, [])).to.be.revertedWithCustomError(
        registry,
        "StatusBitmapEmpty",
      );
      const tx = await registry.connect(publisher).revokeDocuments(tree.root, [256, 700]);
      expect((await tx.wait())!.logs).to.have.length(2); // one event per word touched
    });

    it("lets only the record's own publisher change it", async function () {
      const { registry, publisher, otherAgency, citizen, tree, anchor } = await loadFixture(deployDisclosureFixture);
      await registry.connect(publisher).anchor(anchor(tree.root));
      for (const call of [
        () => registry.connect(otherAgency).amend(tree.root, anchor(ethers.id("x"))),
        () => registry.connect(otherAgency).retract(tree.root, 1, ZeroHash),
        () => registry.connect(otherAgency).revokeDocuments(tree.root, [1]),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(registry, "DisclosureRegistryNotPublisher")
          .withArgs(tree.root, otherAgency.address, publisher.address);
      }
      await expect(registry.connect(citizen).retract(tree.root, 1, ZeroHash))
        .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
        .withArgs(citizen.address);
      await expect(registry.connect(publisher).retract(ethers.id("none"), 1, ZeroHash))
        .to.be.revertedWithCustomError(registry, "DisclosureRegistryUnknownRecord")
        .withArgs(ethers.id("none"));
    });
  });

  describe("co-signatures", function () {
    it("counts as published only once k of n co-signers have signed", async function () {
      const { registry, publisher, auditor, inspector, citizen, docs, tree, anchor, proofOf } =
        await loadFixture(deployDisclosureFixture);
      const signers = [auditor.address, inspector.address, citizen.address].sort((a, b) =>
        BigInt(a) < BigInt(b) ? -1 : 1,
      );
      await expect(registry.connect(publisher).anchorCoSigned(anchor(tree.root), signers, 2))
        .to.emit(registry, "DisclosureCoSignatureRequired")
        .withArgs(tree.root, signers, 2);
      expect(await registry.verifyDocument(tree.root, docs[0], 0, proofOf(0))).to.equal(S.PendingCoSignature);
      const one = [{ signer: auditor.address, signature: await signCoSignature(registry, auditor, tree.root) }];
      await expect(submitCoSignatures(registry, tree.root, { signers, threshold: 2 }, one))
        .to.be.revertedWithCustomError(registry, "DisclosureRegistryNotEnoughCoSignatures")
        .withArgs(1, 2);
      const two = [
        ...one,
        { signer: inspector.address, signature: await signCoSignature(registry, inspector, tree.root) },
      ];
      await expect(submitCoSignatures(registry, tree.root, { signers, threshold: 2 }, two)).to.emit(
        registry,
        "DisclosureCoSigned",
      );
      expect(await registry.verifyDocument(tree.root, docs[0], 0, proofOf(0))).to.equal(S.Active);
      // replaying the same co-signatures does nothing more
      await expect(submitCoSignatures(registry, tree.root, { signers, threshold: 2 }, two))
        .to.be.revertedWithCustomError(registry, "DisclosureRegistryNotPendingCoSignature")
        .withArgs(tree.root);
    });

    it("refuses non-members, a signature for another record, a repeated signer and a wrong policy", async function () {
      const { registry, publisher, auditor, inspector, citizen, tree, anchor } =
        await loadFixture(deployDisclosureFixture);
      const sort = (xs: string[]) => xs.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      const signers = sort([auditor.address, inspector.address]);
      await registry.connect(publisher).anchorCoSigned(anchor(tree.root), signers, 2);
      const policy = { signers, threshold: 2 };
      const sig = (s: typeof auditor, root = tree.root) => signCoSignature(registry, s, root);
      const outsiderSet = [
        { signer: auditor.address, signature: await sig(auditor) },
        { signer: citizen.address, signature: await sig(citizen) },
      ];
      const position = sort([auditor.address, citizen.address]).indexOf(citizen.address);
      await expect(submitCoSignatures(registry, tree.root, policy, outsiderSet))
        .to.be.revertedWithCustomError(registry, "DisclosureRegistryInvalidCoSignature")
        .withArgs(position, citizen.address);
      const wrongRoot = [
        { signer: auditor.address, signature: await sig(auditor, ethers.id("other record")) },
        { signer: inspector.address, signature: await sig(inspector) },
      ];
      const auditorPosition = signers.indexOf(auditor.address);
      await expect(submitCoSignatures(registry, tree.root, policy, wrongRoot))
        .to.be.revertedWithCustomError(registry, "DisclosureRegistryInvalidCoSignature")
        .withArgs(auditorPosition, auditor.address);
      const a = await sig(auditor);
      await expect(registry.coSign(tree.root, signers, 2, [auditor.address, auditor.address], [a, a]))
        .to.be.revertedWithCustomError(registry, "DisclosureRegistryInvalidCoSignature")
        .withArgs(1, auditor.address);
      await expect(registry.coSign(tree.root, signers, 1, [auditor.address], [a]))
        .to.be.revertedWithCustomError(registry, "DisclosureRegistryWrongCoSignPolicy")
        .withArgs(tree.root);
      await expect(registry.coSign(ethers.id("plain"), signers, 2, [], []))
        .to.be.revertedWithCustomError(registry, "DisclosureRegistryNotPendingCoSignature")
        .withArgs(ethers.id("plain"));
      for (const [list, k] of [
        [signers, 0],
        [signers, 3],
        [[...signers].reverse(), 1],
      ] as [string[], number][]) {
        await expect(registry.connect(publisher).anchorCoSigned(anchor(ethers.id(`p${k}`)), list, k))
          .to.be.revertedWithCustomError(registry, "DisclosureRegistryInvalidCoSignPolicy")
          .withArgs(list.length, k);
      }
    });
  });

  describe("pause and metadata", function () {
    it("stops every write while paused", async function () {
      const { registry, publisher, pauser, tree, anchor, admin } = await loadFixture(deployDisclosureFixture);
      await registry.connect(publisher).anchor(anchor(tree.root));
      await registry.connect(pauser).pause();
      for (const call of [
        () => registry.connect(publisher).anchor(anchor(ethers.id("p"))),
        () => registry.connect(publisher).anchorBatch([anchor(ethers.id("p"))]),
        () => registry.connect(publisher).anchorCoSigned(anchor(ethers.id("p")), [publisher.address], 1),
        () => registry.connect(publisher).amend(tree.root, anchor(ethers.id("p"))),
        () => registry.connect(publisher).retract(tree.root, 1, ZeroHash),
        () => registry.connect(publisher).revokeDocuments(tree.root, [1]),
        () => registry.coSign(tree.root, [], 1, [], []),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(registry, "EnforcedPause");
      }
      await registry.connect(admin).unpause();
      expect(await registry.version()).to.equal("1.0.0");
      expect((await registry.eip712Domain()).name).to.equal("GovChain DisclosureRegistry");
    });
  });
});
