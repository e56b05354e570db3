import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployPlatform } from "../../src/platform";
import { runBatch } from "../../src/batch/engine";
import { didRegistrationJob, type RegistrationInput } from "../../src/identity/registration";
import { idCommitment, randomSalt } from "../../src/identity/commitment";
import { SubjectType } from "../../src/identity/constants";
import localParameters from "../../ignition/parameters/local.json";

async function deployBatchFixture() {
  const [, registrar] = await ethers.getSigners();
  const { didRegistry } = await deployPlatform(hre, localParameters);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-batch-"));
  const inputs: RegistrationInput[] = Array.from({ length: 120 }, () => {
    const did = ethers.Wallet.createRandom().address;
    return { did, subjectType: SubjectType.Citizen, idCommitment: idCommitment("national-id", did, randomSalt()) };
  });
  return { registry: didRegistry.connect(registrar), registrar, dir, inputs };
}

async function registeredOnce(
  registry: Awaited<ReturnType<typeof deployBatchFixture>>["registry"],
  inputs: RegistrationInput[],
) {
  const events = await registry.queryFilter(registry.filters.DIDRegistered());
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.args.did, (counts.get(e.args.did) ?? 0) + 1);
  return inputs.every((i) => counts.get(i.did) === 1);
}

describe("batch engine", function () {
  it("sends chunks with pipelined nonces and journals every transaction", async function () {
    const { registry, registrar, dir, inputs } = await loadFixture(deployBatchFixture);
    const journal = path.join(dir, "job.jsonl");
    const summary = await runBatch(didRegistrationJob(registry, inputs), {
      signer: registrar,
      journal,
      chunkSize: 25,
      maxInFlight: 3,
    });
    expect(summary).to.deep.include({ records: 120, alreadyRecorded: 0, transactions: 5, failures: [] });
    const lines = fs
      .readFileSync(journal, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).to.include({ type: "job", name: "did:batch-register", total: 120 });
    expect(lines.filter((l) => l.type === "sent").map((l) => l.nonce)).to.deep.equal(
      Array.from({ length: 5 }, (_, i) => lines.find((l) => l.type === "sent").nonce + i),
    );
    expect(lines.filter((l) => l.type === "mined" && l.ok)).to.have.length(5);
    expect(await registeredOnce(registry, inputs)).to.equal(true);
  });

  it("resumes after a crash exactly where it stopped: no duplicate, no gap", async function () {
    const { registry, registrar, dir, inputs } = await loadFixture(deployBatchFixture);
    const journal = path.join(dir, "crash.jsonl");
    const job = didRegistrationJob(registry, inputs);
    let built = 0;
    const crashing = {
      ...job,
      buildTx: async (chunk: RegistrationInput[]) => {
        if (++built === 3) throw new Error("process killed"); // dies while preparing its third transaction
        return job.buildTx(chunk);
      },
    };
    await expect(runBatch(crashing, { signer: registrar, journal, chunkSize: 20 })).to.be.rejectedWith(
      "process killed",
    );
    const halfway = (await registry.queryFilter(registry.filters.DIDRegistered())).length;
    expect(halfway).to.equal(40);

    await expect(runBatch(job, { signer: registrar, journal, chunkSize: 20 })).to.be.rejectedWith(
      /exists: resume with --resume/,
    );
    const summary = await runBatch(job, { signer: registrar, journal, chunkSize: 20, resume: true });
    expect(summary.alreadyRecorded).to.equal(40);
    expect(summary.records).to.equal(80);
    expect(await registeredOnce(registry, inputs)).to.equal(true);
  });

  it("reconciles a transaction the journal saw sent but not mined", async function () {
    const { registry, registrar, dir, inputs } = await loadFixture(deployBatchFixture);
    const journal = path.join(dir, "unmined.jsonl");
    const job = didRegistrationJob(registry, inputs.slice(0, 40));
    await runBatch(job, { signer: registrar, journal, chunkSize: 20 });
    // As if the process died between sending and journaling the receipt: drop the "mined" lines.
    const kept = fs
      .readFileSync(journal, "utf8")
      .trim()
      .split("\n")
      .filter((l) => JSON.parse(l).type !== "mined");
    fs.writeFileSync(journal, kept.join("\n") + "\n");
    const summary = await runBatch(job, { signer: registrar, journal, resume: true });
    expect(summary).to.deep.include({ alreadyRecorded: 40, records: 0, transactions: 0 });
  });

  it("refuses to resume a journal of another input, or one that does not exist", async function () {
    const { registry, registrar, dir, inputs } = await loadFixture(deployBatchFixture);
    const journal = path.join(dir, "other.jsonl");
    await runBatch(didRegistrationJob(registry, inputs.slice(0, 10)), { signer: registrar, journal });
    await expect(
      runBatch(didRegistrationJob(registry, inputs.slice(0, 11)), { signer: registrar, journal, resume: true }),
    ).to.be.rejectedWith(/belongs to another job or input file/);
    await expect(
      runBatch(didRegistrationJob(registry, inputs), {
        signer: registrar,
        journal: path.join(dir, "none.jsonl"),
        resume: true,
      }),
    ).to.be.rejectedWith(/No journal .* to resume/);
  });

  it("reports a reverted chunk as a failure and goes on with the others", async function () {
    const { registry, registrar, dir, inputs } = await loadFixture(deployBatchFixture);
    const job = didRegistrationJob(registry, inputs.slice(0, 30));
    // Another registrar registers one DID of the second chunk while the job runs.
    const sneaky = { ...job, isRecorded: async (records: RegistrationInput[]) => records.map(() => false) };
    await registry.registerBatch([
      { did: inputs[15].did, controller: ethers.ZeroAddress, subjectType: 1, idCommitment: ethers.ZeroHash },
    ]);
    const summary = await runBatch(sneaky, { signer: registrar, journal: path.join(dir, "fail.jsonl"), chunkSize: 10 });
    expect(summary.records).to.equal(20);
    expect(summary.failures).to.have.length(1);
    expect(summary.failures[0].keys).to.include(inputs[15].did.toLowerCase());
    expect(summary.failures[0].reason).to.match(/DIDRegistryAlreadyRegistered|reverted/);
  });
});
