import path from "node:path";
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { JsonRpcProvider, Wallet } from "ethers";
import { deployPlatform, type Platform } from "../src/platform";
import { runDisclosureScenario, runIdentityScenario } from "../src/scenario";
import { runInvoiceScenario } from "../src/invoice/scenario";
import { runAgreementScenario } from "../src/agreement/scenario";
import { registerDids } from "../src/identity/registration";
import { idCommitment, randomSalt } from "../src/identity/commitment";
import { SubjectType } from "../src/identity/constants";
import { POA, blockNumbers, startNode, stopNode } from "../src/chain/poa";
import localParameters from "../ignition/parameters/local.json";

/*
 * Runs against the 3-sealer Clique chain of `npm run test:poa` (separate geth processes, real consensus), so the
 * in-process chain's snapshots and `loadFixture` do not exist here: the platform is deployed once, in `before`,
 * through the same Ignition module as everywhere else.
 */
const ROOT = path.join(__dirname, "..");

describe("GovChain on a proof-of-authority chain (geth Clique, 3 sealers)", function () {
  this.timeout(15 * 60_000);
  let platform: Platform;

  before(async function () {
    if (hre.network.name !== "poa") throw new Error("These tests need the PoA chain: run `npm run test:poa`.");
    platform = await deployPlatform(hre, localParameters);
  });

  it("runs the identity scenario of npm start", async function () {
    const result = await runIdentityScenario(hre, platform, { citizens: 300 });
    expect(result.citizensRegistered).to.equal(303);
    expect(result.verifiedByOtherAgency).to.deep.equal(["Valid", "Valid", "Valid"]);
    expect(result.revokedLicenceStatus).to.equal("Revoked");
  });

  it("runs the disclosure scenario of npm start", async function () {
    const result = await runDisclosureScenario(hre, platform, { files: 50 });
    expect(result.sample.map((s) => s.status)).to.deep.equal(["Active", "Active", "Active"]);
    expect(result.tampered).to.equal("InvalidProof");
    expect(result.singleDocument).to.equal("Active");
  });

  it("runs the invoice scenario of npm start", async function () {
    const result = await runInvoiceScenario(hre, platform, { invoices: 100 });
    expect(result.issued).to.equal(100);
    expect(result.statuses).to.deep.equal({ A: "Reimbursed", B: "Paid", C: "Paid", D: "Accepted" });
    expect(result.secondReimbursement.error).to.equal("InvoiceRegistryAlreadyReimbursed");
  });

  it("runs the agreement scenario of npm start", async function () {
    const result = await runAgreementScenario(hre, platform, { warrantySeconds: 3 });
    expect(result.report.state).to.equal("Completed");
    expect(result.supplierReceived).to.equal(300_000_00n);
    expect(result.report.held).to.equal(0n);
  });

  it("shows a transaction sent to one node on the other two", async function () {
    const [, registrar] = await ethers.getSigners();
    const did = Wallet.createRandom().address;
    const tx = await platform.didRegistry
      .connect(registrar)
      .register(
        { did, controller: ethers.ZeroAddress, subjectType: SubjectType.Citizen, idCommitment: ethers.id(did) },
        ethers.ZeroHash,
        "",
      );
    const receipt = (await tx.wait())!;
    for (const node of [1, 2]) {
      const provider = new JsonRpcProvider(POA.rpcUrl(node), POA.chainId, { staticNetwork: true });
      const seen = await provider.waitForTransaction(tx.hash, 1, 30_000);
      expect(seen!.blockHash, `node${node + 1}`).to.equal(receipt.blockHash);
      const registry = platform.didRegistry.connect(provider);
      expect(await registry.isActiveSubject(did, SubjectType.Citizen), `node${node + 1}`).to.equal(true);
      provider.destroy();
    }
  });

  it("finishes a batch job with nothing lost while one sealer is down, and the sealer catches up", async function () {
    const [, registrar] = await ethers.getSigners();
    const inputs = Array.from({ length: 400 }, () => {
      const did = Wallet.createRandom().address;
      return { did, subjectType: SubjectType.Citizen, idCommitment: idCommitment("national-id", did, randomSalt()) };
    });
    const startBlock = await ethers.provider.getBlockNumber();
    let chunks = 0;
    let stopped: Promise<void> | undefined;
    const job = registerDids(platform.didRegistry.connect(registrar), inputs, {
      chunkSize: 40,
      onProgress: () => {
        // Stop the third sealer once the job is under way.
        if (++chunks === 2 && !stopped) stopped = stopNode(ROOT, 2);
      },
    });
    const summary = await job;
    await stopped;
    expect(summary.records).to.equal(400);
    expect((await blockNumbers())[2]).to.equal(undefined); // node3 is down
    const before = (await blockNumbers())[0]!;
    await new Promise((r) => setTimeout(r, 4 * POA.blockPeriod * 1000));
    expect((await blockNumbers())[0]!).to.be.greaterThan(before); // two sealers of three keep sealing

    for (const input of inputs)
      expect(await platform.didRegistry.isActiveSubject(input.did, SubjectType.Citizen)).to.equal(true);
    const events = await platform.didRegistry.queryFilter(platform.didRegistry.filters.DIDRegistered(), startBlock);
    const registered = events.map((e) => e.args.did).filter((d) => inputs.some((i) => i.did === d));
    expect(registered).to.have.length(400); // each exactly once
    expect(new Set(registered).size).to.equal(400);

    await startNode(ROOT, 2);
    const head = (await blockNumbers())[0]!;
    const deadline = Date.now() + 60_000;
    while (((await blockNumbers())[2] ?? 0) < head && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 500));
    expect((await blockNumbers())[2]!).to.be.at.least(head);
  });
});
