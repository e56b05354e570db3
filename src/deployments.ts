import fs from "node:fs";
import path from "node:path";
import type { PlatformAddresses } from "./platform";

/**
 * Reads the addresses Ignition recorded for a GovPlatform deployment. `deployment` is an Ignition deployment id
 * (ignition/deployments/<id>/deployed_addresses.json under `root`), or the path of such a file or folder.
 */
export function loadDeployedAddresses(root: string, deployment: string): PlatformAddresses {
  let file = deployment;
  if (!fs.existsSync(file)) file = path.join(root, "ignition", "deployments", deployment);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "deployed_addresses.json");
  if (!fs.existsSync(file)) {
    throw new Error(
      `No GovPlatform deployment "${deployment}": ${file} does not exist. Deploy first with ` +
        "npx hardhat ignition deploy ignition/modules/GovPlatform.ts --network <net> --parameters ignition/parameters/<net>.json",
    );
  }
  const recorded = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
  const addresses: Record<string, string> = {};
  for (const [futureId, address] of Object.entries(recorded)) {
    // "GovAuthority#GovAuthority" -> authority, "Identity#DIDRegistry" -> DIDRegistry
    const name = futureId.split("#")[1];
    if (name === "GovAuthority") addresses.authority = address;
    else if (!name.endsWith("Implementation") && !name.endsWith("Proxy")) addresses[name] = address;
  }
  if (!addresses.authority) throw new Error(`Deployment ${deployment} has no GovAuthority`);
  return addresses as PlatformAddresses;
}

/** Writes addresses in Ignition's deployed_addresses.json format (used for in-process runs and tests). */
export function saveDeployedAddresses(file: string, addresses: PlatformAddresses): void {
  const recorded: Record<string, string> = { "GovAuthority#GovAuthority": addresses.authority };
  for (const [name, address] of Object.entries(addresses)) {
    if (name !== "authority") recorded[`GovPlatform#${name}`] = address;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(recorded, null, 2) + "\n");
}
