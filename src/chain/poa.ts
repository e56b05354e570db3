import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { SigningKey } from "ethers";
import { cliqueGenesis, testAccount } from "./genesis";

/**
 * A local proof-of-authority consortium for integration tests and pilots: 3 go-ethereum v1.13.15 nodes (the last
 * release that seals Clique blocks), one sealer per agency, loopback ports only, static peering, data under
 * `.chain/poa`. geth is built from source with the Go toolchain into `.tools/`, once.
 */
export const GETH_VERSION = "1.13.15";
export const POA = {
  chainId: 31338,
  nodes: 3,
  blockPeriod: 1,
  httpPort: (i: number) => 8551 + i,
  p2pPort: (i: number) => 30311 + i,
  authPort: (i: number) => 8651 + i,
  rpcUrl: (i: number) => `http://127.0.0.1:${8551 + i}`,
};
const PASSWORD = "govchain-local-sealer";
/** Test accounts 0..19 (the Hardhat mnemonic) are funded, so the same scenario runs here and in-process. */
const FUNDED_ACCOUNTS = 20;

export function gethPath(root: string): string {
  return path.join(root, ".tools", `geth-v${GETH_VERSION}`, "bin", "geth");
}

function dataDir(root: string): string {
  return path.join(root, ".chain", "poa");
}

function pidFile(root: string): string {
  return path.join(dataDir(root), "pids.json");
}

/** Builds geth with the Go toolchain if `.tools` does not have it yet; returns its path. */
export function installGeth(root: string, log: (line: string) => void = console.log): string {
  const geth = gethPath(root);
  if (fs.existsSync(geth)) {
    const out = spawnSync(geth, ["version"], { encoding: "utf8" });
    if (out.stdout.includes(`Version: ${GETH_VERSION}`)) return geth;
  }
  const go = spawnSync("go", ["version"], { encoding: "utf8" });
  if (go.error || go.status !== 0) {
    throw new Error(
      `Building geth v${GETH_VERSION} needs the Go toolchain (1.21 or newer), and "go" was not found. ` +
        "Install Go (Debian: apt-get install golang-go) and run again.",
    );
  }
  const match = /go(\d+)\.(\d+)/.exec(go.stdout);
  const [major, minor] = match ? [Number(match[1]), Number(match[2])] : [1, 0];
  if (major === 1 && minor < 21)
    throw new Error(`geth v${GETH_VERSION} needs Go 1.21 or newer; found ${go.stdout.trim()}`);
  // Go 1.23+ refuses geth 1.13's linkname use in its memsize dependency unless the check is switched off.
  const ldflags = major > 1 || minor >= 23 ? ["-ldflags=-checklinkname=0"] : [];
  log(`Building geth v${GETH_VERSION} with ${go.stdout.trim()} (once; it lands in .tools/)...`);
  const built = spawnSync("go", ["install", ...ldflags, `github.com/ethereum/go-ethereum/cmd/geth@v${GETH_VERSION}`], {
    env: { ...process.env, GOBIN: path.dirname(geth), CGO_ENABLED: process.env.CGO_ENABLED ?? "1" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (built.status !== 0 || !fs.existsSync(geth))
    throw new Error(`go install of geth v${GETH_VERSION} failed (exit ${built.status})`);
  return geth;
}

interface NodeSpec {
  index: number;
  dir: string;
  sealer: string;
  enode: string;
  args: string[];
}

function nodeSpecs(root: string): NodeSpec[] {
  return Array.from({ length: POA.nodes }, (_, i) => {
    const dir = path.join(dataDir(root), `node${i + 1}`);
    const sealer = testAccount(100 + i).address;
    const nodeKey = testAccount(200 + i).privateKey;
    const publicKey = SigningKey.computePublicKey(nodeKey, false).slice(4);
    return {
      index: i,
      dir,
      sealer,
      enode: `enode://${publicKey}@127.0.0.1:${POA.p2pPort(i)}`,
      args: [
        "--datadir",
        dir,
        "--networkid",
        String(POA.chainId),
        "--port",
        String(POA.p2pPort(i)),
        "--http",
        "--http.addr",
        "127.0.0.1",
        "--http.port",
        String(POA.httpPort(i)),
        "--http.api",
        "eth,net,web3,admin,clique,txpool",
        "--authrpc.addr",
        "127.0.0.1",
        "--authrpc.port",
        String(POA.authPort(i)),
        "--nodiscover",
        "--nat",
        "none",
        "--netrestrict",
        "127.0.0.0/8",
        "--ipcdisable",
        "--unlock",
        sealer,
        "--password",
        path.join(dir, "password"),
        "--allow-insecure-unlock",
        "--mine",
        "--miner.etherbase",
        sealer,
        "--syncmode",
        "full",
        "--gcmode",
        "archive",
        "--verbosity",
        "3",
      ],
    };
  });
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

async function waitFor(what: string, seconds: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${seconds}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function readPids(root: string): Record<string, number> {
  return fs.existsSync(pidFile(root)) ? JSON.parse(fs.readFileSync(pidFile(root), "utf8")) : {};
}

function writePids(root: string, pids: Record<string, number>): void {
  if (Object.keys(pids).length === 0 && !fs.existsSync(dataDir(root))) return;
  fs.mkdirSync(dataDir(root), { recursive: true });
  fs.writeFileSync(pidFile(root), JSON.stringify(pids, null, 2));
}

/** True while `pid` runs; an exited process its parent has not reaped yet (a zombie) counts as gone. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/** Starts one node of an initialized chain in the background; returns its pid. */
export async function startNode(root: string, index: number): Promise<number> {
  const spec = nodeSpecs(root)[index];
  const logFd = fs.openSync(path.join(spec.dir, "geth.log"), "a");
  const child = spawn(gethPath(root), spec.args, { detached: true, stdio: ["ignore", logFd, logFd] });
  child.unref();
  fs.closeSync(logFd);
  const pids = readPids(root);
  pids[`node${index + 1}`] = child.pid!;
  writePids(root, pids);
  await waitFor(
    `node${index + 1} RPC on ${POA.rpcUrl(index)}`,
    60,
    async () => (await rpc(POA.rpcUrl(index), "eth_blockNumber")) !== undefined,
  );
  for (const other of nodeSpecs(root)) {
    if (other.index !== index) await rpc(POA.rpcUrl(index), "admin_addPeer", [other.enode]);
  }
  return child.pid!;
}

/** Stops one node (SIGTERM, then SIGKILL after 15 s) and forgets its pid. */
export async function stopNode(root: string, index: number): Promise<void> {
  const pids = readPids(root);
  const key = `node${index + 1}`;
  const pid = pids[key];
  if (pid && alive(pid)) {
    process.kill(pid, "SIGTERM");
    try {
      await waitFor(`${key} to exit`, 15, async () => !alive(pid));
    } catch {
      process.kill(pid, "SIGKILL");
      await waitFor(`${key} to die`, 5, async () => !alive(pid));
    }
  }
  delete pids[key];
  writePids(root, pids);
}

/**
 * Creates a fresh 3-sealer Clique chain and starts it: genesis, sealer keys, static peering; returns once every
 * node has peered and blocks are being sealed.
 */
export async function startPoa(root: string, log: (line: string) => void = console.log): Promise<void> {
  const geth = installGeth(root, log);
  await stopPoa(root);
  fs.rmSync(dataDir(root), { recursive: true, force: true });
  // A fresh chain: forget Ignition's journal of the previous one.
  fs.rmSync(path.join(root, "ignition", "deployments", `chain-${POA.chainId}`), { recursive: true, force: true });
  const specs = nodeSpecs(root);
  const alloc: Record<string, bigint> = {};
  for (let i = 0; i < FUNDED_ACCOUNTS; i++) alloc[testAccount(i).address] = 10n ** 24n;
  const genesis = cliqueGenesis({
    chainId: POA.chainId,
    sealers: specs.map((s) => s.sealer),
    alloc,
    blockPeriod: POA.blockPeriod,
  });
  for (const spec of specs) {
    fs.mkdirSync(path.join(spec.dir, "geth"), { recursive: true });
    fs.writeFileSync(path.join(spec.dir, "genesis.json"), JSON.stringify(genesis, null, 2));
    fs.writeFileSync(path.join(spec.dir, "password"), PASSWORD);
    fs.writeFileSync(path.join(spec.dir, "geth", "nodekey"), testAccount(200 + spec.index).privateKey.slice(2));
    const keyFile = path.join(spec.dir, "sealer.key");
    fs.writeFileSync(keyFile, testAccount(100 + spec.index).privateKey.slice(2), { mode: 0o600 });
    for (const args of [
      ["init", "--datadir", spec.dir, path.join(spec.dir, "genesis.json")],
      ["account", "import", "--datadir", spec.dir, "--password", path.join(spec.dir, "password"), keyFile],
    ]) {
      const out = spawnSync(geth, args, { encoding: "utf8" });
      if (out.status !== 0) throw new Error(`geth ${args[0]} failed for node${spec.index + 1}:\n${out.stderr}`);
    }
    fs.rmSync(keyFile);
  }
  for (const spec of specs) await startNode(root, spec.index);
  await waitFor("every node to see two peers", 60, async () => {
    for (const spec of specs)
      if (Number(await rpc(POA.rpcUrl(spec.index), "net_peerCount")) < POA.nodes - 1) return false;
    return true;
  });
  await waitFor("blocks to be sealed", 60, async () => Number(await rpc(POA.rpcUrl(0), "eth_blockNumber")) >= 2);
  log(
    `PoA chain ${POA.chainId} up: ${POA.nodes} Clique sealers, RPC ${specs.map((s) => POA.rpcUrl(s.index)).join(", ")}`,
  );
}

/** Stops every node of the chain and checks that no geth process of it is left. */
export async function stopPoa(root: string): Promise<void> {
  for (let i = 0; i < POA.nodes; i++) await stopNode(root, i);
  if (fs.existsSync(pidFile(root))) fs.rmSync(pidFile(root));
}

/** The block number each node reports, for a quick look at the chain. */
export async function blockNumbers(): Promise<(number | undefined)[]> {
  return Promise.all(
    Array.from({ length: POA.nodes }, async (_, i) => {
      try {
        return Number(await rpc(POA.rpcUrl(i), "eth_blockNumber"));
      } catch {
        return undefined;
      }
    }),
  );
}
