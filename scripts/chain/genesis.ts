import { getAddress } from "ethers";
import { cliqueGenesis, qbftGenesis } from "../../src/chain/genesis";

/**
 * Prints a genesis file for a GovChain consortium, from the same generator the local PoA chain uses:
 *   ts-node scripts/chain/genesis.ts --engine qbft|clique --chain-id 2026 --sealers 0xA,0xB,0xC \
 *     [--alloc 0xD=1000000000000000000000] [--block-period 2]
 */
function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

function main() {
  const engine = arg("engine", "qbft");
  const chainId = Number(arg("chain-id"));
  if (!Number.isInteger(chainId) || chainId <= 0) throw new Error(`--chain-id: "${arg("chain-id")}" is not a chain id`);
  const sealers = arg("sealers")
    .split(",")
    .map((s, i) => {
      try {
        return getAddress(s.trim());
      } catch {
        throw new Error(`--sealers: item ${i + 1} "${s}" is not an address`);
      }
    });
  const alloc: Record<string, bigint> = {};
  for (const entry of arg("alloc", "").split(",").filter(Boolean)) {
    const [address, wei] = entry.split("=");
    alloc[getAddress(address)] = BigInt(wei);
  }
  const options = { chainId, sealers, alloc, blockPeriod: Number(arg("block-period", "2")) };
  const genesis = engine === "clique" ? cliqueGenesis(options) : engine === "qbft" ? qbftGenesis(options) : undefined;
  if (!genesis) throw new Error(`--engine: "${engine}" is neither qbft nor clique`);
  console.log(JSON.stringify(genesis, null, 2));
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
