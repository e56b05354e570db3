import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Wallet, ZeroHash } from "ethers";
import type { Platform } from "./platform";
import { parseRegistrationFile, registerDids } from "./identity/registration";
import {
  credentialHash,
  schemaIdOf,
  statusName,
  toBatchCredentials,
  type CredentialInput,
  type CredentialStatusName,
} from "./identity/credentials";
import { resolveDid } from "./identity/resolver";
import { toDid } from "./identity/did";
import { formatLineErrors } from "./util/csv";

/** What the identity part of the scenario did, for the caller to print or check. */
export interface IdentityScenarioResult {
  citizensRegistered: number;
  registrationGasPerDid: bigint;
  licences: { company: string; credential: CredentialInput }[];
  verifiedByOtherAgency: CredentialStatusName[];
  revokedLicenceStatus: CredentialStatusName;
  companyDidDocumentMethods: number;
}

/**
 * The identity story, told on any chain the platform is deployed to (in-process for `npm start`, a PoA chain in
 * its tests): the registrar batch-registers citizens from a CSV file; the consortium's accreditation body
 * accredits the tax bureau as a trusted accreditation organization; the tax bureau accredits the city bureau to
 * issue business licences; the city bureau issues them; another agency verifies them in one call; a revoked
 * licence fails with its reason.
 *
 * Accounts: 1 registrar, 2 accreditation body, 10 tax bureau, 11 city bureau, 12 another agency, 13–15 companies.
 */
export async function runIdentityScenario(
  hre: HardhatRuntimeEnvironment,
  platform: Platform,
  options: { citizens?: number; log?: (line: string) => void } = {},
): Promise<IdentityScenarioResult> {
  const log = options.log ?? (() => undefined);
  const signers = await hre.ethers.getSigners();
  const [registrar, accreditationBody] = [signers[1], signers[2]];
  const [taxBureau, cityBureau, otherAgency] = [signers[10], signers[11], signers[12]];
  const companies = signers.slice(13, 16);
  const { chainId } = await hre.ethers.provider.getNetwork();
  const dids = platform.didRegistry.connect(registrar);
  const credentials = platform.credentialRegistry;

  // 1. Batch registration from CSV: raw ID numbers stay in this process, only salted commitments are sent.
  const count = options.citizens ?? 1000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-scenario-"));
  const csv = path.join(dir, "citizens.csv");
  const rows = ["did,subjectType,idScheme,idNumber"];
  for (let i = 0; i < count; i++)
    rows.push(`${Wallet.createRandom().address},citizen,national-id,1101011990${String(i).padStart(8, "0")}`);
  for (const company of companies)
    rows.push(`${company.address},organization,uscc,91440300MA5F${company.address.slice(2, 8)}`);
  fs.writeFileSync(csv, rows.join("\n") + "\n");
  const parsed = await parseRegistrationFile(csv);
  if (parsed.errors.length > 0) throw new Error(formatLineErrors(csv, parsed.errors));
  const summary = await registerDids(dids, parsed.registrations, { chunkSize: 250 });
  fs.rmSync(dir, { recursive: true, force: true });
  log(
    `Registrar registered ${summary.records} DIDs from CSV in ${summary.transactions} transactions ` +
      `(${summary.gasUsed / BigInt(Math.max(summary.records, 1))} gas per DID); salts stay with the registrar`,
  );

  // 2. Trust chain: consortium body -> tax bureau (ministry) -> city bureau (issuer of business licences).
  const licence = schemaIdOf("BusinessLicence", 1);
  await (
    await credentials
      .connect(accreditationBody)
      .registerSchema("BusinessLicence", 1, ZeroHash, "ipfs://schemas/licence-v1")
  ).wait();
  await (await credentials.connect(accreditationBody).accreditOrganization(taxBureau, 0, 0)).wait();
  await (await credentials.connect(taxBureau).accreditIssuer(cityBureau, [licence], 0, 0)).wait();
  log(
    `Accreditation body accredited the tax bureau ${taxBureau.address}; it accredited the city bureau ${cityBureau.address}`,
  );

  // 3. The city bureau issues a business licence to each company.
  const licences = companies.map((company, i) => ({
    company: company.address,
    credential: {
      credentialHash: credentialHash({
        type: ["VerifiableCredential", "BusinessLicence"],
        issuer: toDid(chainId, cityBureau.address),
        credentialSubject: { id: toDid(chainId, company.address), licenceNumber: `SZ-2026-${1000 + i}` },
      }),
      subject: company.address,
      schemaId: licence,
      validFrom: 0n,
      validUntil: 0n,
      statusIndex: BigInt(i),
    },
  }));
  await (
    await credentials.connect(cityBureau).issueBatch(licence, toBatchCredentials(licences.map((l) => l.credential)))
  ).wait();
  log(`City bureau issued ${licences.length} business licences`);

  // 4. Another agency verifies each licence in one call, no phone call.
  const verified: CredentialStatusName[] = [];
  for (const l of licences)
    verified.push(statusName(await credentials.connect(otherAgency).verify(cityBureau, l.credential)));
  log(`Another agency verified them: ${verified.join(", ")}`);

  // 5. One licence is revoked; verification now fails with the reason.
  await (await credentials.connect(cityBureau).revoke([licences[0].credential.statusIndex])).wait();
  const revokedStatus = statusName(await credentials.connect(otherAgency).verify(cityBureau, licences[0].credential));
  log(`City bureau revoked the licence of ${licences[0].company}; verification now says: ${revokedStatus}`);

  const resolved = await resolveDid(platform.didRegistry, toDid(chainId, companies[1].address));
  log(
    `Resolved ${resolved.didDocument!.id}: subject type ${(resolved.didDocumentMetadata as { govchain: { subjectType: string } }).govchain.subjectType}`,
  );

  return {
    citizensRegistered: summary.records,
    registrationGasPerDid: summary.gasUsed / BigInt(Math.max(summary.records, 1)),
    licences,
    verifiedByOtherAgency: verified,
    revokedLicenceStatus: revokedStatus,
    companyDidDocumentMethods: resolved.didDocument!.verificationMethod?.length ?? 0,
  };
}
