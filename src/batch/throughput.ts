import type { BatchSummary } from "./engine";

/** One batch job measured by the throughput benchmark (bench/throughput.json). */
export interface ThroughputRow {
  job: string;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  gasPerRecord: number;
  transactions: number;
}

/** bench/throughput.json: what `scripts/bench-throughput.ts` writes and `npm run bench` tabulates. */
export interface ThroughputReport {
  blockTimeSeconds: number;
  validation: { lines: number; badLines: number; seconds: number };
  rows: ThroughputRow[];
}

/** Runs a batch job and measures it: wall time, records per second, gas per record. */
export async function measureJob(job: string, run: () => Promise<BatchSummary>): Promise<ThroughputRow> {
  const started = Date.now();
  const summary = await run();
  const seconds = (Date.now() - started) / 1000;
  return {
    job,
    records: summary.records,
    seconds,
    recordsPerSecond: summary.records / seconds,
    gasPerRecord: Number(summary.gasUsed / BigInt(Math.max(summary.records, 1))),
    transactions: summary.transactions,
  };
}
