import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { finished } from "node:stream/promises";
import hre, { ethers } from "hardhat";
import { hexlify, randomBytes } from "ethers";
import GovPlatformModule from "../ignition/modules/GovPlatform";
import { sealBlocksEvery } from "../src/chain/node";
import { addressesOf, attachPlatform } from "../src/platform";
import { ensureRegistered, parseRegistrationFile, registerDids } from "../src/identity/registration";
import { idCommitment, randomSalt } from "../src/identity/commitment";
import { SubjectType } from "../src/identity/constants";
import { parseInvoiceFile, issueInvoices } from "../src/invoice/issuance";
import { Capability } from "../src/invoice/model";
import { measureJob, type ThroughputReport, type ThroughputRow } from "../src/batch/throughput";
import localParameters from "../ignition/parameters/local.json";

/**
 * Throughput of the batch engine against a separate `hardhat node` sealing one block per second (run by
 * `npm run bench` with --network localhost): DID registrations at 1,000, 10,000 and 100,000 records, invoices at
 * 1,000 and 10,000, and the validation of a 100,000-line CSV with bad lines. Writes bench/throughput.json.
 * GOVCHAIN_BENCH_MAX limits the largest run (default 100000).
 */

const MAX = Number(process.env.GOVCHAIN_BENCH_MAX ?? "100000");

/** Writes a citizens CSV of `count` rows (`bad` of them with a broken DID) and returns its path once on disk. */
async function citizensCsv(file: string, count: number, bad = 0): Promise<string> {
  const out = fs.createWriteStream(file);
  out.write("did,subjectType,idScheme,idNumber\n");
  for (let i = 0; i < count; i++) {
    const broken = bad > 0 && i % Math.floor(count / bad) === 7;
    const did = broken ? "0xnot-an-address" : hexlify(randomBytes(20));
    out.write(`${did},citizen,national-id,${String(110101199000000000n + BigInt(i))}\n`);
  }
  out.end();
  await finished(out);
  return file;
}

async function main() {
  if (hre.network.name !== "localhost") throw new Error("Run through `npm run bench` (needs --network localhost).");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-throughput-"));
  const deploymentId = `bench-throughput-${Date.now()}`;
  await hre.network.provider.send("evm_setAutomine", [true]);
  const deployed = await hre.ignition.deploy(GovPlatformModule, { parameters: localParameters as never, deploymentId });
  const signers = await ethers.getSigners();
  const [registrar, taxBureau, seller, buyer] = [signers[1], signers[5], signers[16], signers[17]];
  const platform = attachPlatform(await addressesOf(deployed), registrar);
  // the seller's DID and taxpayer registration, before blocks start coming once a second
  await ensureRegistered(platform.didRegistry, {
    did: seller.address,
    subjectType: SubjectType.Organization,
    idCommitment: idCommitment("uscc", seller.address, randomSalt()),
  });
  await (await platform.invoiceRegistry.connect(taxBureau).registerParticipant(seller, Capability.SELLER)).wait();
  await sealBlocksEvery(hre.network.provider, 1000);

  const rows: ThroughputRow[] = [];
  const log = (row: ThroughputRow) => {
    rows.push(row);
    console.log(
      `${row.job.padEnd(22)} ${String(row.records).padStart(7)} records  ${row.seconds.toFixed(1).padStart(6)} s  ` +
        `${row.recordsPerSecond.toFixed(0).padStart(5)} /s  ${row.gasPerRecord} gas each  ${row.transactions} txs`,
    );
  };

  // 1. Validation of a 100,000-line file with 100 bad lines: all reported at once, nothing sent.
  const big = await citizensCsv(path.join(dir, "validate.csv"), 100_000, 100);
  const started = Date.now();
  const checked = await parseRegistrationFile(big);
  const validation = { lines: 100_000, badLines: checked.errors.length, seconds: (Date.now() - started) / 1000 };
  console.log(
    `validated ${validation.lines} lines in ${validation.seconds.toFixed(1)} s: ${validation.badLines} bad lines reported`,
  );

  // 2. DID registrations through the engine.
  for (const n of [1_000, 10_000, 100_000].filter((n) => n <= MAX)) {
    const file = await citizensCsv(path.join(dir, `citizens-${n}.csv`), n);
    const parsed = await parseRegistrationFile(file);
    log(
      await measureJob("did:batch-register", () =>
        registerDids(platform.didRegistry, parsed.registrations, { maxInFlight: 4 }),
      ),
    );
  }

  // 3. Invoices through the engine.
  let serial = 0;
  for (const n of [1_000, 10_000].filter((n) => n <= MAX)) {
    const file = path.join(dir, `invoices-${n}.csv`);
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const due = String(now + 60n * 86_400n);
    const lines = ["buyer,number,amount,tax,currency,dueDate,documentHash"];
    for (let i = 0; i < n; i++) {
      lines.push(`${buyer.address},TP-${++serial},1000.00,130.00,CNY,${due},${ethers.id(`invoice ${serial}`)}`);
    }
    fs.writeFileSync(file, lines.join("\n") + "\n");
    const parsed = await parseInvoiceFile(file, seller.address, now);
    if (parsed.errors.length > 0) throw new Error(`invoice file: ${parsed.errors.length} bad lines`);
    log(
      await measureJob("invoice:batch-issue", () =>
        issueInvoices(platform.invoiceRegistry.connect(seller), parsed.invoices, { maxInFlight: 4 }),
      ),
    );
  }

  const out = path.join(__dirname, "..", "bench", "throughput.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const report: ThroughputReport = { blockTimeSeconds: 1, validation, rows };
  fs.writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(path.join(__dirname, "..", "ignition", "deployments", deploymentId), { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
