import { runNpx, startHardhatNode } from "../src/chain/node";

/**
 * `npm run test:batch`: starts a separate `hardhat node` sealing a block every second and runs test-batch/ against
 * it (batch jobs killed with SIGKILL and resumed, an RPC endpoint that drops out); then the same on a node that
 * behaves like a free-gas consortium (GOVCHAIN_ZERO_GAS=1). Stops each node after its run.
 */
async function runAgainstNode(port: number, file: string, env: Record<string, string>): Promise<number> {
  const node = await startHardhatNode(port, { GOVCHAIN_BLOCK_TIME: "1", ...env });
  try {
    return await runNpx(["hardhat", "test", "--network", "localhost", file], { GOVCHAIN_LOCAL_RPC: node.url, ...env });
  } finally {
    node.stop();
  }
}

async function main() {
  const batch = await runAgainstNode(8645, "test-batch/batch.process.ts", {});
  const zeroGas = await runAgainstNode(8647, "test-batch/zero-gas.process.ts", { GOVCHAIN_ZERO_GAS: "1" });
  process.exitCode = batch !== 0 ? batch : zeroGas;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
