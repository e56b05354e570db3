import fs from "node:fs";
import path from "node:path";
import { AbiCoder, encodeBytes32String, isHexString, keccak256 } from "ethers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { DisclosureRegistry } from "../../typechain-types";
import type { IDisclosureRegistry } from "../../typechain-types/contracts/disclosure/DisclosureRegistry";
import { HashAlgorithm, hashFile, listFiles } from "./files";

/** What a citizen keeps with a published file to prove it is the published one. */
export interface DisclosureReceipt {
  file: string;
  documentHash: string;
  hashAlgorithm: keyof typeof HashAlgorithm;
  index: number;
  proof: string[];
  root: string;
  publisher: string;
  registry: string;
  chainId: string;
  transaction: string;
}

export const LEAF_TYPES = ["bytes32", "uint256"];

/** The Merkle tree of a list of document hashes, leaf i = (hash_i, i), as the registry checks it. */
export function disclosureTree(hashes: string[]) {
  return StandardMerkleTree.of(
    hashes.map((h, i) => [h, i]),
    LEAF_TYPES,
  );
}

/** A document's leaf, as DisclosureRegistry.leafOf computes it; a document anchored alone has it as its root. */
export function disclosureLeaf(documentHash: string, index: number): string {
  return keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(LEAF_TYPES, [documentHash, index])));
}

export function categoryOf(text: string): string {
  return isHexString(text, 32) ? text : encodeBytes32String(text);
}

export interface AnchorFolderOptions {
  dir: string;
  category: string;
  uri: string;
  reference?: string;
  algorithm?: HashAlgorithm;
  publishAt?: bigint;
  /** Where to write one receipt per file (default: none written). */
  receiptsDir?: string;
  /** An earlier root this folder amends (a new version of it). */
  amends?: string;
  onHashed?: (count: number) => void;
}

/**
 * Hashes every file of a folder as a stream, builds the tree, anchors its root (or amends an earlier root with it)
 * and writes one receipt per file: the whole folder in one transaction, whatever its size.
 */
export async function anchorFolder(
  registry: DisclosureRegistry,
  publisher: string,
  options: AnchorFolderOptions,
): Promise<{ root: string; receipts: DisclosureReceipt[]; transaction: string }> {
  const files = listFiles(options.dir);
  if (files.length === 0) throw new Error(`${options.dir} has no files to anchor`);
  const algorithm = options.algorithm ?? HashAlgorithm.Keccak256;
  const hashes: string[] = [];
  for (const file of files) {
    hashes.push(await hashFile(path.join(options.dir, file), algorithm));
    options.onHashed?.(1);
  }
  const tree = disclosureTree(hashes);
  const anchor: IDisclosureRegistry.AnchorStruct = {
    root: tree.root,
    category: categoryOf(options.category),
    hashAlgorithm: algorithm,
    publishAt: options.publishAt ?? 0n,
    periodOrReference: options.reference ?? "",
    uri: options.uri,
  };
  const tx = options.amends ? await registry.amend(options.amends, anchor) : await registry.anchor(anchor);
  await tx.wait();
  const { chainId } = await registry.runner!.provider!.getNetwork();
  const registryAddress = await registry.getAddress();
  const receipts: DisclosureReceipt[] = [...tree.entries()].map(([i, [documentHash, index]]) => ({
    file: files[i],
    documentHash: documentHash as string,
    hashAlgorithm: HashAlgorithm[algorithm] as keyof typeof HashAlgorithm,
    index: Number(index),
    proof: tree.getProof(i),
    root: tree.root,
    publisher,
    registry: registryAddress,
    chainId: chainId.toString(),
    transaction: tx.hash,
  }));
  if (options.receiptsDir) {
    for (const receipt of receipts) {
      const out = path.join(options.receiptsDir, `${receipt.file}.receipt.json`);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, JSON.stringify(receipt, null, 2) + "\n");
    }
  }
  return { root: tree.root, receipts, transaction: tx.hash };
}
