import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployPlatform } from "../../src/platform";
import { saveDeployedAddresses } from "../../src/deployments";
import { credentialHash, schemaIdOf } from "../../src/identity/credentials";
import { runTask } from "../tasks";
import localParameters from "../../ignition/parameters/local.json";

async function deployCredentialTasksFixture() {
  const signers = await ethers.getSigners();
  const platform = await deployPlatform(hre, localParameters);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-cred-"));
  const deployment = path.join(dir, "deployed_addresses.json");
  saveDeployedAddresses(deployment, platform.addresses);
  const jsonSchema = path.join(dir, "licence.schema.json");
  fs.writeFileSync(jsonSchema, JSON.stringify({ type: "object", properties: { licenceNumber: { type: "string" } } }));
  const vc = path.join(dir, "licence.json");
  fs.writeFileSync(
    vc,
    JSON.stringify({ type: ["VerifiableCredential"], credentialSubject: { licenceNumber: "SZ-1" } }),
  );
  return {
    registry: platform.credentialRegistry,
    deployment,
    dir,
    jsonSchema,
    vc,
    ministry: signers[10],
    bureau: signers[11],
    company: signers[12],
  };
}

describe("credential tasks", function () {
  it("register a schema, accredit, issue with a receipt, verify, revoke", async function () {
    const { registry, deployment, dir, jsonSchema, vc, ministry, bureau, company } =
      await loadFixture(deployCredentialTasksFixture);
    await runTask("credential:register-schema", {
      deployment,
      signer: "2",
      name: "BusinessLicence",
      schemaVersion: 1,
      jsonSchema,
      uri: "",
    });
    expect((await registry.schemaOf(schemaIdOf("BusinessLicence", 1))).version).to.equal(1);
    await runTask("credential:accredit", { deployment, signer: "2", organization: ministry.address });
    await runTask("credential:accredit", {
      deployment,
      signer: "10",
      issuer: bureau.address,
      schemas: "BusinessLicence@1",
    });
    expect(await registry.isAccredited(bureau, schemaIdOf("BusinessLicence", 1))).to.equal(true);

    const receipt = path.join(dir, "receipt.json");
    await runTask("credential:issue", {
      deployment,
      signer: "11",
      schema: "BusinessLicence@1",
      subject: company.address,
      file: vc,
      validUntil: "2099-01-01",
      receipt,
    });
    const issued = JSON.parse(fs.readFileSync(receipt, "utf8"));
    expect(issued.credential.credentialHash).to.equal(credentialHash(JSON.parse(fs.readFileSync(vc, "utf8"))));
    expect(issued.credential.statusIndex).to.equal("0");
    expect(issued.credential.validUntil).to.equal(String(Date.parse("2099-01-01") / 1000));

    // the next credential of the same issuer gets the next status index
    const second = path.join(dir, "second.json");
    await runTask("credential:issue", {
      deployment,
      signer: "11",
      schema: "BusinessLicence@1",
      subject: company.address,
      hash: ethers.id("x"),
      receipt: second,
    });
    expect(JSON.parse(fs.readFileSync(second, "utf8")).credential.statusIndex).to.equal("1");

    expect(await runTask("credential:verify", { deployment, receipt })).to.match(/^VALID: Valid/);
    await runTask("credential:revoke", { deployment, signer: "11", indices: "0" });
    const previous = process.exitCode;
    try {
      expect(await runTask("credential:verify", { deployment, receipt })).to.match(/^NOT VALID: Revoked/);
      expect(process.exitCode).to.equal(1);
    } finally {
      process.exitCode = previous;
    }
  });

  it("issues a CSV of credentials in batches, handing out status indices in order", async function () {
    const { registry, deployment, dir, ministry, bureau } = await loadFixture(deployCredentialTasksFixture);
    await runTask("credential:register-schema", {
      deployment,
      signer: "2",
      name: "Permit",
      schemaVersion: 1,
      jsonSchema: path.join(dir, "licence.schema.json"),
      uri: "",
    });
    await runTask("credential:accredit", { deployment, signer: "2", organization: ministry.address });
    await runTask("credential:accredit", { deployment, signer: "10", issuer: bureau.address, schemas: "Permit@1" });
    const subjects = Array.from({ length: 30 }, () => ethers.Wallet.createRandom().address);
    const bad = path.join(dir, "bad.csv");
    fs.writeFileSync(
      bad,
      ["subject,credentialHash,validUntil", `${subjects[0]},${ethers.id("a")},`, `nope,0x12,tomorrow`].join("\n"),
    );
    await expect(
      runTask("credential:batch-issue", {
        deployment,
        signer: "11",
        schema: "Permit@1",
        file: bad,
        inFlight: 4,
        resume: false,
      }),
    ).to.be.rejectedWith(
      /3 bad line\(s\)[\s\S]*bad\.csv:3 field "subject"[\s\S]*bad\.csv:3 field "credentialHash"[\s\S]*bad\.csv:3 field "validUntil"/,
    );
    const file = path.join(dir, "permits.csv");
    const rows = subjects.map((s, i) => `${s},${ethers.id(`permit-${i}`)},,2099-01-01`);
    fs.writeFileSync(file, ["subject,credentialHash,validFrom,validUntil", ...rows].join("\n") + "\n");
    const printed = await runTask("credential:batch-issue", {
      deployment,
      signer: "11",
      schema: "Permit@1",
      file,
      chunk: 8,
      inFlight: 4,
      resume: false,
    });
    expect(printed).to.match(/30 credentials recorded, 0 already on chain; 4 transactions/);
    const until = BigInt(Date.parse("2099-01-01") / 1000);
    for (const [i, subject] of subjects.entries()) {
      const c = {
        credentialHash: ethers.id(`permit-${i}`),
        subject,
        schemaId: schemaIdOf("Permit", 1),
        validFrom: 0,
        validUntil: until,
        statusIndex: i,
      };
      expect(await registry.verify(bureau, c)).to.equal(0);
    }
  });

  it("names the bad argument", async function () {
    const { deployment } = await loadFixture(deployCredentialTasksFixture);
    await expect(runTask("credential:revoke", { deployment, signer: "11", indices: "1,x" })).to.be.rejectedWith(
      /--indices: item 2 "x" is not a status index/,
    );
    await expect(
      runTask("credential:issue", {
        deployment,
        signer: "11",
        schema: "Licence",
        subject: ethers.ZeroAddress,
        hash: ethers.id("x"),
      }),
    ).to.be.rejectedWith(/--schema: give Name@version/);
    await expect(
      runTask("credential:issue", {
        deployment,
        signer: "11",
        schema: "L@1",
        subject: ethers.ZeroAddress,
        hash: ethers.id("x"),
        validUntil: "soon",
      }),
    ).to.be.rejectedWith(/--valid-until: "soon" is neither a date nor unix seconds/);
  });
});
