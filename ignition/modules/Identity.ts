import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import AuthorityModule from "./GovAuthority";
import { deployService } from "./service";

/** The identity service: DIDRegistry and CredentialRegistry behind their proxies, managed by the GovAuthority. */
export default buildModule("Identity", (m) => {
  const { authority } = m.useModule(AuthorityModule);
  const didRegistry = deployService(m, "DIDRegistry", [authority]);
  const credentialRegistry = deployService(m, "CredentialRegistry", [authority, didRegistry]);
  return { didRegistry, credentialRegistry };
});
