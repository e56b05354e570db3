import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import GovPlatformModule from "../ignition/modules/GovPlatform";
import { DIDRegistry__factory, type DIDRegistry } from "../typechain-types";
import { saveDeployedAddresses } from "../src/deployments";
import { addressesOf } from "../src/platform";
import { sealBlocksEvery } from "../src/chain/node";
import { idCommitment, randomSalt } from "../src/identity/commitment";
import { withRetry } from "../src/batch/retry";
import localParameters from "../ignition/parameters/local.json";

/*
 * Batch jobs for real: a separate `hardhat node` sealing a block per second (started by `npm run test:batch`), the
 * job in its own process, killed with SIGKILL while transactions are in flight and resumed; and an RPC endpoint
 * that drops out for some seconds behind a TCP proxy. Each time every record must land exactly once.
 */
const ROOT = path.join(__dirname, "..");
const NODE_URL = process.env.GOVCHAIN_LOCAL_RPC ?? "http://127.0.0.1:8645";
const PROXY_PORT = 8646;

function writeCsv(dir: string, name: string, count: number): { file: string; dids: string[] } {
  const dids = Array.from({ length: count }, () => ethers.Wallet.createRandom().address);
  const file = path.join(dir, name);
  const rows = dids.map((d) => `${d},citizen,${idCommitment("national-id", d, randomSalt())}`);
  fs.writeFileSync(file, ["did,subjectType,idCommitment", ...rows].join("\n") + "\n");
  return { file, dids };
}

function batchProcess(args: string[], rpc: string): ChildProcess {
  return spawn("npx", ["hardhat", "did:batch-register", "--network", "localhost", ...args], {
    cwd: ROOT,
    env: { ...process.env, GOVCHAIN_LOCAL_RPC: rpc },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so SIGKILL reaches npx and the node process under it
  });
}

function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 137 : 1))));
}

async function until(what: string, seconds: number, check: () => boolean): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${seconds}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function journalCount(journal: string, type: string): number {
  if (!fs.existsSync(journal)) return 0;
  return fs
    .readFileSync(journal, "utf8")
    .split("\n")
    .filter((l) => l.includes(`"type":"${type}"`)).length;
}

async function expectEachOnce(registry: DIDRegistry, dids: string[], fromBlock: number) {
  // The node closes idle keep-alive connections while the job runs: retry like the engine does.
  const events = await withRetry(() => registry.queryFilter(registry.filters.DIDRegistered(), fromBlock));
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.args.did, (counts.get(e.args.did) ?? 0) + 1);
  const missing = dids.filter((d) => !counts.has(d));
  const twice = dids.filter((d) => (counts.get(d) ?? 0) > 1);
  expect(missing, "records missing").to.deep.equal([]);
  expect(twice, "records registered twice").to.deep.equal([]);
}

/** A TCP proxy in front of the node that can refuse and cut connections for a while. */
class FlakyProxy {
  private server?: net.Server;
  private sockets = new Set<net.Socket>();
  constructor(
    private readonly port: number,
    private readonly target: URL,
  ) {}

  async up(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(Number(this.target.port), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
  }

  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

describe("batch jobs against a separate node process", function () {
  this.timeout(10 * 60_000);
  let registry: DIDRegistry;
  let deployment: string;
  let dir: string;

  before(async function () {
    if (hre.network.name !== "localhost") throw new Error("Run with `npm run test:batch`.");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-batch-process-"));
    // Deploy quickly with automine, then seal one block per second like a consortium chain.
    await hre.network.provider.send("evm_setAutomine", [true]);
    const deployed = await hre.ignition.deploy(GovPlatformModule, {
      parameters: localParameters as never,
      deploymentId: `batch-test-${Date.now()}`,
    });
    await sealBlocksEvery(hre.network.provider, 1000);
    const addresses = await addressesOf(deployed);
    deployment = path.join(dir, "deployed_addresses.json");
    saveDeployedAddresses(deployment, addresses);
    registry = DIDRegistry__factory.connect(addresses.DIDRegistry, ethers.provider);
  });

  after(function () {
    for (const d of fs.readdirSync(path.join(ROOT, "ignition", "deployments"))) {
      if (d.startsWith("batch-test-"))
        fs.rmSync(path.join(ROOT, "ignition", "deployments", d), { recursive: true, force: true });
    }
  });

  it("resumes a job killed with SIGKILL while transactions are in flight: every record exactly once", async function () {
    const { file, dids } = writeCsv(dir, "killed.csv", 2000);
    const journal = `${file}.journal.jsonl`;
    const fromBlock = await withRetry(() => ethers.provider.getBlockNumber());
    const args = ["--file", file, "--deployment", deployment, "--signer", "1", "--chunk", "100", "--in-flight", "4"];
    const first = batchProcess(args, NODE_URL);
    const firstExit = exitOf(first);
    await until("the job to have transactions in flight", 180, () => journalCount(journal, "sent") >= 6);
    process.kill(-first.pid!, "SIGKILL");
    expect(await firstExit).to.not.equal(0);
    expect(journalCount(journal, "sent")).to.be.lessThan(20); // killed part-way

    const resumed = batchProcess([...args, "--resume"], NODE_URL);
    let output = "";
    resumed.stdout!.on("data", (d) => (output += d));
    resumed.stderr!.on("data", (d) => (output += d));
    expect(await exitOf(resumed), output).to.equal(0);
    expect(output).to.match(/Resuming did:batch-register: \d+ of 2000 records already on chain/);
    await expectEachOnce(registry, dids, fromBlock);
  });

  it("waits out an RPC endpoint that drops out in the middle of a job, then completes it exactly once", async function () {
    const { file, dids } = writeCsv(dir, "outage.csv", 1500);
    const journal = `${file}.journal.jsonl`;
    const proxy = new FlakyProxy(PROXY_PORT, new URL(NODE_URL));
    await proxy.up();
    const fromBlock = await withRetry(() => ethers.provider.getBlockNumber());
    const job = batchProcess(
      ["--file", file, "--deployment", deployment, "--signer", "1", "--chunk", "100", "--in-flight", "3"],
      `http://127.0.0.1:${PROXY_PORT}`,
    );
    let output = "";
    job.stdout!.on("data", (d) => (output += d));
    job.stderr!.on("data", (d) => (output += d));
    const exited = exitOf(job);
    await until("the job to have sent transactions", 180, () => journalCount(journal, "sent") >= 3);
    await proxy.down();
    await new Promise((r) => setTimeout(r, 5_000));
    await proxy.up();
    expect(await exited, output).to.equal(0);
    await proxy.down();
    expect(output).to.match(/RPC endpoint unreachable: waiting/);
    expect(output).to.match(/1500 DIDs recorded|DIDs recorded/);
    await expectEachOnce(registry, dids, fromBlock);
  });
});
