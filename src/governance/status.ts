import type { Provider } from "ethers";
import { GovAuthority } from "../../typechain-types";
import { GRANTABLE_ROLES, ROLES, RoleName } from "./roles";
import { SERVICE_NAMES, ServiceName } from "./permissions";
import { IGovService__factory, PausableUpgradeable__factory } from "../../typechain-types";

/** ERC-1967 implementation slot: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1). */
const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";

export interface ServiceStatus {
  name: string;
  proxy: string;
  implementation: string;
  version: string;
  paused: boolean;
}

export interface PlatformStatus {
  chainId: bigint;
  authority: string;
  admins: string[];
  roleHolders: Partial<Record<RoleName, { account: string; executionDelay: bigint }[]>>;
  services: ServiceStatus[];
}

/**
 * Reads the state of a deployed platform: every service with its version, implementation and pause state, and
 * the current holders of every role (rebuilt from the authority's RoleGranted/RoleRevoked events).
 */
export async function platformStatus(
  provider: Provider,
  authority: GovAuthority,
  services: Record<ServiceName, string>,
  fromBlock = 0,
): Promise<PlatformStatus> {
  const { chainId } = await provider.getNetwork();
  const candidates = new Map<bigint, Set<string>>();
  for (const event of await authority.queryFilter(authority.filters.RoleGranted(), fromBlock)) {
    const set = candidates.get(event.args.roleId) ?? new Set<string>();
    set.add(event.args.account);
    candidates.set(event.args.roleId, set);
  }
  const holders = async (roleId: bigint) => {
    const out: { account: string; executionDelay: bigint }[] = [];
    for (const account of candidates.get(roleId) ?? []) {
      const [isMember, executionDelay] = await authority.hasRole(roleId, account);
      if (isMember) out.push({ account, executionDelay });
    }
    return out;
  };
  const roleHolders: PlatformStatus["roleHolders"] = {};
  for (const role of GRANTABLE_ROLES) roleHolders[role] = await holders(ROLES[role].id);
  const admins = (await holders(ROLES.ADMIN.id)).map((h) => h.account);

  const serviceStatus: ServiceStatus[] = [];
  for (const name of SERVICE_NAMES) {
    const proxy = services[name];
    if (!proxy) continue;
    const slot = await provider.getStorage(proxy, IMPLEMENTATION_SLOT);
    serviceStatus.push({
      name,
      proxy,
      implementation: "0x" + slot.slice(26),
      version: await IGovService__factory.connect(proxy, provider).version(),
      paused: await PausableUpgradeable__factory.connect(proxy, provider).paused(),
    });
  }
  return { chainId, authority: await authority.getAddress(), admins, roleHolders, services: serviceStatus };
}

export function formatStatus(status: PlatformStatus): string {
  const lines = [`GovChain platform on chain ${status.chainId}`, `  ${"GovAuthority".padEnd(18)} ${status.authority}`];
  for (const s of status.services) {
    lines.push(
      `  ${s.name.padEnd(18)} ${s.proxy}  v${s.version}  impl ${s.implementation}${s.paused ? "  PAUSED" : ""}`,
    );
  }
  lines.push("Role holders:", `  ${"ADMIN".padEnd(18)} ${status.admins.join(", ") || "(none)"}`);
  for (const [role, holders] of Object.entries(status.roleHolders)) {
    const text = holders.map((h) => (h.executionDelay > 0n ? `${h.account} (delay ${h.executionDelay}s)` : h.account));
    lines.push(`  ${role.padEnd(18)} ${text.join(", ") || "(none)"}`);
  }
  return lines.join("\n");
}
