import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ContractRunner } from "ethers";
import type { DeploymentParameters } from "@nomicfoundation/ignition-core";
import GovPlatformModule from "../ignition/modules/GovPlatform";
import { GovAuthority, GovAuthority__factory } from "../typechain-types";
import { SERVICE_NAMES, ServiceName } from "./governance/permissions";

/** Parameters of the GovPlatform and GovAuthority Ignition modules, as in ignition/parameters/<network>.json. */
export interface PlatformParameters {
  GovAuthority?: { minSetback?: number };
  GovPlatform?: Record<string, string | number | string[]>;
}

/** The deployed platform, typed. */
export interface Platform {
  authority: GovAuthority;
  addresses: { authority: string } & Partial<Record<ServiceName, string>>;
}

/** Deploys the whole platform through the same Ignition module operators deploy with. */
export async function deployPlatform(
  hre: HardhatRuntimeEnvironment,
  parameters: PlatformParameters,
): Promise<Platform> {
  const deployed = (await hre.ignition.deploy(GovPlatformModule, {
    parameters: parameters as unknown as DeploymentParameters,
  })) as Record<string, { getAddress(): Promise<string> }>;
  const addresses: Platform["addresses"] = { authority: await deployed.authority.getAddress() };
  for (const name of SERVICE_NAMES) {
    const service = deployed[name];
    if (service) (addresses as Record<string, string>)[name] = await service.getAddress();
  }
  const [runner] = await hre.ethers.getSigners();
  return attachPlatform(addresses, runner);
}

/** Typed handles on an already deployed platform. */
export function attachPlatform(addresses: Platform["addresses"], runner: ContractRunner): Platform {
  return {
    authority: GovAuthority__factory.connect(addresses.authority, runner),
    addresses,
  };
}
