import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The network's GovAuthority, first administered by the deploying account (GovPlatform hands it over).
 * Parameter `minSetback`: seconds before any change of a delay applies (default 5 days; 0 on local chains).
 */
export default buildModule("GovAuthority", (m) => {
  const minSetback = m.getParameter("minSetback", 5 * 24 * 3600);
  const authority = m.contract("GovAuthority", [m.getAccount(0), minSetback]);
  return { authority };
});
