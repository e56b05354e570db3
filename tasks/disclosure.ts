import fs from "node:fs";
import { task, types } from "hardhat/config";
import type { ConfigurableTaskDefinition, HardhatRuntimeEnvironment } from "hardhat/types";
import { parseTime } from "../src/util/time";
import { CommonArgs, platformFor, withCommonParams } from "./common";

interface PublishArgs extends CommonArgs {
  dir: string;
  category: string;
  uri: string;
  reference: string;
  algorithm: string;
  publishAt?: string;
  receipts?: string;
}

function withPublishParams(t: ConfigurableTaskDefinition) {
  return withCommonParams(t)
    .addParam("dir", "Folder of the published files (hashed as streams, never sent)", undefined, types.string)
    .addParam("category", "budget, procurement, policy, personnel, statistics, notice, ...", undefined, types.string)
    .addParam("uri", "Where the files are published", undefined, types.string)
    .addOptionalParam("reference", "Period or reference, e.g. FY2027 or Tender 2026-114", "", types.string)
    .addOptionalParam("algorithm", "keccak256, sha256 or sm3", "sha256", types.string)
    .addOptionalParam("publishAt", "Embargo: public from this date or unix time", undefined, types.string)
    .addOptionalParam("receipts", "Folder for one receipt per file (default: <dir>.receipts)", undefined, types.string);
}

async function publish(args: PublishArgs & { amends?: string }, hre: HardhatRuntimeEnvironment) {
  const { anchorFolder } = await import("../src/disclosure/publish");
  const { listFiles, parseHashAlgorithm } = await import("../src/disclosure/files");
  const { Progress } = await import("../src/util/progress");
  const { platform, signer } = await platformFor(hre, args);
  const progress = new Progress("hashing", listFiles(args.dir).length);
  const receiptsDir = args.receipts ?? `${args.dir.replace(/\/$/, "")}.receipts`;
  const result = await anchorFolder(platform.disclosureRegistry, await signer.getAddress(), {
    dir: args.dir,
    category: args.category,
    uri: args.uri,
    reference: args.reference,
    algorithm: parseHashAlgorithm(args.algorithm),
    publishAt: args.publishAt ? parseTime(args.publishAt) : undefined,
    receiptsDir,
    amends: args.amends,
    onHashed: (n) => progress.tick(n),
  });
  console.log(
    `${args.amends ? "Amended" : "Anchored"} ${result.receipts.length} files as root ${result.root} (tx ${result.transaction})`,
  );
  console.log(`Receipts written to ${receiptsDir}/`);
}

withPublishParams(
  task("disclosure:anchor", "Anchor a folder of published files as one Merkle root (as a PUBLISHER)"),
).setAction(async (args: PublishArgs, hre) => publish(args, hre));

withPublishParams(
  task("disclosure:amend", "Publish a folder as the new version of an anchored root (its publisher only)"),
)
  .addParam("root", "The root this folder amends", undefined, types.string)
  .setAction(async (args: PublishArgs & { root: string }, hre) => publish({ ...args, amends: args.root }, hre));

withCommonParams(task("disclosure:verify", "Check that a file is the published one; exits 0 only if it is"))
  .addParam("file", "The file to check", undefined, types.string)
  .addOptionalParam("receipt", "Its receipt (needed for a file published inside a folder)", undefined, types.string)
  .setAction(async (args: CommonArgs & { file: string; receipt?: string }, hre) => {
    const { verifyFile, formatVerdict } = await import("../src/disclosure/verify");
    const { platform } = await platformFor(hre, args);
    const receipt = args.receipt ? JSON.parse(fs.readFileSync(args.receipt, "utf8")) : undefined;
    const verdict = await verifyFile(platform.disclosureRegistry, args.file, receipt);
    console.log(formatVerdict(args.file, verdict));
    if (!verdict.ok) process.exitCode = 1;
  });

withCommonParams(task("disclosure:retract", "Retract an anchored root, with a reason (its publisher only)"))
  .addParam("root", "The root to retract", undefined, types.string)
  .addParam("reasonCode", "Reason code (the agency's own catalogue)", undefined, types.int)
  .addOptionalParam("reason", "Reason text or document (only its hash goes on chain)", "", types.string)
  .setAction(async (args: CommonArgs & { root: string; reasonCode: number; reason: string }, hre) => {
    const { id, ZeroHash } = await import("ethers");
    const { platform } = await platformFor(hre, args);
    const reasonHash = !args.reason
      ? ZeroHash
      : fs.existsSync(args.reason)
        ? id(fs.readFileSync(args.reason, "utf8"))
        : id(args.reason);
    await (await platform.disclosureRegistry.retract(args.root, args.reasonCode, reasonHash)).wait();
    console.log(`Retracted ${args.root} (reason ${args.reasonCode}, hash ${reasonHash})`);
  });

withCommonParams(task("disclosure:list", "List anchored disclosures, newest first"))
  .addOptionalParam("agency", "Publisher address or DID", undefined, types.string)
  .addOptionalParam("category", "Category", undefined, types.string)
  .addOptionalParam("page", "Page", 1, types.int)
  .addOptionalParam("pageSize", "Items per page", 20, types.int)
  .setAction(async (args: CommonArgs & { agency?: string; category?: string; page: number; pageSize: number }, hre) => {
    const { listDisclosures } = await import("../src/disclosure/list");
    const { didAddress } = await import("../src/identity/did");
    const { platform } = await platformFor(hre, args);
    const { items, total } = await listDisclosures(platform.disclosureRegistry, {
      publisher: args.agency ? didAddress(args.agency) : undefined,
      category: args.category,
      page: args.page,
      pageSize: args.pageSize,
    });
    for (const d of items)
      console.log(`${d.root}  block ${d.block}  ${d.category}  ${d.periodOrReference}  ${d.uri}  by ${d.publisher}`);
    console.log(`page ${args.page} of ${Math.max(1, Math.ceil(total / args.pageSize))} (${total} disclosures)`);
  });
