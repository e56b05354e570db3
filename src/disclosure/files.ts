import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { keccak_256 } from "@noble/hashes/sha3";

/** Mirrors IDisclosureRegistry.HashAlgorithm. */
export enum HashAlgorithm {
  Keccak256 = 0,
  Sha256 = 1,
  Sm3 = 2,
}

export function parseHashAlgorithm(text: string): HashAlgorithm {
  const found = { keccak256: HashAlgorithm.Keccak256, sha256: HashAlgorithm.Sha256, sm3: HashAlgorithm.Sm3 }[
    text.trim().toLowerCase().replace("-", "")
  ];
  if (found === undefined) throw new Error(`hash algorithm must be keccak256, sha256 or sm3, not "${text}"`);
  return found;
}

/** Hashes a file of any size as a stream; returns 0x-prefixed hex. */
export async function hashFile(file: string, algorithm: HashAlgorithm): Promise<string> {
  const hasher =
    algorithm === HashAlgorithm.Keccak256
      ? (() => {
          const h = keccak_256.create();
          return { update: (b: Buffer) => h.update(b), digest: () => Buffer.from(h.digest()).toString("hex") };
        })()
      : (() => {
          const h = createHash(algorithm === HashAlgorithm.Sha256 ? "sha256" : "sm3");
          return { update: (b: Buffer) => h.update(b), digest: () => h.digest("hex") };
        })();
  for await (const chunk of fs.createReadStream(file)) hasher.update(chunk as Buffer);
  return "0x" + hasher.digest();
}

/** Every file under `dir` (recursively), as paths relative to `dir`, in a stable order. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  walk("");
  return out.sort();
}
