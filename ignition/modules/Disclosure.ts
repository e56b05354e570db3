import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import AuthorityModule from "./GovAuthority";
import { deployService } from "./service";

/** The disclosure service: DisclosureRegistry behind its proxy, managed by the network's GovAuthority. */
export default buildModule("Disclosure", (m) => {
  const { authority } = m.useModule(AuthorityModule);
  const disclosureRegistry = deployService(m, "DisclosureRegistry", [authority]);
  return { disclosureRegistry };
});
