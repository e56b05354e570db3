/**
 * A point in time as operators write it: "2027-01-01", "2027-01-01T00:00:00Z" or unix seconds; empty means 0
 * (no bound). Throws a message naming the value when it is neither.
 */
export function parseTime(value: string | undefined): bigint {
  if (!value) return 0n;
  if (/^[0-9]+$/.test(value)) return BigInt(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`"${value}" is neither a date nor unix seconds`);
  return BigInt(Math.floor(ms / 1000));
}
