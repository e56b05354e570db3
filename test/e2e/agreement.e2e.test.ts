import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployPlatform } from "../../src/platform";
import { runAgreementScenario } from "../../src/agreement/scenario";
import localParameters from "../../ignition/parameters/local.json";

async function deployAgreementE2eFixture() {
  return deployPlatform(hre, localParameters);
}

describe("e2e: agreements", function () {
  it("runs a procurement contract to completion with one disputed milestone; the escrow ends empty", async function () {
    const platform = await loadFixture(deployAgreementE2eFixture);
    const result = await runAgreementScenario(hre, platform, { warrantySeconds: 1 });
    expect(result.createGas < 250_000n).to.equal(true);
    expect(result.report.state).to.equal("Completed");
    expect(result.report.milestones.map((m) => m.status)).to.deep.equal(["Released", "Resolved", "Released"]);
    expect(result.supplierReceived).to.equal(300_000_00n); // 100,000 + 150,000 (ruling) + 50,000, retention included
    expect(result.payerRefunded).to.equal(50_000_00n);
    expect(result.report.held).to.equal(0n);
    expect(result.report.balances.every((b) => b.withdrawable === 0n)).to.equal(true);
  });
});
