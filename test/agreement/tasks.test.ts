import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { saveDeployedAddresses } from "../../src/deployments";
import { AgreementState, MilestoneStatus } from "../../src/agreement/model";
import { runTask } from "../tasks";
import { setupAgreementPlatform } from "./helpers";

async function deployAgreementTasksFixture() {
  const f = await setupAgreementPlatform();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-agreement-tasks-"));
  const deployment = path.join(dir, "deployed_addresses.json");
  saveDeployedAddresses(deployment, f.addresses);
  fs.writeFileSync(path.join(dir, "contract.txt"), "Road maintenance, lot 3: terms and conditions.\n");
  fs.writeFileSync(path.join(dir, "survey.pdf"), "survey report v1\n");
  const agreement = {
    payer: f.payer.address,
    supplier: f.supplier.address,
    signers: [f.supervisor.address],
    arbiters: [f.arbiter.address],
    token: await f.token.getAddress(),
    retention: "5%",
    warrantyDays: 90,
    terms: "contract.txt",
    termsURI: "https://procurement.example.gov/contracts/2026-114",
    milestones: [
      { amount: "100000.00", due: "2030-03-01", approvers: ["payer"] },
      { amount: "200000.00", due: "2030-06-01", approvers: ["payer", f.supervisor.address], threshold: 2 },
      { amount: "50000.00", due: "2030-09-01", approvers: ["payer"] },
    ],
  };
  const file = path.join(dir, "agreement.json");
  fs.writeFileSync(file, JSON.stringify(agreement, null, 2));
  return { ...f, dir, deployment, file, agreement };
}

describe("agreement tasks", function () {
  it("create, sign (offline and on chain), fund, submit, approve, dispute, rule, settle, show, close, withdraw", async function () {
    const { escrow, token, deployment, file, dir, supplier } = await loadFixture(deployAgreementTasksFixture);
    const created = await runTask("agreement:create", { deployment, signer: "10", file });
    expect(created).to.contain("Draft");
    const id = /Agreement ([0-9]+) created/.exec(created)![1];
    const supplierSig = (await runTask("agreement:sign", { deployment, signer: "11", id, offline: true })).trim();
    await runTask("agreement:sign", { deployment, signer: "12", id, offline: false });
    await runTask("agreement:sign", { deployment, signer: "10", id, offline: false, signatures: `,${supplierSig},` });
    expect((await escrow.agreementOf(id)).state).to.equal(AgreementState.Signed);
    await runTask("agreement:fund", { deployment, signer: "10", id, amount: "350000.00" });
    expect((await escrow.agreementOf(id)).state).to.equal(AgreementState.Funded);

    const deliverable = path.join(dir, "survey.pdf");
    await runTask("agreement:submit", { deployment, signer: "11", id, milestone: 0, deliverable });
    await runTask("agreement:approve", { deployment, signer: "10", id, milestone: 0 });
    expect((await escrow.milestoneOf(id, 0)).status).to.equal(MilestoneStatus.Released);

    await runTask("agreement:dispute", { deployment, signer: "10", id, milestone: 1, evidence: "ipfs://defects" });
    await runTask("agreement:rule", { deployment, signer: "6", id, milestone: 1, toSupplier: "150000.00" });
    expect((await escrow.milestoneOf(id, 1)).status).to.equal(MilestoneStatus.Resolved);

    const deadline = String((await time.latest()) + 86_400);
    const settle = { deployment, id, milestone: 2, toSupplier: "45000.00", deadline };
    const payerSignature = (await runTask("agreement:settle", { ...settle, signer: "10" })).trim();
    const supplierSignature = (await runTask("agreement:settle", { ...settle, signer: "11" })).trim();
    await runTask("agreement:settle", { ...settle, signer: "15", payerSignature, supplierSignature });
    expect((await escrow.milestoneOf(id, 2)).status).to.equal(MilestoneStatus.Resolved);

    const shown = await runTask("agreement:show", { deployment, id });
    expect(shown).to.contain("Funded");
    expect(shown).to.contain("milestone 1: 200000.0 due 2030-06-01 Resolved");
    expect(shown).to.contain(`${supplier.address} may withdraw`);
    await runTask("agreement:close", { deployment, id, retention: false });
    expect((await escrow.agreementOf(id)).state).to.equal(AgreementState.Closed);
    await expect(runTask("agreement:close", { deployment, id, retention: true })).to.be.rejectedWith(
      "AgreementEscrowWarrantyRunning",
    );
    const before = await token.balanceOf(supplier);
    const out = await runTask("agreement:withdraw", { deployment, signer: "11", token: await token.getAddress() });
    expect(out).to.contain("Withdrew 280250.0"); // 95,000 + 142,500 + 42,750 after 5% retention
    expect((await token.balanceOf(supplier)) - before).to.equal(280_250_00n);
  });

  it("reports every problem of an agreement file with its field, and cancels a draft", async function () {
    const { escrow, deployment, dir, file, agreement } = await loadFixture(deployAgreementTasksFixture);
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(
      bad,
      JSON.stringify({
        ...agreement,
        supplier: "nobody",
        retention: "80%",
        milestones: [{ amount: "1.001", due: "someday", approvers: ["mayor"] }],
      }),
    );
    const error = await runTask("agreement:create", { deployment, signer: "10", file: bad }).catch(
      (e: Error) => e.message,
    );
    expect(error).to.contain("nothing was sent");
    for (const field of [
      "supplier:",
      "retention:",
      "milestones[0].amount:",
      "milestones[0].due:",
      "milestones[0].approvers[0]:",
    ]) {
      expect(error).to.contain(field);
    }
    const created = await runTask("agreement:create", { deployment, signer: "10", file });
    const id = /Agreement ([0-9]+) created/.exec(created)![1];
    await runTask("agreement:cancel", { deployment, signer: "11", id });
    expect((await escrow.agreementOf(id)).state).to.equal(AgreementState.Cancelled);
  });
});
