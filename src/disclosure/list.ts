import { decodeBytes32String } from "ethers";
import type { DisclosureRegistry } from "../../typechain-types";

export interface DisclosureListing {
  root: string;
  publisher: string;
  category: string;
  periodOrReference: string;
  uri: string;
  block: number;
}

function categoryText(bytes32: string): string {
  try {
    return decodeBytes32String(bytes32);
  } catch {
    return bytes32;
  }
}

/**
 * Lists anchored disclosures from events, newest first, filtered by agency and category, a page at a time.
 */
export async function listDisclosures(
  registry: DisclosureRegistry,
  filter: { publisher?: string; category?: string; page?: number; pageSize?: number; fromBlock?: number } = {},
): Promise<{ items: DisclosureListing[]; total: number }> {
  const single = await registry.queryFilter(
    registry.filters.DisclosureAnchored(undefined, filter.publisher),
    filter.fromBlock ?? 0,
  );
  const batched = await registry.queryFilter(
    registry.filters.DisclosuresAnchored(filter.publisher),
    filter.fromBlock ?? 0,
  );
  const all: DisclosureListing[] = [
    ...single.map((e) => ({
      root: e.args.root,
      publisher: e.args.publisher,
      category: categoryText(e.args.category),
      periodOrReference: e.args.periodOrReference,
      uri: e.args.uri,
      block: e.blockNumber,
    })),
    ...batched.flatMap((e) =>
      e.args.anchors.map((a) => ({
        root: a.root,
        publisher: e.args.publisher,
        category: categoryText(a.category),
        periodOrReference: a.periodOrReference,
        uri: a.uri,
        block: e.blockNumber,
      })),
    ),
  ]
    .filter((d) => !filter.category || d.category === filter.category)
    .sort((a, b) => b.block - a.block);
  const pageSize = filter.pageSize ?? 20;
  const page = filter.page ?? 1;
  return { items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length };
}
