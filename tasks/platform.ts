import { task, types } from "hardhat/config";
import { CommonArgs, platformFor, withCommonParams } from "./common";

withCommonParams(
  task("platform:status", "Print every contract, its version, implementation, pause state and the role holders"),
).setAction(async (args: CommonArgs, hre) => {
  const { platformStatus, formatStatus } = await import("../src/governance/status");
  const { platform } = await platformFor(hre, args);
  console.log(formatStatus(await platformStatus(hre.ethers.provider, platform.authority, platform.addresses)));
});

withCommonParams(task("platform:upgrade", "Upgrade one service through the authority, honouring the UPGRADER's delay"))
  .addParam("service", "Service name, e.g. DIDRegistry", undefined, types.string)
  .addParam("to", "Contract name of the new implementation", undefined, types.string)
  .addOptionalParam("from", "Contract name of the running implementation (default: the service name)")
  .addOptionalParam("implementation", "Address of an implementation deployed by an earlier, scheduled run")
  .setAction(
    async (args: CommonArgs & { service: string; to: string; from?: string; implementation?: string }, hre) => {
      const { upgradeService } = await import("../src/governance/upgrade");
      const { platform, signer } = await platformFor(hre, args);
      const proxy = (platform.addresses as Record<string, string>)[args.service];
      if (!proxy) throw new Error(`The deployment has no service named ${args.service}`);
      const outcome = await upgradeService(hre, {
        proxy,
        fromContract: args.from ?? args.service,
        toContract: args.to,
        upgrader: signer,
        implementation: args.implementation,
      });
      if (outcome.status === "upgraded") {
        console.log(`${args.service} now runs ${outcome.implementation} (tx ${outcome.txHash})`);
      } else {
        const when = new Date(Number(outcome.executableAt) * 1000).toISOString();
        console.log(
          `Upgrade of ${args.service} to ${outcome.implementation} is scheduled (operation ${outcome.operationId}); ` +
            `run again with --implementation ${outcome.implementation} after ${when}`,
        );
      }
    },
  );
