import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployPlatform } from "../../src/platform";
import { runIdentityScenario } from "../../src/scenario";
import { SubjectType } from "../../src/identity/constants";
import localParameters from "../../ignition/parameters/local.json";

async function deployE2eFixture() {
  return deployPlatform(hre, localParameters);
}

describe("e2e: identity", function () {
  it("registers 1,000 citizens from CSV; an accredited bureau issues licences another agency verifies; a revoked one fails", async function () {
    const platform = await loadFixture(deployE2eFixture);
    const result = await runIdentityScenario(hre, platform, { citizens: 1000 });
    expect(result.citizensRegistered).to.equal(1003); // 1,000 citizens and 3 companies
    expect(result.verifiedByOtherAgency).to.deep.equal(["Valid", "Valid", "Valid"]);
    expect(result.revokedLicenceStatus).to.equal("Revoked");
    const [, second] = result.licences;
    expect(await platform.didRegistry.isActiveSubject(second.company, SubjectType.Organization)).to.equal(true);
    expect(result.companyDidDocumentMethods).to.equal(1);
    const registered = await platform.didRegistry.queryFilter(platform.didRegistry.filters.DIDRegistered());
    expect(new Set(registered.map((e) => e.args.did)).size).to.equal(1003);
  });
});
