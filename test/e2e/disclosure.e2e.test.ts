import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployPlatform } from "../../src/platform";
import { runDisclosureScenario } from "../../src/scenario";
import localParameters from "../../ignition/parameters/local.json";

async function deployDisclosureE2eFixture() {
  return deployPlatform(hre, localParameters);
}

describe("e2e: disclosure", function () {
  it("anchors a 10,000-file folder in one transaction; a sample verifies, a tampered copy fails", async function () {
    const platform = await loadFixture(deployDisclosureE2eFixture);
    const result = await runDisclosureScenario(hre, platform, { files: 10_000 });
    expect(result.files).to.equal(10_000);
    expect(result.sample.map((s) => s.status)).to.deep.equal(["Active", "Active", "Active"]);
    expect(result.tampered).to.equal("InvalidProof");
    expect(result.singleDocument).to.equal("Active");
    expect(result.anchorGas < 100_000n).to.equal(true); // one root, whatever the folder size
    expect(result.verdictText).to.match(/PUBLISHED \(Active\)[\s\S]*published by did:govchain:31337:0x/);
  });
});
