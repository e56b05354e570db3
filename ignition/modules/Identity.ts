import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import AuthorityModule from "./GovAuthority";
import { deployService } from "./service";

/** The identity service: DIDRegistry behind its proxy, managed by the network's GovAuthority. */
export default buildModule("Identity", (m) => {
  const { authority } = m.useModule(AuthorityModule);
  const didRegistry = deployService(m, "DIDRegistry", [authority]);
  return { didRegistry };
});
