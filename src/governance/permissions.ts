import { id as keccakId } from "ethers";
import { ROLES, RoleName } from "./roles";

/**
 * Who may call what: every restricted function of every service, by role, in one readable table.
 * The Ignition module `GovPlatform` wires exactly this table into the GovAuthority; `platform:status` and the
 * wiring test read it back. A function not listed here and marked `restricted` stays ADMIN-only.
 */
export type PermissionTable = Partial<Record<RoleName, readonly string[]>>;

/** Every service: PAUSER stops it fast, ADMIN restarts it, UPGRADER upgrades it after its execution delay. */
export const SERVICE_BASE_PERMISSIONS = {
  PAUSER: ["pause()"],
  ADMIN: ["unpause()"],
  UPGRADER: ["upgradeToAndCall(address,bytes)"],
} as const satisfies PermissionTable;

export const PERMISSIONS = {
  DIDRegistry: {
    ...SERVICE_BASE_PERMISSIONS,
    REGISTRAR: [
      "register((address,address,uint8,bytes32),bytes32,string)",
      "registerBatch((address,address,uint8,bytes32)[])",
      "registrarDeactivate(address,bytes32)",
    ],
  },
  CredentialRegistry: {
    ...SERVICE_BASE_PERMISSIONS,
    ACCREDITOR: [
      "registerSchema(string,uint32,bytes32,string)",
      "accreditOrganization(address,uint40,uint40)",
      "revokeOrganization(address)",
    ],
  },
  DisclosureRegistry: {
    ...SERVICE_BASE_PERMISSIONS,
    PUBLISHER: [
      "anchor((bytes32,bytes32,uint8,uint40,string,string))",
      "anchorBatch((bytes32,bytes32,uint8,uint40,string,string)[])",
      "anchorCoSigned((bytes32,bytes32,uint8,uint40,string,string),address[],uint8)",
      "amend(bytes32,(bytes32,bytes32,uint8,uint40,string,string))",
      "retract(bytes32,uint16,bytes32)",
      "revokeDocuments(bytes32,uint256[])",
    ],
  },
  InvoiceRegistry: {
    ...SERVICE_BASE_PERMISSIONS,
    TAX_AUTHORITY: [
      "registerParticipant(address,uint8)",
      "freeze(uint256,bytes32)",
      "unfreeze(uint256,bytes32)",
      "setPaymentToken(address,uint16,uint64)",
      "setSettings(int32,uint32)",
    ],
  },
  // setTokenAllowed stays with ADMIN (the consortium): which tokens may sit in escrow is a network decision.
  AgreementEscrow: {
    ...SERVICE_BASE_PERMISSIONS,
  },
} as const satisfies Record<string, PermissionTable>;

export type ServiceName = keyof typeof PERMISSIONS;
export const SERVICE_NAMES = Object.keys(PERMISSIONS) as ServiceName[];

export function selectorOf(signature: string): string {
  return keccakId(signature).slice(0, 10);
}

/** The table flattened: one row per (service, role) with the selectors to wire. */
export function permissionRows(): {
  service: ServiceName;
  role: RoleName;
  roleId: bigint;
  signatures: string[];
  selectors: string[];
}[] {
  const rows = [];
  for (const service of SERVICE_NAMES) {
    const table: PermissionTable = PERMISSIONS[service];
    for (const role of Object.keys(table) as RoleName[]) {
      const signatures = [...(table[role] ?? [])];
      rows.push({ service, role, roleId: ROLES[role].id, signatures, selectors: signatures.map(selectorOf) });
    }
  }
  return rows;
}
