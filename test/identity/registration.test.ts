import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployPlatform } from "../../src/platform";
import { saveDeployedAddresses } from "../../src/deployments";
import { parseRegistrationFile } from "../../src/identity/registration";
import { idCommitment, randomSalt } from "../../src/identity/commitment";
import { SubjectType } from "../../src/identity/constants";
import { runTask } from "../tasks";
import localParameters from "../../ignition/parameters/local.json";

async function deployRegistrationFixture() {
  const [admin, registrar, , , , , , , , , alice] = await ethers.getSigners();
  const platform = await deployPlatform(hre, localParameters);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-reg-"));
  const deployment = path.join(dir, "deployed_addresses.json");
  saveDeployedAddresses(deployment, platform.addresses);
  return { registry: platform.didRegistry, admin, registrar, alice, dir, deployment };
}

function writeFile(dir: string, name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

function randomAddresses(n: number): string[] {
  return Array.from({ length: n }, () => ethers.Wallet.createRandom().address);
}

describe("DID batch registration", function () {
  describe("parseRegistrationFile", function () {
    it("reports every bad line with its number and field, and keeps the good ones", async function () {
      const { dir } = await loadFixture(deployRegistrationFixture);
      const [a, b, c] = randomAddresses(3);
      const file = writeFile(dir, "mixed.csv", [
        "did,subjectType,controller,idScheme,idNumber,salt",
        `${a},citizen,,national-id,110101199001011234,`,
        `0x123,citizen,,national-id,1,`,
        `${b},alien,,national-id,2,`,
        `${c},citizen,nope,national-id,3,0x12`,
        `${a},citizen,,national-id,4,`,
        `${b},organization,,,,`,
        `${c},agency`,
      ]);
      const parsed = await parseRegistrationFile(file);
      expect(parsed.registrations.map((r) => r.line)).to.deep.equal([2]);
      expect(parsed.errors.map((e) => [e.line, e.field])).to.deep.equal([
        [3, "did"],
        [4, "subjectType"],
        [5, "controller"],
        [5, "salt"],
        [6, "did"],
        [7, "idCommitment"],
        [7, "did"],
        [8, "(line)"],
      ]);
      expect(parsed.errors[4].message).to.include("already on line 2");
      expect(parsed.generatedSalts).to.have.length(1);
      const { did, salt } = parsed.generatedSalts[0];
      expect(did).to.equal(a);
      expect(parsed.registrations[0].idCommitment).to.equal(idCommitment("national-id", "110101199001011234", salt));
    });

    it("reads JSONL and precomputed commitments, and names a line that is not JSON", async function () {
      const { dir } = await loadFixture(deployRegistrationFixture);
      const [a, b] = randomAddresses(2);
      const commitment = idCommitment("uscc", "91440300MA5F", randomSalt());
      const file = writeFile(dir, "orgs.jsonl", [
        JSON.stringify({ did: a, subjectType: "organization", idCommitment: commitment }),
        "{not json",
        JSON.stringify({ did: `did:govchain:31337:${b}`, subjectType: "agency", idCommitment: "0x1234" }),
      ]);
      const parsed = await parseRegistrationFile(file);
      expect(parsed.registrations).to.have.length(1);
      expect(parsed.registrations[0]).to.include({
        did: a,
        subjectType: SubjectType.Organization,
        idCommitment: commitment,
      });
      expect(parsed.errors.map((e) => [e.line, e.field])).to.deep.equal([
        [2, "(line)"],
        [3, "idCommitment"],
      ]);
    });
  });

  describe("did:batch-register", function () {
    it("refuses a file with bad lines before sending anything", async function () {
      const { registry, dir, deployment } = await loadFixture(deployRegistrationFixture);
      const [a] = randomAddresses(1);
      const file = writeFile(dir, "bad.csv", [
        "did,subjectType,idScheme,idNumber",
        `${a},citizen,national-id,1`,
        "0xdead,citizen,national-id,2",
      ]);
      await expect(hre.run("did:batch-register", { file, deployment, signer: "1" })).to.be.rejectedWith(
        /1 bad line\(s\)[\s\S]*bad\.csv:3 field "did"/,
      );
      expect((await registry.didRecord(a)).subjectType).to.equal(SubjectType.None);
    });

    it("registers every record once, writes the generated salts, and skips what is already registered on a rerun", async function () {
      const { registry, dir, deployment, registrar } = await loadFixture(deployRegistrationFixture);
      const dids = randomAddresses(250);
      const file = writeFile(dir, "citizens.csv", [
        "did,subjectType,idScheme,idNumber",
        ...dids.map((d, i) => `${d},citizen,national-id,${110000 + i}`),
      ]);
      await hre.run("did:batch-register", { file, deployment, signer: "1", chunk: 100 });
      for (const d of dids) expect(await registry.isActiveSubject(d, SubjectType.Citizen)).to.equal(true);
      const salts = fs.readFileSync(`${file}.salts.csv`, "utf8").trim().split("\n").slice(1);
      expect(salts).to.have.length(250);
      const [did, scheme, salt] = salts[7].split(",");
      const events = await registry.queryFilter(registry.filters.DIDRegistered(did));
      expect(events[0].args.idCommitment).to.equal(idCommitment(scheme, "110007", salt));
      const batches = await registry.queryFilter(registry.filters.DIDsRegistered(registrar.address));
      expect(batches.map((e) => e.args.count)).to.deep.equal([100n, 100n, 50n]);

      // Rerun with precomputed commitments: nothing is registered twice.
      const again = writeFile(dir, "again.csv", [
        "did,subjectType,idCommitment",
        ...dids.map((d) => `${d},citizen,${idCommitment("national-id", d, randomSalt())}`),
      ]);
      await hre.run("did:batch-register", { file: again, deployment, signer: "1" });
      expect(await registry.queryFilter(registry.filters.DIDsRegistered(registrar.address))).to.have.length(3);
    });

    it("is refused for an account without REGISTRAR", async function () {
      const { registry, dir, deployment, alice } = await loadFixture(deployRegistrationFixture);
      const file = writeFile(dir, "one.csv", [
        "did,subjectType,idCommitment",
        `${alice.address},citizen,${ethers.id("x")}`,
      ]);
      await expect(hre.run("did:batch-register", { file, deployment, signer: "10" }))
        .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
        .withArgs(alice.address);
    });
  });

  describe("did:register, did:resolve and did:deactivate", function () {
    it("registers one DID, resolves it and deactivates it on the registrar's authority", async function () {
      const { registry, deployment, alice } = await loadFixture(deployRegistrationFixture);
      await hre.run("did:register", {
        deployment,
        signer: "1",
        did: alice.address,
        type: "citizen",
        idScheme: "national-id",
        idNumber: "110101199001011234",
      });
      expect(await registry.isActiveSubject(alice, SubjectType.Citizen)).to.equal(true);
      await hre.run("did:deactivate", {
        deployment,
        signer: "1",
        did: alice.address,
        reason: "death certificate",
        registrar: true,
      });
      expect(await registry.isActive(alice)).to.equal(false);
      const printed = await runTask("did:resolve", { deployment, did: alice.address });
      expect(JSON.parse(printed).didDocumentMetadata.deactivated).to.equal(true);
    });
  });
});
