import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ContractRunner } from "ethers";
import type { DeploymentParameters } from "@nomicfoundation/ignition-core";
import GovPlatformModule from "../ignition/modules/GovPlatform";
import {
  AgreementEscrow,
  AgreementEscrow__factory,
  CredentialRegistry,
  CredentialRegistry__factory,
  DIDRegistry,
  DIDRegistry__factory,
  DisclosureRegistry,
  DisclosureRegistry__factory,
  GovAuthority,
  GovAuthority__factory,
  InvoiceRegistry,
  InvoiceRegistry__factory,
} from "../typechain-types";
import { SERVICE_NAMES, type ServiceName } from "./governance/permissions";

/** Parameters of the GovPlatform and GovAuthority Ignition modules, as in ignition/parameters/<network>.json. */
export interface PlatformParameters {
  GovAuthority?: { minSetback?: number };
  GovPlatform?: Record<string, string | number | string[]>;
}

export type PlatformAddresses = { authority: string } & Record<ServiceName, string>;

/** The deployed platform, typed. */
export interface Platform {
  authority: GovAuthority;
  didRegistry: DIDRegistry;
  credentialRegistry: CredentialRegistry;
  disclosureRegistry: DisclosureRegistry;
  invoiceRegistry: InvoiceRegistry;
  agreementEscrow: AgreementEscrow;
  addresses: PlatformAddresses;
}

/** Deploys the whole platform through the same Ignition module operators deploy with. */
export async function deployPlatform(
  hre: HardhatRuntimeEnvironment,
  parameters: PlatformParameters,
): Promise<Platform> {
  const deployed = await hre.ignition.deploy(GovPlatformModule, {
    parameters: parameters as unknown as DeploymentParameters,
  });
  const addresses = await addressesOf(deployed);
  const [runner] = await hre.ethers.getSigners();
  return attachPlatform(addresses, runner);
}

/** The addresses of a platform deployed through the GovPlatform module (`ignition.deploy`'s result). */
export async function addressesOf(
  deployed: Record<"authority" | ServiceName, { getAddress(): Promise<string> }>,
): Promise<PlatformAddresses> {
  const addresses = { authority: await deployed.authority.getAddress() } as PlatformAddresses;
  for (const service of SERVICE_NAMES) addresses[service] = await deployed[service].getAddress();
  return addresses;
}

/** Typed handles on an already deployed platform. */
export function attachPlatform(addresses: PlatformAddresses, runner: ContractRunner): Platform {
  return {
    authority: GovAuthority__factory.connect(addresses.authority, runner),
    didRegistry: DIDRegistry__factory.connect(addresses.DIDRegistry, runner),
    credentialRegistry: CredentialRegistry__factory.connect(addresses.CredentialRegistry, runner),
    disclosureRegistry: DisclosureRegistry__factory.connect(addresses.DisclosureRegistry, runner),
    invoiceRegistry: InvoiceRegistry__factory.connect(addresses.InvoiceRegistry, runner),
    agreementEscrow: AgreementEscrow__factory.connect(addresses.AgreementEscrow, runner),
    addresses,
  };
}
