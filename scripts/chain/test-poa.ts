import path from "node:path";
import { spawn } from "node:child_process";
import { startPoa, stopPoa } from "../../src/chain/poa";

/** `npm run test:poa`: builds geth if needed, starts the 3 sealers, runs test-poa/ against them, stops them. */
async function main() {
  const root = path.join(__dirname, "..", "..");
  let status = 1;
  try {
    await startPoa(root);
    // Asynchronous, so this process keeps reaping the geth nodes it started while the tests stop and restart them.
    const run = spawn("npx", ["hardhat", "test", "--network", "poa", "test-poa/platform.poa.ts"], {
      cwd: root,
      stdio: "inherit",
    });
    status = await new Promise<number>((resolve) => run.on("exit", (code) => resolve(code ?? 1)));
  } finally {
    await stopPoa(root);
    console.log("PoA chain stopped.");
  }
  process.exitCode = status;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
