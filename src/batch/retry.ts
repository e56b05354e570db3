/** Whether an error means "the RPC endpoint is unreachable for now" (worth waiting for), not "the call is bad". */
export function isTransient(error: unknown): boolean {
  const e = error as { code?: string; message?: string; cause?: { code?: string } } | undefined;
  const text = `${e?.code ?? ""} ${e?.cause?.code ?? ""} ${e?.message ?? ""}`;
  return /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|socket hang up|fetch failed|Cannot connect to the network|NETWORK_ERROR|TIMEOUT|other side closed|terminated/i.test(
    text,
  );
}

export interface RetryOptions {
  /** Give up after this long without a successful call (ms). */
  patience?: number;
  onWait?: (attempt: number, error: unknown) => void;
}

/**
 * Runs `call`, waiting out an unreachable RPC endpoint with backoff (0.25 s doubling to 5 s) for up to `patience`
 * (default 2 minutes). Any other error is thrown at once.
 */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.patience ?? 120_000);
  let delay = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isTransient(error) || Date.now() > deadline) throw error;
      options.onWait?.(attempt, error);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5_000);
    }
  }
}
