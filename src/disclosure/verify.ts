import type { DisclosureRegistry } from "../../typechain-types";
import { toDid } from "../identity/did";
import { HashAlgorithm, hashFile } from "./files";
import { disclosureLeaf, type DisclosureReceipt } from "./publish";

/** Mirrors IDisclosureRegistry.DocumentStatus. */
export const DOCUMENT_STATUS = [
  "Active",
  "NotAnchored",
  "InvalidProof",
  "Embargoed",
  "PendingCoSignature",
  "Amended",
  "Retracted",
  "Revoked",
] as const;
export type DocumentStatusName = (typeof DOCUMENT_STATUS)[number];

export interface Verdict {
  ok: boolean;
  status: DocumentStatusName;
  documentHash: string;
  root?: string;
  publisherDid?: string;
  anchoredAt?: Date;
  anchoredBlock?: number;
  publishAt?: Date;
  latest?: string;
  retraction?: { at: Date; reasonCode: number };
}

/**
 * Recomputes a file's hash and checks it on chain: with its receipt (a file of a published folder), or without one
 * for a document anchored on its own (its root is its own leaf), trying each hash algorithm.
 */
export async function verifyFile(
  registry: DisclosureRegistry,
  file: string,
  receipt?: DisclosureReceipt,
): Promise<Verdict> {
  const candidates = receipt
    ? [
        {
          algorithm: HashAlgorithm[receipt.hashAlgorithm],
          root: receipt.root,
          index: receipt.index,
          proof: receipt.proof,
        },
      ]
    : [HashAlgorithm.Keccak256, HashAlgorithm.Sha256, HashAlgorithm.Sm3].map((algorithm) => ({
        algorithm,
        root: "",
        index: 0,
        proof: [] as string[],
      }));
  // The first algorithm's result stands unless another one finds the document.
  let verdict: Verdict | undefined;
  for (const c of candidates) {
    const documentHash = await hashFile(file, c.algorithm);
    const root = c.root || disclosureLeaf(documentHash, 0);
    const status = DOCUMENT_STATUS[Number(await registry.verifyDocument(root, documentHash, c.index, c.proof))];
    if (!verdict || status !== "NotAnchored") verdict = { ok: status === "Active", status, documentHash, root };
    if (status !== "NotAnchored") break;
  }
  if (!verdict || verdict.status === "NotAnchored" || verdict.status === "InvalidProof") return verdict!;
  const record = await registry.recordOf(verdict.root!);
  const { chainId } = await registry.runner!.provider!.getNetwork();
  verdict.publisherDid = toDid(chainId, record.publisher);
  verdict.anchoredAt = new Date(Number(record.anchoredAt) * 1000);
  verdict.anchoredBlock = Number(record.anchoredBlock);
  verdict.publishAt = new Date(Number(record.publishAt) * 1000);
  if (record.amendedBy !== "0x" + "00".repeat(32)) verdict.latest = await registry.latest(verdict.root!);
  if (record.retractedAt > 0n) {
    verdict.retraction = {
      at: new Date(Number(record.retractedAt) * 1000),
      reasonCode: Number(record.retractionReason),
    };
  }
  return verdict;
}

/** A plain-language verdict for a citizen. */
export function formatVerdict(file: string, v: Verdict): string {
  const head = `${file}: ${v.ok ? "PUBLISHED" : "NOT VALID"} (${v.status})`;
  if (!v.publisherDid) {
    return v.status === "InvalidProof"
      ? `${head}\n  This file is not the one the receipt was issued for: it was changed, or the receipt is for another file.`
      : `${head}\n  No agency anchored this file (hash ${v.documentHash}).`;
  }
  const lines = [
    head,
    `  published by ${v.publisherDid}`,
    `  anchored ${v.anchoredAt!.toISOString()} in block ${v.anchoredBlock}; public from ${v.publishAt!.toISOString()}`,
  ];
  if (v.status === "Amended") lines.push(`  amended: the latest version is record ${v.latest}`);
  if (v.retraction) lines.push(`  retracted ${v.retraction.at.toISOString()}, reason code ${v.retraction.reasonCode}`);
  if (v.status === "Revoked") lines.push("  this document was revoked inside its batch");
  if (v.status === "Embargoed") lines.push("  embargoed: not public yet");
  if (v.status === "PendingCoSignature") lines.push("  waiting for its co-signatures");
  return lines.join("\n");
}
