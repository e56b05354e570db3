import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployPlatform } from "../../src/platform";
import { saveDeployedAddresses } from "../../src/deployments";
import { runTask, runTaskWithCode } from "../tasks";
import localParameters from "../../ignition/parameters/local.json";

async function deployDisclosureTasksFixture() {
  const platform = await deployPlatform(hre, localParameters);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-disclosure-tasks-"));
  const deployment = path.join(dir, "deployed_addresses.json");
  saveDeployedAddresses(deployment, platform.addresses);
  const published = path.join(dir, "procurement");
  fs.mkdirSync(path.join(published, "lot-2"), { recursive: true });
  fs.writeFileSync(path.join(published, "award.txt"), "Tender 2026-114 awarded to supplier 17 for 1,250,000.\n");
  fs.writeFileSync(path.join(published, "lot-2", "minutes.txt"), "Evaluation minutes, lot 2.\n");
  return { registry: platform.disclosureRegistry, deployment, dir, published };
}

function runVerdict(args: Record<string, unknown>) {
  return runTaskWithCode("disclosure:verify", args);
}

describe("disclosure tasks", function () {
  it("anchor a folder with receipts, verify a file and a tampered copy, list, retract", async function () {
    const { registry, deployment, dir, published } = await loadFixture(deployDisclosureTasksFixture);
    const out = await runTask("disclosure:anchor", {
      deployment,
      signer: "4",
      dir: published,
      category: "procurement",
      uri: "https://finance.example.gov/tenders/2026-114/",
      reference: "Tender 2026-114",
      algorithm: "sm3",
    });
    const root = /as root (0x[0-9a-f]{64})/.exec(out)![1];
    const receipt = path.join(`${published}.receipts`, "lot-2", "minutes.txt.receipt.json");
    expect(JSON.parse(fs.readFileSync(receipt, "utf8"))).to.include({
      root,
      hashAlgorithm: "Sm3",
      file: path.join("lot-2", "minutes.txt"),
    });

    const ok = await runVerdict({ deployment, file: path.join(published, "lot-2", "minutes.txt"), receipt });
    expect(ok.code).to.equal(0);
    expect(ok.output).to.match(/PUBLISHED \(Active\)\n {2}published by did:govchain:31337:0x15d34AAf/);

    const forged = path.join(dir, "minutes.txt");
    fs.writeFileSync(forged, "Evaluation minutes, lot 2 (edited).\n");
    const bad = await runVerdict({ deployment, file: forged, receipt });
    expect(bad.code).to.equal(1);
    expect(bad.output).to.match(/NOT VALID \(InvalidProof\)/);

    const listed = await runTask("disclosure:list", { deployment, category: "procurement", page: 1, pageSize: 20 });
    expect(listed).to.include(root).and.to.include("Tender 2026-114");

    await runTask("disclosure:retract", {
      deployment,
      signer: "4",
      root,
      reasonCode: 2,
      reason: "award annulled by court",
    });
    const retracted = await runVerdict({
      deployment,
      file: path.join(published, "award.txt"),
      receipt: path.join(`${published}.receipts`, "award.txt.receipt.json"),
    });
    expect(retracted.code).to.equal(1);
    expect(retracted.output).to.match(/NOT VALID \(Retracted\)[\s\S]*reason code 2/);
    expect((await registry.recordOf(root)).retractionReason).to.equal(2);
  });

  it("verifies a document anchored on its own without a receipt, and reports an unknown file", async function () {
    const { deployment, dir } = await loadFixture(deployDisclosureTasksFixture);
    const single = path.join(dir, "single");
    fs.mkdirSync(single);
    fs.writeFileSync(path.join(single, "notice.txt"), "Public hearing on 2027-02-01.\n");
    await runTask("disclosure:anchor", {
      deployment,
      signer: "4",
      dir: single,
      category: "notice",
      uri: "https://x.example.gov/",
      reference: "",
      algorithm: "keccak256",
    });
    expect((await runVerdict({ deployment, file: path.join(single, "notice.txt") })).code).to.equal(0);
    fs.writeFileSync(path.join(dir, "unknown.txt"), "never published\n");
    const unknown = await runVerdict({ deployment, file: path.join(dir, "unknown.txt") });
    expect(unknown.code).to.equal(1);
    expect(unknown.output).to.match(/NOT VALID \(NotAnchored\)\n {2}No agency anchored this file/);
  });
});
