import { runNpx, startHardhatNode } from "../src/chain/node";

/**
 * `npm run test:batch`: starts a separate `hardhat node` sealing a block every second, runs test-batch/ against it
 * (batch jobs killed with SIGKILL and resumed, an RPC endpoint that drops out), and stops the node.
 */
const PORT = 8645;

async function main() {
  const node = await startHardhatNode(PORT, { GOVCHAIN_BLOCK_TIME: "1" });
  try {
    process.exitCode = await runNpx(["hardhat", "test", "--network", "localhost", "test-batch/batch.process.ts"], {
      GOVCHAIN_LOCAL_RPC: node.url,
    });
  } finally {
    node.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
