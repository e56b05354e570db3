import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import AuthorityModule from "./GovAuthority";
import { deployService } from "./service";

/** The agreement service: AgreementEscrow behind its proxy; its arbiters are the GovAuthority's ARBITERs. */
export default buildModule("Agreement", (m) => {
  const { authority } = m.useModule(AuthorityModule);
  const agreementEscrow = deployService(m, "AgreementEscrow", [authority]);
  return { agreementEscrow };
});
