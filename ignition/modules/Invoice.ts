import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import AuthorityModule from "./GovAuthority";
import IdentityModule from "./Identity";
import { deployService } from "./service";

/** The invoice service: InvoiceRegistry behind its proxy, reading sellers' DIDs from the identity service. */
export default buildModule("Invoice", (m) => {
  const { authority } = m.useModule(AuthorityModule);
  const { didRegistry } = m.useModule(IdentityModule);
  const invoiceRegistry = deployService(m, "InvoiceRegistry", [authority, didRegistry]);
  return { invoiceRegistry };
});
