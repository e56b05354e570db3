import { task, types } from "hardhat/config";

task("platform:status", "Print every contract, its version, implementation, pause state and the role holders")
  .addParam("deployment", "Ignition deployment id (ignition/deployments/<id>)", undefined, types.string)
  .setAction(async ({ deployment }: { deployment: string }, hre) => {
    const { loadDeployedAddresses } = await import("../src/deployments");
    const { attachPlatform } = await import("../src/platform");
    const { platformStatus, formatStatus } = await import("../src/governance/status");
    const addresses = loadDeployedAddresses(hre.config.paths.root, deployment);
    const platform = attachPlatform(addresses, hre.ethers.provider);
    console.log(formatStatus(await platformStatus(hre.ethers.provider, platform.authority, platform.addresses)));
  });

task("platform:upgrade", "Upgrade one service through the authority, honouring the UPGRADER's delay")
  .addParam("deployment", "Ignition deployment id (ignition/deployments/<id>)", undefined, types.string)
  .addParam("service", "Service name, e.g. DIDRegistry", undefined, types.string)
  .addParam("to", "Contract name of the new implementation", undefined, types.string)
  .addOptionalParam("from", "Contract name of the running implementation (default: the service name)")
  .addOptionalParam("implementation", "Address of an implementation deployed by an earlier, scheduled run")
  .setAction(
    async (args: { deployment: string; service: string; to: string; from?: string; implementation?: string }, hre) => {
      const { loadDeployedAddresses } = await import("../src/deployments");
      const { upgradeService } = await import("../src/governance/upgrade");
      const addresses = loadDeployedAddresses(hre.config.paths.root, args.deployment) as Record<string, string>;
      const proxy = addresses[args.service];
      if (!proxy) throw new Error(`Deployment ${args.deployment} has no service named ${args.service}`);
      const [upgrader] = await hre.ethers.getSigners();
      const outcome = await upgradeService(hre, {
        proxy,
        fromContract: args.from ?? args.service,
        toContract: args.to,
        upgrader,
        implementation: args.implementation,
      });
      if (outcome.status === "upgraded") {
        console.log(`${args.service} now runs ${outcome.implementation} (tx ${outcome.txHash})`);
      } else {
        console.log(
          `Upgrade of ${args.service} to ${outcome.implementation} is scheduled (operation ${outcome.operationId}); ` +
            `run again with --implementation ${outcome.implementation} after ${new Date(Number(outcome.executableAt) * 1000).toISOString()}`,
        );
      }
    },
  );
