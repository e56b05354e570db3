import { HDNodeWallet, Mnemonic, encodeRlp, getAddress, toQuantity } from "ethers";

/** Hardhat's well-known test mnemonic: local chains only, never a real network. */
export const TEST_MNEMONIC = "test test test test test test test test test test test junk";

/** Account `index` of the test mnemonic (m/44'/60'/0'/0/index). */
export function testAccount(index: number): HDNodeWallet {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(TEST_MNEMONIC), `m/44'/60'/0'/0/${index}`);
}

export interface GenesisOptions {
  chainId: number;
  /** Addresses of the block sealers (Clique signers, QBFT validators). */
  sealers: string[];
  /** Accounts funded at genesis, with their balance in wei. */
  alloc: Record<string, bigint>;
  /** Seconds between blocks. */
  blockPeriod: number;
  gasLimit?: bigint;
}

/** London-level fork schedule from block 0 (no PUSH0/MCOPY: contracts compile for paris or earlier). */
function londonForks() {
  return {
    homesteadBlock: 0,
    eip150Block: 0,
    eip155Block: 0,
    eip158Block: 0,
    byzantiumBlock: 0,
    constantinopleBlock: 0,
    petersburgBlock: 0,
    istanbulBlock: 0,
    berlinBlock: 0,
    londonBlock: 0,
  };
}

function allocJson(alloc: Record<string, bigint>) {
  return Object.fromEntries(
    Object.entries(alloc).map(([a, wei]) => [getAddress(a).slice(2).toLowerCase(), { balance: toQuantity(wei) }]),
  );
}

/** A geth Clique genesis: extraData = 32 bytes of vanity, the sealers' addresses, 65 bytes of seal. */
export function cliqueGenesis(options: GenesisOptions) {
  const sealers = options.sealers.map((s) => getAddress(s).slice(2).toLowerCase()).sort();
  return {
    config: {
      chainId: options.chainId,
      ...londonForks(),
      clique: { period: options.blockPeriod, epoch: 30000 },
    },
    difficulty: "0x1",
    gasLimit: toQuantity(options.gasLimit ?? 30_000_000n),
    extradata: "0x" + "00".repeat(32) + sealers.join("") + "00".repeat(65),
    alloc: allocJson(options.alloc),
  };
}

/**
 * A Hyperledger Besu QBFT genesis for the same network shape: extraData is RLP([vanity, validators, no vote,
 * round 0, no seals]); zeroBaseFee makes gas free, as consortium networks usually are.
 */
export function qbftGenesis(options: GenesisOptions) {
  const validators = options.sealers.map((s) => getAddress(s));
  const extraData = encodeRlp(["0x" + "00".repeat(32), validators, [], "0x", []]);
  return {
    config: {
      chainId: options.chainId,
      ...londonForks(),
      zeroBaseFee: true,
      qbft: {
        blockperiodseconds: options.blockPeriod,
        epochlength: 30000,
        requesttimeoutseconds: Math.max(4, options.blockPeriod * 2),
      },
    },
    nonce: "0x0",
    timestamp: "0x0",
    gasLimit: toQuantity(options.gasLimit ?? 30_000_000n),
    difficulty: "0x1",
    mixHash: "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365",
    coinbase: "0x0000000000000000000000000000000000000000",
    extraData,
    alloc: allocJson(options.alloc),
  };
}
