import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployPlatform } from "../../src/platform";
import { runInvoiceScenario } from "../../src/invoice/scenario";
import localParameters from "../../ignition/parameters/local.json";

async function deployInvoiceE2eFixture() {
  return deployPlatform(hre, localParameters);
}

describe("e2e: invoices", function () {
  it("batch-issues 1,000 invoices; accepted by signature, paid, factored, reimbursed exactly once, credited", async function () {
    const platform = await loadFixture(deployInvoiceE2eFixture);
    const signers = await hre.ethers.getSigners();
    const result = await runInvoiceScenario(hre, platform, { invoices: 1000 });
    expect(result.issued).to.equal(1000);
    expect(result.issueGasPerInvoice < 90_000n).to.equal(true);
    expect(result.statuses).to.deep.equal({ A: "Reimbursed", B: "Paid", C: "Paid", D: "Accepted" });
    expect(result.financierReceived).to.equal(1130_00n);
    expect(result.secondReimbursement.error).to.equal("InvoiceRegistryAlreadyReimbursed");
    expect(result.secondReimbursement.reimburser).to.equal(signers[18].address);
    expect(result.report.invoices).to.equal(1000);
    expect(result.report.taxIssued).to.equal(1000n * 130_00n);
    expect(result.report.taxDue).to.equal(1000n * 130_00n - 26_00n);
    expect(result.disclosedFieldVerifies).to.equal(true);
  });
});
