import fs from "node:fs";
import readline from "node:readline";

/** One problem in an input file: the line (1-based, header is line 1), the field and what is wrong. */
export interface LineError {
  line: number;
  field: string;
  message: string;
}

export function formatLineErrors(file: string, errors: LineError[], limit = 50): string {
  const shown = errors.slice(0, limit).map((e) => `  ${file}:${e.line} field "${e.field}": ${e.message}`);
  if (errors.length > limit) shown.push(`  ... and ${errors.length - limit} more`);
  return `${errors.length} bad line(s) in ${file}; nothing was sent:\n${shown.join("\n")}`;
}

/** Splits one CSV line (RFC 4180 quoting, no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(field);
      field = "";
    } else field += c;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

/**
 * Streams a CSV (header line first) or JSONL file of any size, yielding each record as a map of column to text
 * with its line number. Blank lines are skipped.
 */
export async function* readRecords(file: string): AsyncGenerator<{ line: number; fields: Record<string, string> }> {
  const jsonl = file.endsWith(".jsonl") || file.endsWith(".ndjson");
  const rl = readline.createInterface({ input: fs.createReadStream(file, "utf8"), crlfDelay: Infinity });
  let header: string[] | undefined;
  let line = 0;
  for await (const raw of rl) {
    line++;
    if (raw.trim() === "") continue;
    if (jsonl) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch (error) {
        yield { line, fields: { __error: `not valid JSON: ${(error as Error).message}` } };
        continue;
      }
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) fields[k] = v == null ? "" : String(v);
      yield { line, fields };
      continue;
    }
    const cells = splitCsvLine(raw);
    if (!header) {
      header = cells;
      continue;
    }
    const fields: Record<string, string> = {};
    header.forEach((name, i) => (fields[name] = cells[i] ?? ""));
    if (cells.length !== header.length) {
      fields.__error = `has ${cells.length} fields, the header has ${header.length}`;
    }
    yield { line, fields };
  }
}
