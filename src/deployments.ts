import fs from "node:fs";
import path from "node:path";
import type { PlatformAddresses } from "./platform";

/**
 * Reads the addresses Ignition recorded for a GovPlatform deployment (ignition/deployments/<id>/deployed_addresses.json).
 */
export function loadDeployedAddresses(root: string, deploymentId: string): PlatformAddresses {
  const file = path.join(root, "ignition", "deployments", deploymentId, "deployed_addresses.json");
  if (!fs.existsSync(file)) {
    throw new Error(
      `No Ignition deployment ${deploymentId}: ${file} does not exist. Deploy with ignition deploy first.`,
    );
  }
  const recorded = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
  const addresses: Record<string, string> = {};
  for (const [futureId, address] of Object.entries(recorded)) {
    // "GovAuthority#GovAuthority" -> authority, "GovPlatform#DIDRegistry" -> DIDRegistry
    const name = futureId.split("#")[1];
    if (name === "GovAuthority") addresses.authority = address;
    else if (!name.endsWith("Implementation") && !name.endsWith("Proxy")) addresses[name] = address;
  }
  if (!addresses.authority) throw new Error(`Deployment ${deploymentId} has no GovAuthority`);
  return addresses as PlatformAddresses;
}
