/**
 * The role catalogue of a GovChain network: ids, labels and duties. Mirrors `contracts/governance/GovRoles.sol`
 * (a test proves they agree). The Ignition module labels every role on chain with these labels.
 */
export const ROLES = {
  ADMIN: { id: 0n, label: "ADMIN", duty: "the consortium: a multisig or timelock in production" },
  REGISTRAR: { id: 1n, label: "REGISTRAR", duty: "identity bureau: registers DIDs" },
  ACCREDITOR: {
    id: 2n,
    label: "ACCREDITOR",
    duty: "the consortium's accreditation body: accredits ministries, registers credential schemas",
  },
  ISSUER: {
    id: 3n,
    label: "ISSUER",
    duty: "reserved; credential issuers are checked by their per-schema accreditation, not by this role",
  },
  PUBLISHER: { id: 4n, label: "PUBLISHER", duty: "agency anchoring public disclosures" },
  TAX_AUTHORITY: { id: 5n, label: "TAX_AUTHORITY", duty: "registers taxpayers, oversees and freezes invoices" },
  ARBITER: { id: 6n, label: "ARBITER", duty: "rules on disputed agreement milestones" },
  PAUSER: { id: 7n, label: "PAUSER", duty: "stops one service fast in an incident" },
  UPGRADER: { id: 8n, label: "UPGRADER", duty: "upgrades a service after its execution delay" },
  RELAYER: { id: 9n, label: "RELAYER", duty: "gateway relaying EIP-712 signed operations" },
  PUBLIC: { id: 2n ** 64n - 1n, label: "PUBLIC", duty: "anyone" },
} as const;

export type RoleName = keyof typeof ROLES;

/** Roles that accounts can be granted (ADMIN moves with `transferAdmin`; PUBLIC is everyone's). */
export const GRANTABLE_ROLES = (Object.keys(ROLES) as RoleName[]).filter((r) => r !== "ADMIN" && r !== "PUBLIC");
