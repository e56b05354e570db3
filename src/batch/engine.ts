import fs from "node:fs";
import { keccak256, toUtf8Bytes, type Signer, type TransactionRequest } from "ethers";
import { withRetry } from "./retry";

/**
 * The batch engine behind every bulk job (did:batch-register, credential:batch-issue, ...): packs records into
 * batch calls sized to the block gas limit, sends them with pipelined nonces (several transactions in flight),
 * keeps an append-only journal so that a crash or a dead node resumes exactly where it stopped, and waits out an
 * RPC endpoint that drops away. Every record lands exactly once: a chunk is one transaction (all or nothing), and
 * on resume whatever the journal cannot vouch for is checked against the chain before anything is sent again.
 */
export interface BatchJob<R> {
  /** Names the job in the journal, e.g. "did:batch-register". */
  name: string;
  records: R[];
  /** A stable unique key per record (the DID, the issuer's status index...). */
  keyOf(record: R): string;
  /** Which of these records the chain already holds. */
  isRecorded(records: R[]): Promise<boolean[]>;
  /** The batch call for a chunk of records. */
  buildTx(records: R[]): Promise<TransactionRequest>;
}

export interface BatchOptions {
  signer: Signer;
  /** Journal file (JSON lines); without one, nothing survives a crash (fine for small in-process jobs). */
  journal?: string;
  /** Continue the job of an existing journal. Without it an existing journal is refused. */
  resume?: boolean;
  /** Records per transaction; default: what fits half a block, from a gas estimate. */
  chunkSize?: number;
  /** Facts of the job a resumed run must reuse (e.g. the first status index handed out), kept in the journal. */
  meta?: Record<string, string>;
  /** Transactions in flight at once (default 4). */
  maxInFlight?: number;
  /** How long to wait for an unreachable RPC endpoint before giving up (ms, default 2 minutes). */
  patience?: number;
  onProgress?: (recordsDone: number) => void;
  log?: (line: string) => void;
}

export interface BatchSummary {
  records: number;
  /** Records found already on chain (on resume) and not sent again. */
  alreadyRecorded: number;
  transactions: number;
  gasUsed: bigint;
  seconds: number;
  failures: { keys: string[]; reason: string }[];
}

type JournalEntry =
  | { type: "job"; name: string; total: number; digest: string; meta?: Record<string, string> }
  | { type: "sent"; chunk: number; keys: string[]; nonce: number; hash: string }
  | { type: "mined"; chunk: number; hash: string; block: number; gasUsed: string; ok: boolean };

function digestOf(keys: string[]): string {
  return keccak256(toUtf8Bytes(keys.join("\n")));
}

function readJournal(file: string): JournalEntry[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as JournalEntry];
      } catch {
        return []; // a line torn by a crash mid-write carries nothing the chain cannot tell us
      }
    });
}

/** The `meta` a job recorded in its journal, for a resumed run to rebuild the same records. */
export function journalMeta(file: string): Record<string, string> {
  if (!fs.existsSync(file)) throw new Error(`No journal ${file} to resume`);
  const header = readJournal(file).find((e) => e.type === "job");
  return (header as { meta?: Record<string, string> } | undefined)?.meta ?? {};
}

export async function runBatch<R>(job: BatchJob<R>, options: BatchOptions): Promise<BatchSummary> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const provider = options.signer.provider!;
  const retry = <T>(call: () => Promise<T>) =>
    withRetry(call, {
      patience: options.patience,
      onWait: (attempt) => attempt === 1 && log("RPC endpoint unreachable: waiting for it to come back..."),
    });
  const keys = job.records.map((r) => job.keyOf(r));
  const byKey = new Map(job.records.map((r, i) => [keys[i], r]));
  if (byKey.size !== keys.length) throw new Error(`${job.name}: the input has duplicate records`);
  const digest = digestOf(keys);
  const summary: BatchSummary = {
    records: 0,
    alreadyRecorded: 0,
    transactions: 0,
    gasUsed: 0n,
    seconds: 0,
    failures: [],
  };

  // 1. What is already done: from the journal (receipts) and, for the rest, from the chain itself.
  let pending = job.records;
  // Chunk ids continue after those an earlier run journaled, so every journal line names a chunk once.
  let chunkBase = 0;
  const journalFile = options.journal;
  if (journalFile && fs.existsSync(journalFile)) {
    if (!options.resume)
      throw new Error(`Journal ${journalFile} exists: resume with --resume, or remove it to start over`);
    const entries = readJournal(journalFile);
    const header = entries.find((e) => e.type === "job");
    if (!header || header.digest !== digest) {
      throw new Error(`Journal ${journalFile} belongs to another job or input file; it was not resumed`);
    }
    const mined = new Set<string>();
    const sent = entries.filter((e): e is Extract<JournalEntry, { type: "sent" }> => e.type === "sent");
    chunkBase = sent.length;
    const minedChunks = new Set(
      entries.filter((e) => e.type === "mined" && e.ok).map((e) => (e as { chunk: number }).chunk),
    );
    for (const s of sent) {
      if (minedChunks.has(s.chunk)) s.keys.forEach((k) => mined.add(k));
      else {
        const receipt = await retry(() => provider.getTransactionReceipt(s.hash));
        if (receipt?.status === 1) s.keys.forEach((k) => mined.add(k));
      }
    }
    const unknown = job.records.filter((r) => !mined.has(job.keyOf(r)));
    const onChain = unknown.length > 0 ? await retry(() => job.isRecorded(unknown)) : [];
    pending = unknown.filter((_, i) => !onChain[i]);
    summary.alreadyRecorded = job.records.length - pending.length;
    log(`Resuming ${job.name}: ${summary.alreadyRecorded} of ${job.records.length} records already on chain`);
    options.onProgress?.(summary.alreadyRecorded);
  } else {
    if (options.resume) throw new Error(`No journal ${journalFile} to resume`);
    if (journalFile) {
      const header = { type: "job", name: job.name, total: keys.length, digest, meta: options.meta };
      fs.writeFileSync(journalFile, JSON.stringify(header) + "\n");
    }
    // A file run again without its journal: what the chain already holds is not sent twice.
    const onChain = await retry(() => job.isRecorded(job.records));
    pending = job.records.filter((_, i) => !onChain[i]);
    summary.alreadyRecorded = job.records.length - pending.length;
    options.onProgress?.(summary.alreadyRecorded);
  }
  const journal = (entry: JournalEntry) => journalFile && fs.appendFileSync(journalFile, JSON.stringify(entry) + "\n");

  // 2. Chunk size: what fits in half a block, from the estimate of a sample chunk.
  let chunkSize = options.chunkSize;
  if (!chunkSize && pending.length > 0) {
    const sample = pending.slice(0, Math.min(50, pending.length));
    const gas = await retry(async () => options.signer.estimateGas(await job.buildTx(sample)));
    const block = await retry(() => provider.getBlock("latest"));
    const perRecord = Number(gas) / sample.length;
    chunkSize = Math.max(1, Math.min(1000, Math.floor((Number(block!.gasLimit) * 0.5) / perRecord)));
  }
  const chunks: R[][] = [];
  for (let i = 0; i < pending.length; i += chunkSize ?? 1) chunks.push(pending.slice(i, i + (chunkSize ?? 1)));

  // 3. Send with pipelined nonces; wait for receipts as the window fills.
  const from = await options.signer.getAddress();
  let nonce = await retry(() => provider.getTransactionCount(from, "pending"));
  const inFlight: Promise<void>[] = [];
  const unsure: R[][] = [];
  const settle = async (chunk: R[], id: number, hash: string) => {
    for (;;) {
      const receipt = await retry(() => provider.getTransactionReceipt(hash));
      if (receipt) {
        journal({
          type: "mined",
          chunk: id,
          hash,
          block: receipt.blockNumber,
          gasUsed: receipt.gasUsed.toString(),
          ok: receipt.status === 1,
        });
        summary.gasUsed += receipt.gasUsed;
        if (receipt.status === 1) summary.records += chunk.length;
        else summary.failures.push({ keys: chunk.map(job.keyOf), reason: `transaction ${hash} reverted` });
        options.onProgress?.(chunk.length);
        return;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const maxInFlight = options.maxInFlight ?? 4;
  for (const [n, chunk] of chunks.entries()) {
    const id = chunkBase + n;
    while (inFlight.length >= maxInFlight) await inFlight.shift();
    const request = await job.buildTx(chunk);
    let hash: string | undefined;
    try {
      const gasLimit = await retry(async () => options.signer.estimateGas({ ...request, from }));
      const tx = await retry(() =>
        options.signer.sendTransaction({ ...request, nonce, gasLimit: (gasLimit * 12n) / 10n }),
      );
      hash = tx.hash;
    } catch (error) {
      // The node took the transaction before the connection broke (the retry then hit "already known" or "nonce
      // too low"): settle the chunk against the chain below instead of guessing.
      if (/nonce too low|already known|nonce has already been used/i.test(String(error))) {
        unsure.push(chunk);
        nonce = await retry(() => provider.getTransactionCount(from, "pending"));
        continue;
      }
      summary.failures.push({ keys: chunk.map(job.keyOf), reason: (error as Error).message.split("\n")[0] });
      continue;
    }
    summary.transactions++;
    journal({ type: "sent", chunk: id, keys: chunk.map(job.keyOf), nonce, hash });
    nonce++;
    inFlight.push(settle(chunk, id, hash));
  }
  await Promise.all(inFlight);

  // 4. Whatever an outage left unsure: recorded on chain, or sent once more.
  for (const [n, chunk] of unsure.entries()) {
    const onChain = await retry(() => job.isRecorded(chunk));
    if (onChain.every(Boolean)) {
      summary.records += chunk.length;
      options.onProgress?.(chunk.length);
      continue;
    }
    const tx = await retry(async () => options.signer.sendTransaction(await job.buildTx(chunk)));
    journal({
      type: "sent",
      chunk: chunkBase + chunks.length + n,
      keys: chunk.map(job.keyOf),
      nonce: tx.nonce,
      hash: tx.hash,
    });
    summary.transactions++;
    await settle(chunk, chunkBase + chunks.length + n, tx.hash);
  }
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}
