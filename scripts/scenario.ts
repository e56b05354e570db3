import hre from "hardhat";
import { deployPlatform } from "../src/platform";
import { formatStatus, platformStatus } from "../src/governance/status";
import { runDisclosureScenario, runIdentityScenario } from "../src/scenario";
import { runInvoiceScenario } from "../src/invoice/scenario";
import { runAgreementScenario } from "../src/agreement/scenario";
import localParameters from "../ignition/parameters/local.json";

/**
 * The GovChain scenario on the in-process chain (`npm start`): deploys the whole platform through its Ignition
 * module and tells the story of each service.
 */
async function main() {
  console.log("== Deploying the GovChain platform (Ignition module GovPlatform, ignition/parameters/local.json)");
  const platform = await deployPlatform(hre, localParameters);
  console.log(formatStatus(await platformStatus(hre.ethers.provider, platform.authority, platform.addresses)));

  console.log("\n== Identity: DIDs and credentials");
  await runIdentityScenario(hre, platform, { log: (line) => console.log(`  ${line}`) });

  console.log("\n== Disclosure: anchoring what agencies publish");
  await runDisclosureScenario(hre, platform, { log: (line) => console.log(`  ${line}`) });

  console.log("\n== Invoices: e-fapiao issued, accepted, paid, reimbursed once");
  await runInvoiceScenario(hre, platform, { log: (line) => console.log(`  ${line}`) });

  console.log("\n== Agreements: a procurement contract paid by milestone from escrow, one milestone disputed");
  await runAgreementScenario(hre, platform, { log: (line) => console.log(`  ${line}`) });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
