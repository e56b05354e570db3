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
import { anchorFolder } from "./disclosure/publish";
import { HashAlgorithm } from "./disclosure/files";
import { formatVerdict, verifyFile, type DocumentStatusName } from "./disclosure/verify";

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

/** What the disclosure part of the scenario did. */
export interface DisclosureScenarioResult {
  root: string;
  files: number;
  anchorGas: bigint;
  sample: { file: string; status: DocumentStatusName }[];
  tampered: DocumentStatusName;
  singleDocument: DocumentStatusName;
  verdictText: string;
}

/**
 * The disclosure story: the finance bureau (PUBLISHER, account 4) publishes its budget folder and anchors it in one
 * transaction; a citizen checks a file with its receipt, a tampered copy fails, and a notice anchored on its own
 * verifies without any receipt.
 */
export async function runDisclosureScenario(
  hre: HardhatRuntimeEnvironment,
  platform: Platform,
  options: { files?: number; log?: (line: string) => void } = {},
): Promise<DisclosureScenarioResult> {
  const log = options.log ?? (() => undefined);
  const publisher = (await hre.ethers.getSigners())[4];
  const registry = platform.disclosureRegistry.connect(publisher);
  const count = options.files ?? 12;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-disclosure-"));
  const published = path.join(dir, "budget-2027");
  fs.mkdirSync(published);
  for (let i = 0; i < count; i++) {
    const name = `chapter-${String(i).padStart(5, "0")}.csv`;
    fs.writeFileSync(path.join(published, name), `line,amount\nchapter ${i},${(i + 1) * 1_000_000}\n`);
  }
  const anchored = await anchorFolder(registry, publisher.address, {
    dir: published,
    category: "budget",
    uri: "https://finance.example.gov/budget/2027/",
    reference: "FY2027",
    algorithm: HashAlgorithm.Sha256,
  });
  const receipt = await hre.ethers.provider.getTransactionReceipt(anchored.transaction);
  log(
    `Finance bureau anchored ${count} budget files as one root ${anchored.root} in one transaction (${receipt!.gasUsed} gas)`,
  );

  const picks = [0, Math.floor(count / 2), count - 1];
  const sample = [];
  for (const i of picks) {
    const r = anchored.receipts[i];
    const verdict = await verifyFile(registry, path.join(published, r.file), r);
    sample.push({ file: r.file, status: verdict.status });
  }
  const first = anchored.receipts[0];
  const verdict = await verifyFile(registry, path.join(published, first.file), first);
  const verdictText = formatVerdict(first.file, verdict);
  log(`A citizen checks ${first.file} with its receipt:\n    ${verdictText.split("\n").join("\n    ")}`);

  const forged = path.join(dir, "forged.csv");
  fs.writeFileSync(forged, fs.readFileSync(path.join(published, first.file), "utf8").replace("1000000", "9000000"));
  const tampered = (await verifyFile(registry, forged, first)).status;
  log(`A tampered copy of it: ${tampered}`);

  const notices = path.join(dir, "notice");
  fs.mkdirSync(notices);
  fs.writeFileSync(path.join(notices, "tender-opening.txt"), "Tender 2026-114 opens on 2027-01-15.\n");
  await anchorFolder(registry, publisher.address, {
    dir: notices,
    category: "notice",
    uri: "https://finance.example.gov/notices/",
  });
  const singleDocument = (await verifyFile(registry, path.join(notices, "tender-opening.txt"))).status;
  log(`A notice anchored on its own verifies with no receipt at all: ${singleDocument}`);
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    root: anchored.root,
    files: count,
    anchorGas: receipt!.gasUsed,
    sample,
    tampered,
    singleDocument,
    verdictText,
  };
}
