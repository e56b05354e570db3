import path from "node:path";
import { blockNumbers, installGeth, startPoa, stopPoa } from "../../src/chain/poa";

/** `npm run chain:poa` / `npm run chain:poa:stop` / `ts-node scripts/chain/poa.ts build|status`. */
async function main() {
  const root = path.join(__dirname, "..", "..");
  const command = process.argv[2] ?? "start";
  switch (command) {
    case "build":
      console.log(installGeth(root));
      break;
    case "start":
      await startPoa(root);
      break;
    case "stop":
      await stopPoa(root);
      console.log("PoA chain stopped; no geth process of it is left.");
      break;
    case "status":
      console.log(`block numbers per node: ${(await blockNumbers()).map((b) => b ?? "down").join(", ")}`);
      break;
    default:
      throw new Error(`Unknown command "${command}": use build, start, stop or status`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
