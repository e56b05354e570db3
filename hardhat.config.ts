import path from "node:path";
import { HardhatUserConfig, subtask, vars } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";
import "@openzeppelin/hardhat-upgrades";

import "./tasks";
import { TEST_MNEMONIC } from "./src/chain/genesis";
import { POA } from "./src/chain/poa";

/** The one Solidity version GovChain builds with; the npm package `solc` must be exactly this version. */
export const SOLC_VERSION = "0.8.28";

/** Consortium chains (Besu QBFT, geth Clique) often lack PUSH0/MCOPY: compile for paris unless told otherwise. */
const EVM_VERSION = process.env.GOVCHAIN_EVM_VERSION ?? "paris";

/** The in-process chain runs the hardfork matching the EVM target, so an opcode the target lacks fails in tests. */
const HARDFORK_FOR_EVM: Record<string, string> = {
  london: "london",
  paris: "merge",
  shanghai: "shanghai",
  cancun: "cancun",
  prague: "prague",
};

// Compile offline: hand Hardhat the soljson.js of the pinned `solc` npm package instead of downloading a compiler.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const installed: string = require("solc/package.json").version;
  if (args.solcVersion !== installed) {
    throw new Error(
      `GovChain compiles offline with the npm package solc@${installed}, but a compile asked for solc ${args.solcVersion}. ` +
        `Set the compiler version in hardhat.config.ts to ${installed}, or pin solc@${args.solcVersion} in package.json.`,
    );
  }
  const compilerPath = path.join(path.dirname(require.resolve("solc/package.json")), "soljson.js");
  return { compilerPath, isSolcJs: true, version: args.solcVersion, longVersion: `${args.solcVersion}-solcjs` };
});

/** Deployer keys for the consortium network: environment first, then `npx hardhat vars set GOVCHAIN_DEPLOYER_KEYS`. */
function consortiumAccounts(): string[] {
  const raw = process.env.GOVCHAIN_DEPLOYER_KEYS ?? vars.get("GOVCHAIN_DEPLOYER_KEYS", "");
  return raw
    .split(",")
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
}

const consortiumChainId = process.env.GOVCHAIN_CHAIN_ID ?? vars.get("GOVCHAIN_CHAIN_ID", "");

/**
 * `GOVCHAIN_ZERO_GAS=1`: the local chain behaves like a free-gas consortium (Besu/Quorum with min-gas-price 0 and
 * no base fee): a pre-London fee market that accepts zero-priced transactions, and clients that send them.
 */
const ZERO_GAS = process.env.GOVCHAIN_ZERO_GAS === "1";
const gasPriceSetting = ZERO_GAS ? 0 : process.env.GOVCHAIN_GAS_PRICE ? Number(process.env.GOVCHAIN_GAS_PRICE) : "auto";
const ignitionGasPrice = gasPriceSetting === "auto" ? {} : { gasPrice: BigInt(gasPriceSetting) };

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: EVM_VERSION,
    },
  },
  networks: {
    hardhat: {
      hardfork: ZERO_GAS ? "berlin" : (HARDFORK_FOR_EVM[EVM_VERSION] ?? "cancun"),
      ...(ZERO_GAS ? { gasPrice: 0, minGasPrice: 0 } : {}),
      // `GOVCHAIN_BLOCK_TIME=1 npx hardhat node` seals a block every second, like a consortium chain.
      mining: process.env.GOVCHAIN_BLOCK_TIME
        ? { auto: false, interval: Number(process.env.GOVCHAIN_BLOCK_TIME) * 1000 }
        : undefined,
    },
    localhost: {
      url: process.env.GOVCHAIN_LOCAL_RPC ?? "http://127.0.0.1:8545",
      gasPrice: gasPriceSetting,
      ignition: ignitionGasPrice,
    },
    // The local 3-sealer Clique chain of `npm run chain:poa` (test keys only).
    poa: {
      url: POA.rpcUrl(0),
      chainId: POA.chainId,
      accounts: { mnemonic: TEST_MNEMONIC, count: 20 },
    },
    consortium: {
      url: process.env.GOVCHAIN_RPC_URL ?? vars.get("GOVCHAIN_RPC_URL", "http://127.0.0.1:8545"),
      chainId: consortiumChainId ? Number(consortiumChainId) : undefined,
      accounts: consortiumAccounts(),
      // Besu/Quorum consortiums price gas at zero: never let ethers invent a fee the chain does not charge.
      gasPrice: gasPriceSetting,
      // With GOVCHAIN_GAS_PRICE=0 Ignition sends zero-priced transactions too.
      ignition: ignitionGasPrice,
    },
  },
  ignition: {
    // 1 on local chains; a consortium operator may ask for more with GOVCHAIN_CONFIRMATIONS.
    requiredConfirmations: Number(process.env.GOVCHAIN_CONFIRMATIONS ?? "1"),
  },
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
    offline: true,
    currency: "USD",
    reportFormat: "terminal",
  },
  typechain: {
    outDir: "typechain-types",
    target: "ethers-v6",
  },
  mocha: {
    timeout: 120_000,
  },
};

export default config;
