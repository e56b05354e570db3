import { expect } from "chai";
import hre, { ethers, upgrades } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployPlatform } from "../../src/platform";
import { ROLES, GRANTABLE_ROLES } from "../../src/governance/roles";
import { SERVICE_BASE_PERMISSIONS, permissionRows, selectorOf } from "../../src/governance/permissions";
import { upgradeService } from "../../src/governance/upgrade";
import { SampleServiceV1, SampleServiceV1__factory, SampleServiceV2__factory } from "../../typechain-types";
import localParameters from "../../ignition/parameters/local.json";

const UPGRADE_DELAY = 86_400;
const GRANT_DELAY = 3_600;

async function deployAuthorityFixture() {
  const signers = await ethers.getSigners();
  const [admin, registrar, accreditor, issuer, publisher, taxAuthority, arbiter, pauser, upgrader, relayer, outsider] =
    signers;
  const parameters = {
    ...localParameters,
    GovPlatform: { ...localParameters.GovPlatform, upgradeDelay: UPGRADE_DELAY, grantDelay: GRANT_DELAY },
  };
  const { authority } = await deployPlatform(hre, parameters);

  // A test-only service behind a proxy, wired like every real one plus one REGISTRAR function.
  const implementation = await new SampleServiceV1__factory(admin).deploy();
  const proxy = await (
    await ethers.getContractFactory("ERC1967Proxy")
  ).deploy(
    await implementation.getAddress(),
    implementation.interface.encodeFunctionData("initialize", [await authority.getAddress()]),
  );
  const sample = SampleServiceV1__factory.connect(await proxy.getAddress(), admin) as SampleServiceV1;
  const table = { ...SERVICE_BASE_PERMISSIONS, REGISTRAR: ["setValue(uint256)"] } as const;
  for (const [role, signatures] of Object.entries(table)) {
    await authority.setTargetFunctionRole(sample, signatures.map(selectorOf), ROLES[role as keyof typeof ROLES].id);
  }
  return {
    authority,
    sample,
    implementation,
    admin,
    registrar,
    accreditor,
    issuer,
    publisher,
    taxAuthority,
    arbiter,
    pauser,
    upgrader,
    relayer,
    outsider,
  };
}

describe("GovAuthority", function () {
  describe("deployment through GovPlatform", function () {
    it("labels every role of the catalogue", async function () {
      const { authority } = await loadFixture(deployAuthorityFixture);
      const labels = await authority.queryFilter(authority.filters.RoleLabel());
      const onChain = new Map(labels.map((e) => [e.args.roleId, e.args.label]));
      for (const role of GRANTABLE_ROLES) expect(onChain.get(ROLES[role].id)).to.equal(role);
    });

    it("grants each role to the holders named in the parameters, UPGRADER with its delay", async function () {
      const { authority, registrar, accreditor, issuer, publisher, taxAuthority, arbiter, pauser, upgrader, relayer } =
        await loadFixture(deployAuthorityFixture);
      const holders = {
        REGISTRAR: registrar,
        ACCREDITOR: accreditor,
        ISSUER: issuer,
        PUBLISHER: publisher,
        TAX_AUTHORITY: taxAuthority,
        ARBITER: arbiter,
        PAUSER: pauser,
        UPGRADER: upgrader,
        RELAYER: relayer,
      };
      for (const [role, signer] of Object.entries(holders)) {
        const [isMember, delay] = await authority.hasRole(ROLES[role as keyof typeof ROLES].id, signer);
        expect(isMember, role).to.equal(true);
        expect(delay, role).to.equal(role === "UPGRADER" ? UPGRADE_DELAY : 0);
        // nobody holds a role that was not given to them
        for (const other of GRANTABLE_ROLES.filter((r) => r !== role)) {
          expect((await authority.hasRole(ROLES[other].id, signer))[0], `${role} holds ${other}`).to.equal(false);
        }
      }
    });

    it("wires every row of the permission table", async function () {
      const { authority } = await loadFixture(deployAuthorityFixture);
      const deployed = await deployPlatform(hre, localParameters); // a second, independent platform
      for (const row of permissionRows()) {
        const target = deployed.addresses[row.service];
        for (const selector of row.selectors) {
          expect(await deployed.authority.getTargetFunctionRole(target, selector)).to.equal(row.roleId);
        }
      }
      expect(await authority.minSetback()).to.equal(0);
    });

    it("leaves ADMIN with the configured admin only", async function () {
      const { authority, admin, registrar } = await loadFixture(deployAuthorityFixture);
      expect((await authority.hasRole(ROLES.ADMIN.id, admin))[0]).to.equal(true);
      expect((await authority.hasRole(ROLES.ADMIN.id, registrar))[0]).to.equal(false);
    });
  });

  describe("grantRoles", function () {
    it("grants a role to many accounts, effective after the role's grant delay", async function () {
      const { authority, outsider, relayer } = await loadFixture(deployAuthorityFixture);
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      await expect(authority.grantRoles(ROLES.REGISTRAR.id, [outsider, relayer], 0))
        .to.emit(authority, "RoleGranted")
        .withArgs(ROLES.REGISTRAR.id, outsider.address, 0, at + GRANT_DELAY, true);
      expect((await authority.hasRole(ROLES.REGISTRAR.id, outsider))[0]).to.equal(false);
      await time.increase(GRANT_DELAY);
      expect((await authority.hasRole(ROLES.REGISTRAR.id, outsider))[0]).to.equal(true);
      expect((await authority.hasRole(ROLES.REGISTRAR.id, relayer))[0]).to.equal(true);
    });

    it("refuses a caller without ADMIN", async function () {
      const { authority, registrar, outsider } = await loadFixture(deployAuthorityFixture);
      await expect(authority.connect(registrar).grantRoles(ROLES.REGISTRAR.id, [outsider], 0))
        .to.be.revertedWithCustomError(authority, "AccessManagerUnauthorizedAccount")
        .withArgs(registrar.address, ROLES.ADMIN.id);
    });

    it("refuses a zero account with its index", async function () {
      const { authority, outsider } = await loadFixture(deployAuthorityFixture);
      await expect(authority.grantRoles(ROLES.ISSUER.id, [outsider, ethers.ZeroAddress], 0))
        .to.be.revertedWithCustomError(authority, "GovAuthorityZeroAccount")
        .withArgs(1);
    });

    it("refuses ADMIN and PUBLIC", async function () {
      const { authority, outsider } = await loadFixture(deployAuthorityFixture);
      for (const role of [ROLES.ADMIN.id, ROLES.PUBLIC.id]) {
        await expect(authority.grantRoles(role, [outsider], 0))
          .to.be.revertedWithCustomError(authority, "GovAuthorityRoleNotGrantable")
          .withArgs(role);
      }
    });
  });

  describe("transferAdmin", function () {
    it("moves ADMIN to the new admin with its delay and takes it from the caller", async function () {
      const { authority, admin, outsider } = await loadFixture(deployAuthorityFixture);
      await expect(authority.transferAdmin(outsider, 600))
        .to.emit(authority, "GovAuthorityAdminTransferred")
        .withArgs(admin.address, outsider.address, 600);
      expect((await authority.hasRole(ROLES.ADMIN.id, admin))[0]).to.equal(false);
      const [isAdmin, delay] = await authority.hasRole(ROLES.ADMIN.id, outsider);
      expect(isAdmin).to.equal(true);
      expect(delay).to.equal(600);
      // the new admin must now schedule: a direct call is refused
      const data = authority.interface.encodeFunctionData("labelRole", [ROLES.ISSUER.id, "X"]);
      const operationId = await authority.hashOperation(outsider, authority, data);
      await expect(authority.connect(outsider).labelRole(ROLES.ISSUER.id, "X"))
        .to.be.revertedWithCustomError(authority, "AccessManagerNotScheduled")
        .withArgs(operationId);
    });

    it("keeps the caller when it hands ADMIN to itself", async function () {
      const { authority, admin } = await loadFixture(deployAuthorityFixture);
      await authority.transferAdmin(admin, 0);
      expect((await authority.hasRole(ROLES.ADMIN.id, admin))[0]).to.equal(true);
    });

    it("refuses the zero address and non-admins", async function () {
      const { authority, outsider } = await loadFixture(deployAuthorityFixture);
      await expect(authority.transferAdmin(ethers.ZeroAddress, 0))
        .to.be.revertedWithCustomError(authority, "GovAuthorityZeroAccount")
        .withArgs(0);
      await expect(authority.connect(outsider).transferAdmin(outsider, 0))
        .to.be.revertedWithCustomError(authority, "AccessManagerUnauthorizedAccount")
        .withArgs(outsider.address, ROLES.ADMIN.id);
    });
  });

  describe("services under the authority", function () {
    it("lets each role call what it is wired to and nothing else", async function () {
      const { sample, registrar, accreditor, issuer, publisher, taxAuthority, arbiter, pauser, upgrader, relayer } =
        await loadFixture(deployAuthorityFixture);
      await expect(sample.connect(registrar).setValue(7)).to.emit(sample, "ValueSet").withArgs(7, registrar.address);
      for (const signer of [accreditor, issuer, publisher, taxAuthority, arbiter, pauser, upgrader, relayer]) {
        await expect(sample.connect(signer).setValue(1))
          .to.be.revertedWithCustomError(sample, "AccessManagedUnauthorized")
          .withArgs(signer.address);
      }
      for (const signer of [registrar, issuer, upgrader]) {
        await expect(sample.connect(signer).pause())
          .to.be.revertedWithCustomError(sample, "AccessManagedUnauthorized")
          .withArgs(signer.address);
      }
    });

    it("lets PAUSER stop a service and only ADMIN restart it", async function () {
      const { sample, admin, pauser, registrar, outsider } = await loadFixture(deployAuthorityFixture);
      await expect(sample.connect(pauser).pause()).to.emit(sample, "Paused").withArgs(pauser.address);
      await expect(sample.connect(registrar).setValue(1)).to.be.revertedWithCustomError(sample, "EnforcedPause");
      await expect(sample.connect(outsider).poke()).to.be.revertedWithCustomError(sample, "EnforcedPause");
      await expect(sample.connect(pauser).unpause())
        .to.be.revertedWithCustomError(sample, "AccessManagedUnauthorized")
        .withArgs(pauser.address);
      await expect(sample.connect(admin).unpause()).to.emit(sample, "Unpaused").withArgs(admin.address);
      await expect(sample.connect(outsider).poke()).to.emit(sample, "ValueSet").withArgs(1, outsider.address);
    });

    it("cannot be initialized twice, nor its implementation at all", async function () {
      const { sample, implementation, authority } = await loadFixture(deployAuthorityFixture);
      await expect(sample.initialize(authority)).to.be.revertedWithCustomError(sample, "InvalidInitialization");
      await expect(implementation.initialize(authority)).to.be.revertedWithCustomError(
        implementation,
        "InvalidInitialization",
      );
    });
  });

  describe("upgrades", function () {
    it("waits for the UPGRADER's delay, then upgrades keeping state", async function () {
      const { sample, registrar, upgrader, authority } = await loadFixture(deployAuthorityFixture);
      await sample.connect(registrar).setValue(21);
      const request = {
        proxy: await sample.getAddress(),
        fromContract: "SampleServiceV1",
        toContract: "SampleServiceV2",
        upgrader,
      };

      const first = await upgradeService(hre, request);
      expect(first.status).to.equal("scheduled");
      const v2 = SampleServiceV2__factory.connect(await sample.getAddress(), registrar);
      expect(await v2.version()).to.equal("1.0.0");

      // executing before the delay is refused with the operation id
      const data = sample.interface.encodeFunctionData("upgradeToAndCall", [first.implementation, "0x"]);
      const opId = await authority.hashOperation(upgrader, sample, data);
      await expect(authority.connect(upgrader).execute(sample, data))
        .to.be.revertedWithCustomError(authority, "AccessManagerNotReady")
        .withArgs(opId);
      // and so is a direct call that skips the schedule
      await expect(sample.connect(upgrader).upgradeToAndCall(first.implementation, "0x"))
        .to.be.revertedWithCustomError(authority, "AccessManagerNotReady")
        .withArgs(opId);

      await time.increase(UPGRADE_DELAY);
      const second = await upgradeService(hre, { ...request, implementation: first.implementation });
      expect(second.status).to.equal("upgraded");
      expect(await v2.version()).to.equal("2.0.0");
      expect(await v2.value()).to.equal(21);
      expect(await v2.lastWriter()).to.equal(registrar.address);
      await v2.double();
      expect(await v2.doubled()).to.equal(42);
    });

    it("refuses an upgrade by anyone without UPGRADER", async function () {
      const { sample, registrar, admin } = await loadFixture(deployAuthorityFixture);
      const v2 = await new SampleServiceV2__factory(admin).deploy();
      for (const signer of [registrar, admin]) {
        await expect(sample.connect(signer).upgradeToAndCall(v2, "0x"))
          .to.be.revertedWithCustomError(sample, "AccessManagedUnauthorized")
          .withArgs(signer.address);
      }
    });

    it("refuses an implementation that is not UUPS", async function () {
      const { sample, upgrader, authority } = await loadFixture(deployAuthorityFixture);
      const broken = await (await ethers.getContractFactory("NotUUPSImplementation")).deploy();
      const data = sample.interface.encodeFunctionData("upgradeToAndCall", [await broken.getAddress(), "0x"]);
      await authority.connect(upgrader).schedule(sample, data, 0);
      await time.increase(UPGRADE_DELAY);
      await expect(authority.connect(upgrader).execute(sample, data))
        .to.be.revertedWithCustomError(sample, "ERC1967InvalidImplementation")
        .withArgs(await broken.getAddress());
    });

    it("refuses, before deploying anything, an implementation whose storage layout breaks the old one", async function () {
      const { sample, upgrader } = await loadFixture(deployAuthorityFixture);
      const before = await ethers.provider.getTransactionCount(upgrader);
      await expect(
        upgradeService(hre, {
          proxy: await sample.getAddress(),
          fromContract: "SampleServiceV1",
          toContract: "SampleServiceBadLayout",
          upgrader,
        }),
      ).to.be.rejectedWith(/New storage layout is incompatible/);
      expect(await ethers.provider.getTransactionCount(upgrader)).to.equal(before);
      await upgrades.validateUpgrade(
        await ethers.getContractFactory("SampleServiceV1"),
        await ethers.getContractFactory("SampleServiceV2"),
        { kind: "uups" },
      );
    });
  });
});
