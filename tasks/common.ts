import { types } from "hardhat/config";
import type { ConfigurableTaskDefinition, HardhatRuntimeEnvironment } from "hardhat/types";
import type { Signer } from "ethers";
import type { Platform } from "../src/platform";

/** Options every GovChain task takes: which deployment, and which configured account signs. */
export interface CommonArgs {
  deployment?: string;
  signer?: string;
}

export function withCommonParams(t: ConfigurableTaskDefinition): ConfigurableTaskDefinition {
  return t
    .addOptionalParam(
      "deployment",
      "Ignition deployment id, or path of its deployed_addresses.json (default: chain-<chainId>)",
      undefined,
      types.string,
    )
    .addOptionalParam(
      "signer",
      "Account that signs: index in the network's accounts, or address (default: 0)",
      undefined,
      types.string,
    );
}

export async function platformFor(
  hre: HardhatRuntimeEnvironment,
  args: CommonArgs,
): Promise<{ platform: Platform; signer: Signer }> {
  const { loadDeployedAddresses } = await import("../src/deployments");
  const { attachPlatform } = await import("../src/platform");
  const signer = await signerFor(hre, args.signer);
  const deployment = args.deployment ?? `chain-${(await hre.ethers.provider.getNetwork()).chainId}`;
  const platform = attachPlatform(loadDeployedAddresses(hre.config.paths.root, deployment), signer);
  return { platform, signer };
}

export async function signerFor(hre: HardhatRuntimeEnvironment, spec?: string): Promise<Signer> {
  const signers = await hre.ethers.getSigners();
  if (spec === undefined) return signers[0];
  if (/^[0-9]+$/.test(spec)) {
    const signer = signers[Number(spec)];
    if (!signer) throw new Error(`--signer ${spec}: the network has only ${signers.length} accounts`);
    return signer;
  }
  const found = signers.find((s) => s.address.toLowerCase() === spec.toLowerCase());
  if (!found) throw new Error(`--signer ${spec} is not one of the network's accounts`);
  return found;
}
