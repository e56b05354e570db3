import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";

/**
 * A separate `hardhat node` process for jobs that must run against a real JSON-RPC endpoint (batch tests,
 * throughput benchmarks): started on `port`, answered within 90 s, stopped with its whole process group.
 */
export interface HardhatNode {
  url: string;
  process: ChildProcess;
  stop(): void;
}

export async function waitForRpc(url: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}',
      });
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`hardhat node did not answer on ${url} within ${seconds}s`);
}

export async function startHardhatNode(port: number, env: Record<string, string> = {}): Promise<HardhatNode> {
  const root = path.join(__dirname, "..", "..");
  const url = `http://127.0.0.1:${port}`;
  const child = spawn("npx", ["hardhat", "node", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const stop = () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  };
  try {
    await waitForRpc(url, 90);
  } catch (error) {
    stop();
    throw error;
  }
  return { url, process: child, stop };
}

/**
 * Switches a `hardhat node` (or the in-process chain) from automine to sealing one block every `ms`: setups run
 * fast with automine, then the jobs under test meet a consortium-like block time.
 */
export async function sealBlocksEvery(
  provider: { send(method: string, params: unknown[]): Promise<unknown> },
  ms: number,
): Promise<void> {
  await provider.send("evm_setAutomine", [false]);
  await provider.send("evm_setIntervalMining", [ms]);
}

/** Runs `npx <args>` in the project with `env`, inheriting stdio; resolves with its exit code. */
export function runNpx(args: string[], env: Record<string, string> = {}): Promise<number> {
  const root = path.join(__dirname, "..", "..");
  const run = spawn("npx", args, { cwd: root, env: { ...process.env, ...env }, stdio: "inherit" });
  return new Promise<number>((resolve) => run.on("exit", (code) => resolve(code ?? 1)));
}
