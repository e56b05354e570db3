import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { Future } from "@nomicfoundation/ignition-core";
import AuthorityModule from "./GovAuthority";
import IdentityModule from "./Identity";
import DisclosureModule from "./Disclosure";
import InvoiceModule from "./Invoice";
import AgreementModule from "./Agreement";
import { ROLES, GRANTABLE_ROLES } from "../../src/governance/roles";
import { permissionRows } from "../../src/governance/permissions";

/**
 * The whole GovChain platform: the authority, every service behind its proxy, the permission table wired in,
 * role holders granted, delays set, and ADMIN handed to the consortium.
 *
 * Parameters (ignition/parameters/<network>.json, under "GovPlatform"):
 * - admin: the consortium's multisig or timelock (default: the deploying account)
 * - adminDelay: seconds ADMIN waits between scheduling and executing an admin action (default 0)
 * - upgradeDelay: seconds each UPGRADER waits between scheduling and executing an upgrade (default 0)
 * - grantDelay: seconds before a newly granted role takes effect, for every grantable role (default 0)
 * - targetAdminDelay: seconds before a change to a service's permissions takes effect (default 0)
 * - one list of accounts per grantable role: registrars, accreditors, issuers, publishers, taxAuthorities,
 *   arbiters, pausers, upgraders, relayers (default: none)
 */
export const ROLE_HOLDER_PARAMETERS = {
  REGISTRAR: "registrars",
  ACCREDITOR: "accreditors",
  ISSUER: "issuers",
  PUBLISHER: "publishers",
  TAX_AUTHORITY: "taxAuthorities",
  ARBITER: "arbiters",
  PAUSER: "pausers",
  UPGRADER: "upgraders",
  RELAYER: "relayers",
} as const;

export default buildModule("GovPlatform", (m) => {
  const { authority } = m.useModule(AuthorityModule);

  const admin = m.getParameter("admin", m.getAccount(0));
  const adminDelay = m.getParameter("adminDelay", 0);
  const upgradeDelay = m.getParameter("upgradeDelay", 0);
  const grantDelay = m.getParameter("grantDelay", 0);
  const targetAdminDelay = m.getParameter("targetAdminDelay", 0);

  const { didRegistry, credentialRegistry } = m.useModule(IdentityModule);
  const { disclosureRegistry } = m.useModule(DisclosureModule);
  const { invoiceRegistry } = m.useModule(InvoiceModule);
  const { agreementEscrow } = m.useModule(AgreementModule);

  // Every service by its name in the permission table: name -> proxy future with the service's ABI.
  const services = {
    DIDRegistry: didRegistry,
    CredentialRegistry: credentialRegistry,
    DisclosureRegistry: disclosureRegistry,
    InvoiceRegistry: invoiceRegistry,
    AgreementEscrow: agreementEscrow,
  };

  const setup: Future[] = [];
  for (const role of [...GRANTABLE_ROLES]) {
    setup.push(m.call(authority, "labelRole", [ROLES[role].id, ROLES[role].label], { id: `label_${role}` }));
  }
  for (const row of permissionRows()) {
    const target = services[row.service];
    setup.push(
      m.call(authority, "setTargetFunctionRole", [target, row.selectors, row.roleId], {
        id: `wire_${row.service}_${row.role}`,
      }),
    );
  }
  const grants: Future[] = [];
  for (const role of GRANTABLE_ROLES) {
    const holders = m.getParameter<string[]>(ROLE_HOLDER_PARAMETERS[role], []);
    const delay = role === "UPGRADER" ? upgradeDelay : 0;
    grants.push(
      m.call(authority, "grantRoles", [ROLES[role].id, holders, delay], { id: `grant_${role}`, after: setup }),
    );
  }
  // Delays last: a grant delay set before the grants would hold back the holders named here.
  const delays: Future[] = [];
  for (const role of GRANTABLE_ROLES) {
    delays.push(
      m.call(authority, "setGrantDelay", [ROLES[role].id, grantDelay], { id: `grantDelay_${role}`, after: grants }),
    );
  }
  for (const [name, target] of Object.entries(services)) {
    delays.push(
      m.call(authority, "setTargetAdminDelay", [target, targetAdminDelay], { id: `adminDelay_${name}`, after: grants }),
    );
  }
  m.call(authority, "transferAdmin", [admin, adminDelay], { id: "handOverAdmin", after: delays });

  return { authority, ...services };
});
