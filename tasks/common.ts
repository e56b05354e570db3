import { types } from "hardhat/config";
import type { ConfigurableTaskDefinition, HardhatRuntimeEnvironment } from "hardhat/types";
import type { Signer } from "ethers";
import type { Platform } from "../src/platform";
import type { BatchSummary } from "../src/batch/engine";

/** Options every GovChain task takes: which deployment, and which configured account signs. */
export interface CommonArgs {
  deployment?: string;
  signer?: string;
}

export function withCommonParams(t: ConfigurableTaskDefinition): ConfigurableTaskDefinition {
  return t
    .addOptionalParam(
      "deployment",
      "Ignition deployment id, or path of its deployed_addresses.json (default: chain-<chainId>)",
      undefined,
      types.string,
    )
    .addOptionalParam(
      "signer",
      "Account that signs: index in the network's accounts, or address (default: 0)",
      undefined,
      types.string,
    );
}

export async function platformFor(
  hre: HardhatRuntimeEnvironment,
  args: CommonArgs,
): Promise<{ platform: Platform; signer: Signer }> {
  const { loadDeployedAddresses } = await import("../src/deployments");
  const { attachPlatform } = await import("../src/platform");
  const signer = await signerFor(hre, args.signer);
  const deployment = args.deployment ?? `chain-${(await hre.ethers.provider.getNetwork()).chainId}`;
  const platform = attachPlatform(loadDeployedAddresses(hre.config.paths.root, deployment), signer);
  return { platform, signer };
}

export async function signerFor(hre: HardhatRuntimeEnvironment, spec?: string): Promise<Signer> {
  const signers = await hre.ethers.getSigners();
  if (spec === undefined) return signers[0];
  if (/^[0-9]+$/.test(spec)) {
    const signer = signers[Number(spec)];
    if (!signer) throw new Error(`--signer ${spec}: the network has only ${signers.length} accounts`);
    return signer;
  }
  const found = signers.find((s) => s.address.toLowerCase() === spec.toLowerCase());
  if (!found) throw new Error(`--signer ${spec} is not one of the network's accounts`);
  return found;
}

/** The closing summary of a batch job; a job with failures exits non-zero. */
export function printSummary(what: string, summary: BatchSummary): void {
  const perRecord = summary.records > 0 ? summary.gasUsed / BigInt(summary.records) : 0n;
  console.log(
    `${summary.records} ${what} recorded, ${summary.alreadyRecorded} already on chain; ${summary.transactions} transactions, ` +
      `gas ${summary.gasUsed} (${perRecord} per record), ${summary.seconds.toFixed(1)} s, ${summary.failures.length} failed chunks`,
  );
  for (const f of summary.failures) console.log(`  failed: ${f.reason} (${f.keys.length} records, first ${f.keys[0]})`);
  if (summary.failures.length > 0) process.exitCode = 1;
}

/** Options every batch task takes (did:batch-register, credential:batch-issue, ...). */
export interface BatchArgs {
  file: string;
  chunk?: number;
  inFlight: number;
  journal?: string;
  resume: boolean;
}

export function withBatchParams(t: ConfigurableTaskDefinition): ConfigurableTaskDefinition {
  return t
    .addOptionalParam("chunk", "Records per transaction (default: what fits half a block)", undefined, types.int)
    .addOptionalParam("inFlight", "Transactions in flight at once", 4, types.int)
    .addOptionalParam("journal", "Journal of the job (default: <file>.journal.jsonl)", undefined, types.string)
    .addFlag("resume", "Continue the job of an existing journal after a crash or an outage");
}

/** The journal of a batch task: --journal, or next to the input file. */
export function journalOf(args: BatchArgs): string {
  return args.journal ?? `${args.file}.journal.jsonl`;
}

/** The engine options a batch task's arguments ask for, with a progress bar and the engine's log on stdout. */
export async function batchOptions(args: BatchArgs, total: number, label: string) {
  const { Progress } = await import("../src/util/progress");
  const progress = new Progress(label, total);
  return {
    journal: journalOf(args),
    resume: args.resume,
    chunkSize: args.chunk,
    maxInFlight: args.inFlight,
    onProgress: (n: number) => progress.tick(n),
    log: (line: string) => console.log(line),
  };
}
