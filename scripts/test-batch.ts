import path from "node:path";
import { spawn } from "node:child_process";

/**
 * `npm run test:batch`: starts a separate `hardhat node` sealing a block every second, runs test-batch/ against it
 * (batch jobs killed with SIGKILL and resumed, an RPC endpoint that drops out), and stops the node.
 */
const PORT = 8645;

async function waitForNode(url: string, seconds: number) {
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

async function main() {
  const root = path.join(__dirname, "..");
  const url = `http://127.0.0.1:${PORT}`;
  const node = spawn("npx", ["hardhat", "node", "--port", String(PORT), "--hostname", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, GOVCHAIN_BLOCK_TIME: "1" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  let status = 1;
  try {
    await waitForNode(url, 90);
    const run = spawn("npx", ["hardhat", "test", "--network", "localhost", "test-batch/batch.process.ts"], {
      cwd: root,
      env: { ...process.env, GOVCHAIN_LOCAL_RPC: url },
      stdio: "inherit",
    });
    status = await new Promise<number>((resolve) => run.on("exit", (code) => resolve(code ?? 1)));
  } finally {
    try {
      process.kill(-node.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  }
  process.exitCode = status;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
