import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, ZeroHash } from "ethers";
import { AgreementState as A, MilestoneStatus as M, NATIVE, agreementIdOf, keyOf } from "../../src/agreement/model";
import { fundAgreement, signAgreement, signAmendment, signSettlement } from "../../src/agreement/lifecycle";
import { DAY, fundedAgreement, setupAgreementPlatform, signedAgreement } from "./helpers";

async function deployAgreementFixture() {
  const f = await setupAgreementPlatform();
  const funded = await fundedAgreement(f, f.input());
  return { ...f, funded };
}

describe("AgreementEscrow", function () {
  describe("create and sign", function () {
    it("creates a Draft with every milestone, then activates once every party has signed", async function () {
      const { escrow, input, payer, supplier, supervisor } = await loadFixture(deployAgreementFixture);
      const i = input({ termsURI: "https://procurement.example.gov/contracts/2026-115" });
      const id = agreementIdOf(i, ZeroHash);
      expect(await escrow.agreementIdOf(i, ZeroHash)).to.equal(id);
      await expect(escrow.connect(supplier).create(i, ZeroHash, []))
        .to.emit(escrow, "AgreementCreated")
        .and.to.emit(escrow, "AgreementSigned")
        .withArgs(id, 0b010, 0b010);
      const view = await escrow.agreementOf(id);
      expect(view.state).to.equal(A.Draft);
      expect(view.total).to.equal(350_000_00n);
      expect(view.signedMask).to.equal(0b010);
      expect(view.held).to.equal(0n);
      const m1 = await escrow.milestoneOf(id, 1);
      expect([m1.amount, m1.status, m1.approvers, m1.threshold]).to.deep.equal([
        200_000_00n,
        BigInt(M.Pending),
        5n,
        2n,
      ]);
      await expect(escrow.connect(supplier).create(i, ZeroHash, []))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowAlreadyExists")
        .withArgs(id);

      // the supervisor's signature arrives by relay, the payer signs on chain
      const key = keyOf(i);
      const sig = await signAgreement(escrow, supervisor, id);
      await expect(escrow.connect(supplier).sign(id, key, ["0x", "0x", sig]))
        .to.emit(escrow, "AgreementSigned")
        .withArgs(id, 0b100, 0b110);
      expect((await escrow.agreementOf(id)).state).to.equal(A.Draft);
      await expect(escrow.connect(payer).sign(id, key, []))
        .to.emit(escrow, "AgreementActivated")
        .withArgs(id);
      expect((await escrow.agreementOf(id)).state).to.equal(A.Signed);
      await expect(escrow.connect(payer).sign(id, key, []))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWrongState")
        .withArgs(id, A.Signed, A.Draft);
    });

    it("refuses bad signatures, naming the party", async function () {
      const { escrow, input, payer, supplier, supervisor, outsider } = await loadFixture(deployAgreementFixture);
      const i = input({ termsHash: ethers.id("v2") });
      const id = agreementIdOf(i, ZeroHash);
      const forged = await signAgreement(escrow, outsider, id);
      await expect(escrow.connect(payer).create(i, ZeroHash, ["0x", forged, "0x"]))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidSignature")
        .withArgs(1, supplier.address);
      await expect(escrow.connect(payer).create(i, ZeroHash, ["0x"]))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidSignature")
        .withArgs(1, ZeroAddress);
      await escrow.connect(payer).create(i, ZeroHash, []);
      await expect(escrow.connect(payer).amend(id, keyOf(i), 0, 1n, 0n, []))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWrongState")
        .withArgs(id, A.Draft, A.Funded);
      await expect(escrow.connect(payer).sign(id, { ...keyOf(i), parties: [payer.address, supervisor.address] }, []))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWrongKey")
        .withArgs(id);
      await expect(escrow.connect(payer).sign(12345n, keyOf(i), []))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowUnknownAgreement")
        .withArgs(12345n);
    });

    it("validates the input, naming what is wrong", async function () {
      const { escrow, input, payer, outsider } = await loadFixture(deployAgreementFixture);
      const c = (o: Parameters<typeof input>[0]) => escrow.connect(payer).create(input(o), ZeroHash, []);
      for (const parties of [[payer.address], Array(9).fill(payer.address), [payer.address, payer.address]]) {
        await expect(c({ parties }))
          .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidParties")
          .withArgs(parties.length);
      }
      await expect(c({ parties: [payer.address, ZeroAddress] }))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidParties")
        .withArgs(2);
      await expect(c({ arbiters: [] }))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidArbiters")
        .withArgs(0, 1);
      await expect(c({ arbiterThreshold: 2 }))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidArbiters")
        .withArgs(1, 2);
      await expect(c({ arbiterThreshold: 0 }))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidArbiters")
        .withArgs(1, 0);
      await expect(c({ arbiters: Array(17).fill(outsider.address), arbiterThreshold: 1 }))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidArbiters")
        .withArgs(17, 1);
      await expect(c({ token: outsider.address }))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowTokenNotAllowed")
        .withArgs(outsider.address);
      await expect(c({ retentionBps: 5001 }))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidRetention")
        .withArgs(5001);
      await expect(c({ milestones: [] }))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidMilestone")
        .withArgs(0);
      const ms = input().milestones;
      const bad = [
        { ...ms[0], amount: 0n },
        { ...ms[0], approvers: 0 },
        { ...ms[0], approvers: 0b1000 }, // a fourth party that does not exist
        { ...ms[0], threshold: 0 },
        { ...ms[0], threshold: 3 },
      ];
      for (const m of bad) {
        await expect(c({ milestones: [ms[0], m] }))
          .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidMilestone")
          .withArgs(1);
      }
      const huge = 2n ** 96n - 1n;
      await expect(c({ milestones: [{ ...ms[0], amount: huge }] }))
        .to.be.revertedWithCustomError(escrow, "SafeCastOverflowedUintDowncast")
        .withArgs(88, (huge * 500n) / 10_000n);
      await expect(c({ retentionBps: 0, milestones: [{ ...ms[0], amount: huge }, ms[1]] }))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidMilestone")
        .withArgs(2);
    });
  });

  describe("funding", function () {
    it("counts what arrives, in parts, and credits any excess back to the funder", async function () {
      const f = await loadFixture(deployAgreementFixture);
      const { escrow, input, payer, outsider } = f;
      const i = input({ termsHash: ethers.id("funding") });
      const { id } = await signedAgreement(f, i);
      await expect(escrow.connect(payer).fund(id, keyOf(i), 100_000_00n))
        .to.emit(escrow, "AgreementFunded")
        .withArgs(id, payer.address, 100_000_00n, 100_000_00n);
      expect((await escrow.agreementOf(id)).held).to.equal(100_000_00n);
      await expect(escrow.connect(payer).fund(id, keyOf(i), 0n, { value: 1n })) // an ERC-20 agreement takes no value
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWrongValue")
        .withArgs(0n, 1n);
      await expect(escrow.connect(outsider).fund(id, keyOf(i), 300_000_00n))
        .to.emit(escrow, "AgreementFunded")
        .withArgs(id, outsider.address, 300_000_00n, 350_000_00n);
      const view = await escrow.agreementOf(id);
      expect(view.state).to.equal(A.Funded);
      expect(view.held).to.equal(350_000_00n);
      expect(await escrow.balanceOf(outsider, i.token)).to.equal(50_000_00n);
      await expect(escrow.connect(payer).fund(id, keyOf(i), 1n))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWrongState")
        .withArgs(id, A.Funded, A.Signed);
    });

    it("funds in the native coin with exactly the value sent", async function () {
      const f = await loadFixture(deployAgreementFixture);
      const i = f.input({
        token: NATIVE,
        milestones: [{ ...f.input().milestones[0], amount: ethers.parseEther("3") }],
      });
      const { id } = await signedAgreement(f, i);
      await expect(f.escrow.connect(f.payer).fund(id, keyOf(i), 5n, { value: 4n }))
        .to.be.revertedWithCustomError(f.escrow, "AgreementEscrowWrongValue")
        .withArgs(5n, 4n);
      await expect(fundAgreement(f.escrow.connect(f.payer), id, ethers.parseEther("3"))).to.changeEtherBalance(
        f.escrow,
        ethers.parseEther("3"),
      );
      expect((await f.escrow.agreementOf(id)).state).to.equal(A.Funded);
    });

    it("records only what a fee-on-transfer token delivered, so it can never release more than it holds", async function () {
      const f = await loadFixture(deployAgreementFixture);
      const fee = await ethers.deployContract("FeeOnTransferERC20Mock");
      await f.escrow.setTokenAllowed(fee, true);
      await fee.mint(f.payer, 10n ** 30n);
      await fee.connect(f.payer).approve(f.escrow, ethers.MaxUint256);
      const i = f.input({ token: await fee.getAddress() });
      const { id } = await signedAgreement(f, i);
      await f.escrow.connect(f.payer).fund(id, keyOf(i), 350_000_00n);
      const view = await f.escrow.agreementOf(id);
      expect(view.funded).to.equal(346_500_00n); // 1% burnt on the way in
      expect(view.state).to.equal(A.Signed);
      expect(await fee.balanceOf(f.escrow)).to.equal(view.funded);
      await f.escrow.connect(f.payer).fund(id, keyOf(i), 3_600_00n); // 3,564.00 arrives; 64.00 beyond the total
      expect((await f.escrow.agreementOf(id)).state).to.equal(A.Funded);
      expect(await f.escrow.balanceOf(f.payer, fee)).to.equal(64_00n);
      expect(await fee.balanceOf(f.escrow)).to.equal(350_064_00n);
    });
  });

  describe("milestones", function () {
    it("releases on the k-th approval, less retention, to the supplier's ledger; never twice", async function () {
      const { escrow, token, payer, supplier, supervisor, outsider, funded } =
        await loadFixture(deployAgreementFixture);
      const { id, key } = funded;
      const deliverable = ethers.id("road survey report");
      await expect(escrow.connect(payer).submit(id, key, 1, deliverable))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowNotSupplier")
        .withArgs(id, payer.address);
      await expect(escrow.connect(supplier).submit(id, key, 1, deliverable))
        .to.emit(escrow, "MilestoneSubmitted")
        .withArgs(id, 1, deliverable);
      await expect(escrow.connect(supplier).submit(id, key, 1, deliverable))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWrongMilestoneStatus")
        .withArgs(id, 1, M.Submitted);
      await expect(escrow.connect(supplier).approve(id, key, 1))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowNotApprover")
        .withArgs(id, 1, supplier.address);
      await expect(escrow.connect(outsider).approve(id, key, 1))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowNotParty")
        .withArgs(id, outsider.address);
      // 1 approval of the 2 needed: nothing moves
      await expect(escrow.connect(payer).approve(id, key, 1)).to.not.emit(escrow, "MilestoneReleased");
      expect(await escrow.balanceOf(supplier, token)).to.equal(0n);
      await expect(escrow.connect(payer).approve(id, key, 1))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowAlreadyApproved")
        .withArgs(id, 1, payer.address);
      await expect(escrow.connect(supervisor).approve(id, key, 1))
        .to.emit(escrow, "MilestoneReleased")
        .withArgs(id, 1, 190_000_00n, 10_000_00n);
      expect(await escrow.balanceOf(supplier, token)).to.equal(190_000_00n);
      await expect(escrow.connect(supervisor).approve(id, key, 1))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWrongMilestoneStatus")
        .withArgs(id, 1, M.Released);
      expect((await escrow.agreementOf(id)).held).to.equal(150_000_00n + 10_000_00n);
      await expect(escrow.connect(supplier).withdraw(token, ZeroAddress)).to.be.revertedWithCustomError(
        escrow,
        "AgreementEscrowZeroRecipient",
      );
      await expect(escrow.connect(supplier).withdraw(token, supplier)).to.changeTokenBalances(
        token,
        [escrow, supplier],
        [-190_000_00n, 190_000_00n],
      );
      await expect(escrow.connect(supplier).withdraw(token, supplier))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowNothingToWithdraw")
        .withArgs(supplier.address, await token.getAddress());
      await expect(escrow.connect(supplier).submit(id, key, 3, deliverable))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowUnknownMilestone")
        .withArgs(id, 3);
    });

    it("runs the whole happy path in the native coin: fund, deliver, approve, close, retention, withdraw", async function () {
      const f = await loadFixture(deployAgreementFixture);
      const { escrow, payer, supplier, supervisor } = f;
      const ms = f.input().milestones;
      const i = f.input({
        token: NATIVE,
        warrantyPeriod: 0,
        milestones: [
          { ...ms[0], amount: ethers.parseEther("4") },
          { ...ms[1], amount: ethers.parseEther("6") },
        ],
      });
      const { id, key } = await fundedAgreement(f, i, ethers.id("native"));
      for (const m of [0, 1]) await escrow.connect(supplier).submit(id, key, m, ZeroHash);
      await escrow.connect(payer).approve(id, key, 0);
      await escrow.connect(payer).approve(id, key, 1);
      await escrow.connect(supervisor).approve(id, key, 1);
      await escrow.close(id, key);
      await escrow.releaseRetention(id, key);
      expect((await escrow.agreementOf(id)).state).to.equal(A.Completed);
      await expect(escrow.connect(supplier).withdraw(NATIVE, supplier)).to.changeEtherBalances(
        [escrow, supplier],
        [-ethers.parseEther("10"), ethers.parseEther("10")],
      );
    });

    it("lets the payer reclaim a milestone past its due date with nothing delivered", async function () {
      const { escrow, token, payer, supplier, funded, input } = await loadFixture(deployAgreementFixture);
      const { id, key } = funded;
      const due = input().milestones[0].dueDate;
      await expect(escrow.connect(payer).reclaim(id, key, 0))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowNotDue")
        .withArgs(id, 0, due + 16n);
      await time.increaseTo(due + 16n);
      await expect(escrow.connect(supplier).reclaim(id, key, 0))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowNotPayer")
        .withArgs(id, supplier.address);
      await expect(escrow.connect(payer).reclaim(id, key, 0))
        .to.emit(escrow, "MilestoneReclaimed")
        .withArgs(id, 0, 100_000_00n);
      expect(await escrow.balanceOf(payer, token)).to.equal(100_000_00n);
      // a delivered milestone cannot be reclaimed, however late
      await escrow.connect(supplier).submit(id, key, 1, ZeroHash);
      await time.increaseTo(input().milestones[1].dueDate + DAY);
      await expect(escrow.connect(payer).reclaim(id, key, 1))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWrongMilestoneStatus")
        .withArgs(id, 1, M.Submitted);
    });

    it("amends a milestone with every party's signature; less goes back, more must be funded first", async function () {
      const { escrow, token, payer, supplier, supervisor, funded, input } = await loadFixture(deployAgreementFixture);
      const { id, key } = funded;
      const dueDate = input().milestones[2].dueDate + 30n * DAY;
      const sigs = (amount: bigint, nonce: number) =>
        Promise.all(
          [payer, supplier, supervisor].map((s) =>
            signAmendment(escrow, s, { agreementId: id, milestone: 2, amount, dueDate, nonce }),
          ),
        );
      const lower = await sigs(40_000_00n, 0);
      await expect(escrow.connect(supplier).amend(id, key, 2, 40_000_00n, dueDate, lower.slice(0, 2)))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidSignature")
        .withArgs(2, ZeroAddress);
      await expect(escrow.connect(supplier).amend(id, key, 2, 40_000_00n, dueDate, lower))
        .to.emit(escrow, "MilestoneAmended")
        .withArgs(id, 2, 40_000_00n, dueDate);
      expect(await escrow.balanceOf(payer, token)).to.equal(10_000_00n);
      // replaying the same signatures fails: the nonce moved on
      await expect(escrow.connect(supplier).amend(id, key, 2, 40_000_00n, dueDate, lower))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidSignature")
        .withArgs(0, payer.address);
      await escrow.connect(payer).amend(id, key, 2, 60_000_00n, dueDate, await sigs(60_000_00n, 1));
      const view = await escrow.agreementOf(id);
      expect(view.state).to.equal(A.Signed);
      expect([view.total, view.funded]).to.deep.equal([360_000_00n, 340_000_00n]);
      await expect(escrow.connect(supplier).submit(id, key, 0, ZeroHash))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWrongState")
        .withArgs(id, A.Signed, A.Funded);
      await escrow.connect(payer).fund(id, key, 20_000_00n);
      expect((await escrow.agreementOf(id)).state).to.equal(A.Funded);
      await expect(escrow.connect(payer).amend(id, key, 2, 0n, dueDate, await sigs(0n, 2)))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidMilestone")
        .withArgs(2);
      await escrow.connect(supplier).submit(id, key, 0, ZeroHash);
      await escrow.connect(payer).approve(id, key, 0);
      await expect(escrow.connect(payer).amend(id, key, 0, 1n, dueDate, await sigs(1n, 2)))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWrongMilestoneStatus")
        .withArgs(id, 0, M.Released);
    });
  });

  describe("disputes", function () {
    it("a single arbiter rules a split that sums to the milestone", async function () {
      const { escrow, token, payer, supplier, arbiter, outsider, funded } = await loadFixture(deployAgreementFixture);
      const { id, key } = funded;
      await escrow.connect(supplier).submit(id, key, 1, ZeroHash);
      await expect(escrow.connect(outsider).dispute(id, key, 1, "ipfs://evidence"))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowNotParty")
        .withArgs(id, outsider.address);
      await expect(escrow.connect(payer).rule(id, key, 1, 0n))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWrongMilestoneStatus")
        .withArgs(id, 1, M.Submitted);
      await expect(escrow.connect(payer).dispute(id, key, 1, "ipfs://evidence/defects"))
        .to.emit(escrow, "MilestoneDisputed")
        .withArgs(id, 1, payer.address, "ipfs://evidence/defects");
      await expect(escrow.connect(payer).approve(id, key, 1))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWrongMilestoneStatus")
        .withArgs(id, 1, M.Disputed);
      await expect(escrow.connect(payer).rule(id, key, 1, 0n))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowNotArbiter")
        .withArgs(id, payer.address);
      await expect(escrow.connect(arbiter).rule(id, key, 1, 200_000_01n))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidSplit")
        .withArgs(id, 1, 200_000_01n, 200_000_00n);
      await expect(escrow.connect(arbiter).rule(id, key, 1, 120_000_00n))
        .to.emit(escrow, "MilestoneResolved")
        .withArgs(id, 1, 120_000_00n, false);
      const toSupplier = await escrow.balanceOf(supplier, token);
      const toPayer = await escrow.balanceOf(payer, token);
      const retained = (await escrow.milestoneOf(id, 1)).retained;
      expect([toSupplier, retained, toPayer]).to.deep.equal([114_000_00n, 6_000_00n, 80_000_00n]);
      expect(toSupplier + retained + toPayer).to.equal(200_000_00n);
      await expect(escrow.connect(payer).dispute(id, key, 1, ""))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWrongMilestoneStatus")
        .withArgs(id, 1, M.Resolved);
    });

    it("an arbiter whose role was revoked can no longer rule", async function () {
      const { escrow, authority, arbiter, payer, funded } = await loadFixture(deployAgreementFixture);
      const { id, key } = funded;
      await escrow.connect(payer).dispute(id, key, 0, "");
      await authority.revokeRole(6n, arbiter);
      await expect(escrow.connect(arbiter).rule(id, key, 0, 0n))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowNotArbiter")
        .withArgs(id, arbiter.address);
    });

    it("a 2-of-3 panel rules when two arbiters vote the same split", async function () {
      const f = await loadFixture(deployAgreementFixture);
      const { escrow, arbiter, arbiter2, arbiter3, supplier, token } = f;
      const i = f.input({ arbiters: [arbiter.address, arbiter2.address, arbiter3.address], arbiterThreshold: 2 });
      const { id, key } = await fundedAgreement(f, i, ethers.id("panel"));
      await escrow.connect(supplier).dispute(id, key, 2, "ipfs://late-payment");
      await expect(escrow.connect(arbiter).rule(id, key, 2, 50_000_00n))
        .to.emit(escrow, "ArbiterVoted")
        .withArgs(id, 2, arbiter.address, 50_000_00n)
        .and.not.to.emit(escrow, "MilestoneResolved");
      await expect(escrow.connect(arbiter).rule(id, key, 2, 40_000_00n))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowAlreadyVoted")
        .withArgs(id, 2, arbiter.address);
      await expect(escrow.connect(arbiter2).rule(id, key, 2, 40_000_00n)).to.not.emit(escrow, "MilestoneResolved");
      await expect(escrow.connect(arbiter3).rule(id, key, 2, 40_000_00n))
        .to.emit(escrow, "MilestoneResolved")
        .withArgs(id, 2, 40_000_00n, false);
      expect(await escrow.balanceOf(supplier, token)).to.equal(38_000_00n);
    });

    it("payer and supplier settle a dispute themselves by signing the split", async function () {
      const { escrow, token, payer, supplier, outsider, funded, now } = await loadFixture(deployAgreementFixture);
      const { id, key } = funded;
      await escrow.connect(supplier).dispute(id, key, 0, "ipfs://claim");
      const deadline = now + DAY;
      const params = { agreementId: id, milestone: 0, toSupplier: 70_000_00n, deadline };
      const p = await signSettlement(escrow, payer, params);
      const s = await signSettlement(escrow, supplier, params);
      await expect(escrow.connect(outsider).settle(id, key, 0, 70_000_00n, deadline, s, p))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidSignature")
        .withArgs(0, payer.address);
      await expect(escrow.connect(outsider).settle(id, key, 0, 70_000_00n, deadline, p, p))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowInvalidSignature")
        .withArgs(1, supplier.address);
      await expect(escrow.connect(outsider).settle(id, key, 0, 70_000_00n, deadline, p, s))
        .to.emit(escrow, "MilestoneResolved")
        .withArgs(id, 0, 70_000_00n, true);
      expect(await escrow.balanceOf(payer, token)).to.equal(30_000_00n);
      await expect(escrow.connect(outsider).settle(id, key, 0, 70_000_00n, deadline, p, s))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWrongMilestoneStatus")
        .withArgs(id, 0, M.Resolved);
      await time.increaseTo(deadline + 1n);
      const late = { ...params, milestone: 1 };
      await expect(
        escrow
          .connect(outsider)
          .settle(
            id,
            key,
            1,
            70_000_00n,
            deadline,
            await signSettlement(escrow, payer, late),
            await signSettlement(escrow, supplier, late),
          ),
      )
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowExpiredSignature")
        .withArgs(deadline);
    });
  });

  describe("closing", function () {
    it("closes when every milestone is settled, and pays the retention after the warranty", async function () {
      const { escrow, token, payer, supplier, supervisor, funded, outsider } =
        await loadFixture(deployAgreementFixture);
      const { id, key } = funded;
      for (const m of [0, 1, 2]) await escrow.connect(supplier).submit(id, key, m, ZeroHash);
      await escrow.connect(payer).approve(id, key, 0);
      await expect(escrow.connect(outsider).close(id, key))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowNotSettled")
        .withArgs(id, 1);
      await escrow.connect(payer).approve(id, key, 1);
      await escrow.connect(supervisor).approve(id, key, 1);
      await escrow.connect(payer).approve(id, key, 2);
      await expect(escrow.connect(outsider).close(id, key)).to.emit(escrow, "AgreementClosed").withArgs(id, 17_500_00n);
      const view = await escrow.agreementOf(id);
      expect(view.state).to.equal(A.Closed);
      expect(view.held).to.equal(17_500_00n);
      const releasableAt = BigInt(view.closedAt) + 90n * DAY;
      await expect(escrow.connect(outsider).releaseRetention(id, key))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWarrantyRunning")
        .withArgs(id, releasableAt);
      await time.increaseTo(releasableAt);
      await expect(escrow.connect(outsider).releaseRetention(id, key))
        .to.emit(escrow, "RetentionReleased")
        .withArgs(id, 17_500_00n);
      expect(await escrow.balanceOf(supplier, token)).to.equal(350_000_00n);
      const done = await escrow.agreementOf(id);
      expect([done.state, done.held]).to.deep.equal([BigInt(A.Completed), 0n]);
      expect(await token.balanceOf(escrow)).to.equal(350_000_00n); // all owed to the supplier's ledger
    });

    it("completes at once when nothing is retained; cancels only before funding", async function () {
      const f = await loadFixture(deployAgreementFixture);
      const { escrow, payer, supplier, outsider, token } = f;
      const i = f.input({ retentionBps: 0, milestones: [f.input().milestones[0]] });
      const { id, key } = await fundedAgreement(f, i, ethers.id("no retention"));
      await expect(escrow.connect(payer).cancel(id, key))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowWrongState")
        .withArgs(id, A.Funded, A.Signed);
      await escrow.connect(supplier).submit(id, key, 0, ZeroHash);
      await escrow.connect(payer).approve(id, key, 0);
      await escrow.close(id, key);
      expect((await escrow.agreementOf(id)).state).to.equal(A.Completed);

      const draft = f.input({ termsHash: ethers.id("to cancel") });
      const { id: draftId } = await signedAgreement(f, draft);
      await escrow.connect(payer).fund(draftId, keyOf(draft), 1_000_00n);
      await expect(escrow.connect(outsider).cancel(draftId, keyOf(draft)))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowNotParty")
        .withArgs(draftId, outsider.address);
      const before = await escrow.balanceOf(payer, token);
      await expect(escrow.connect(supplier).cancel(draftId, keyOf(draft)))
        .to.emit(escrow, "AgreementCancelled")
        .withArgs(draftId, supplier.address);
      expect((await escrow.balanceOf(payer, token)) - before).to.equal(1_000_00n);
      expect((await escrow.agreementOf(draftId)).held).to.equal(0n);
      const second = f.input({ termsHash: ethers.id("cancel a draft") });
      await escrow.connect(payer).create(second, ZeroHash, []);
      await escrow.connect(payer).cancel(agreementIdOf(second, ZeroHash), keyOf(second));
    });
  });

  describe("payments are pulled", function () {
    it("a reentrant token can neither drain nor freeze the escrow", async function () {
      const f = await loadFixture(deployAgreementFixture);
      const { escrow, payer } = f;
      const hook = await ethers.deployContract("ReentrantERC20Mock");
      await escrow.setTokenAllowed(hook, true);
      await hook.mint(payer, 10n ** 12n);
      await hook.connect(payer).approve(escrow, ethers.MaxUint256);
      // The supplier is a contract wallet: while the token pays it, the token makes the wallet withdraw again.
      const wallet = await ethers.deployContract("EtherRejectingPartyMock");
      const walletAddress = await wallet.getAddress();
      const i = f.input({
        token: await hook.getAddress(),
        parties: [payer.address, walletAddress],
        retentionBps: 0,
        milestones: [{ ...f.input().milestones[0], approvers: 0b01 }],
      });
      const id = agreementIdOf(i, ZeroHash);
      const key = keyOf(i);
      const asWallet = (data: string) => wallet.execute(escrow, data);
      await escrow.connect(payer).create(i, ZeroHash, []);
      await asWallet(escrow.interface.encodeFunctionData("sign", [id, key, []]));
      await fundAgreement(escrow.connect(payer), id, 100_000_00n, key);
      await asWallet(escrow.interface.encodeFunctionData("submit", [id, key, 0, ZeroHash]));
      await escrow.connect(payer).approve(id, key, 0);
      const withdraw = escrow.interface.encodeFunctionData("withdraw", [i.token, walletAddress]);
      await hook.arm(wallet, wallet.interface.encodeFunctionData("execute", [await escrow.getAddress(), withdraw]));
      await asWallet(withdraw);
      // the re-entry found the ledger already emptied: paid once, nothing left behind
      expect(await hook.reentered()).to.equal(false);
      const refused = escrow.interface.parseError(await hook.reentryResult());
      expect([refused?.name, ...(refused?.args ?? [])]).to.deep.equal([
        "AgreementEscrowNothingToWithdraw",
        walletAddress,
        i.token,
      ]);
      expect(await hook.balanceOf(wallet)).to.equal(100_000_00n);
      expect(await hook.balanceOf(escrow)).to.equal(0n);
      // and a re-entry into fund during funding is refused by the guard
      const j = f.input({ token: await hook.getAddress(), termsHash: ethers.id("hook 2") });
      const { id: jid } = await signedAgreement(f, j);
      await hook.arm(escrow, escrow.interface.encodeFunctionData("fund", [jid, keyOf(j), 1n]));
      await escrow.connect(payer).fund(jid, keyOf(j), 1_000n);
      expect(await hook.reentered()).to.equal(false);
      const reason = await hook.reentryResult();
      expect(escrow.interface.parseError(reason)?.name).to.equal("ReentrancyGuardReentrantCall");
      expect((await escrow.agreementOf(jid)).funded).to.equal(1_000n);
    });

    it("a recipient that refuses ether blocks nobody else, and can withdraw elsewhere", async function () {
      const f = await loadFixture(deployAgreementFixture);
      const { escrow, payer, outsider } = f;
      const wallet = await ethers.deployContract("EtherRejectingPartyMock");
      const ms = f.input().milestones;
      const i = f.input({
        token: NATIVE,
        parties: [payer.address, await wallet.getAddress()],
        retentionBps: 0,
        milestones: [
          { ...ms[0], amount: ethers.parseEther("1"), approvers: 0b01 },
          { ...ms[1], amount: ethers.parseEther("2"), approvers: 0b01, threshold: 1 },
        ],
      });
      const id = agreementIdOf(i, ZeroHash);
      const key = keyOf(i);
      await escrow.connect(payer).create(i, ZeroHash, []);
      const call = (data: string) => wallet.execute(escrow, data);
      await call(escrow.interface.encodeFunctionData("sign", [id, key, []]));
      await escrow.connect(payer).fund(id, key, ethers.parseEther("3"), { value: ethers.parseEther("3") });
      await call(escrow.interface.encodeFunctionData("submit", [id, key, 0, ZeroHash]));
      await escrow.connect(payer).approve(id, key, 0);
      await escrow.connect(payer).dispute(id, key, 1, "");
      await escrow.connect(f.arbiter).rule(id, key, 1, ethers.parseEther("1"));
      // the wallet's own withdrawal fails, the payer's goes through
      await expect(call(escrow.interface.encodeFunctionData("withdraw", [NATIVE, await wallet.getAddress()])))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowTransferFailed")
        .withArgs(await wallet.getAddress(), ethers.parseEther("2"));
      await expect(escrow.connect(payer).withdraw(NATIVE, payer)).to.changeEtherBalance(payer, ethers.parseEther("1"));
      await expect(
        call(escrow.interface.encodeFunctionData("withdraw", [NATIVE, outsider.address])),
      ).to.changeEtherBalance(outsider, ethers.parseEther("2"));
    });

    it("ether forced into the contract changes no account", async function () {
      const { escrow, funded, supplier, payer } = await loadFixture(deployAgreementFixture);
      const before = await escrow.agreementOf(funded.id);
      await ethers.provider.send("hardhat_setBalance", [await escrow.getAddress(), "0xde0b6b3a7640000"]);
      const after = await escrow.agreementOf(funded.id);
      expect(after.held).to.equal(before.held);
      expect(await escrow.balanceOf(supplier, NATIVE)).to.equal(0n);
      await expect(escrow.connect(payer).withdraw(NATIVE, payer))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowNothingToWithdraw")
        .withArgs(payer.address, NATIVE);
    });
  });

  describe("governance", function () {
    it("lets only ADMIN allow tokens; pausing stops everything but withdrawals", async function () {
      const { escrow, token, outsider, pauser, payer, supplier, funded, input } =
        await loadFixture(deployAgreementFixture);
      const { id, key } = funded;
      await expect(escrow.connect(outsider).setTokenAllowed(token, false))
        .to.be.revertedWithCustomError(escrow, "AccessManagedUnauthorized")
        .withArgs(outsider.address);
      await expect(escrow.setTokenAllowed(ZeroAddress, true))
        .to.be.revertedWithCustomError(escrow, "AgreementEscrowTokenNotAllowed")
        .withArgs(ZeroAddress);
      await expect(escrow.setTokenAllowed(token, false))
        .to.emit(escrow, "TokenAllowed")
        .withArgs(await token.getAddress(), false);
      expect(await escrow.isTokenAllowed(token)).to.equal(false);
      await escrow.connect(supplier).submit(id, key, 0, ZeroHash);
      await escrow.connect(payer).approve(id, key, 0);
      await escrow.connect(pauser).pause();
      const calls = [
        () => escrow.create(input({ termsHash: ethers.id("paused") }), ZeroHash, []),
        () => escrow.sign(id, key, []),
        () => escrow.cancel(id, key),
        () => escrow.fund(id, key, 1n),
        () => escrow.amend(id, key, 0, 1n, 0n, []),
        () => escrow.close(id, key),
        () => escrow.releaseRetention(id, key),
        () => escrow.submit(id, key, 1, ZeroHash),
        () => escrow.approve(id, key, 1),
        () => escrow.reclaim(id, key, 1),
        () => escrow.dispute(id, key, 1, ""),
        () => escrow.rule(id, key, 1, 0n),
        () => escrow.settle(id, key, 1, 0n, 0n, "0x", "0x"),
      ];
      for (const call of calls) await expect(call()).to.be.revertedWithCustomError(escrow, "EnforcedPause");
      await expect(escrow.connect(supplier).withdraw(token, supplier)).to.emit(escrow, "Withdrawn");
      expect(await escrow.version()).to.equal("1.0.0");
    });
  });
});
