import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ROLES, RoleName } from "../../src/governance/roles";

async function deployRolesHarnessFixture() {
  const harness = await (await ethers.getContractFactory("GovRolesHarness")).deploy();
  return { harness };
}

describe("GovRoles", function () {
  it("the TypeScript catalogue mirrors the Solidity one, id for id", async function () {
    const { harness } = await loadFixture(deployRolesHarnessFixture);
    const order: RoleName[] = [
      "ADMIN",
      "REGISTRAR",
      "ACCREDITOR",
      "ISSUER",
      "PUBLISHER",
      "TAX_AUTHORITY",
      "ARBITER",
      "PAUSER",
      "UPGRADER",
      "RELAYER",
      "PUBLIC",
    ];
    const ids = await harness.roles();
    expect(ids.map((id) => id)).to.deep.equal(order.map((r) => ROLES[r].id));
    expect(Object.keys(ROLES)).to.have.members(order);
    expect(new Set(ids).size).to.equal(ids.length);
  });
});
