import fs from "node:fs";
import { task, types } from "hardhat/config";
import { parseTime as parseTimeValue } from "../src/util/time";
import {
  BatchArgs,
  CommonArgs,
  batchOptions,
  journalOf,
  platformFor,
  printSummary,
  withBatchParams,
  withCommonParams,
} from "./common";

/** A time option: the message names the option and the value. */
function parseTime(value: string | undefined, name: string): bigint {
  try {
    return parseTimeValue(value);
  } catch (error) {
    throw new Error(`--${name}: ${(error as Error).message}`);
  }
}

async function schemaId(value: string): Promise<string> {
  const { schemaIdOf } = await import("../src/identity/credentials");
  if (/^0x[0-9a-fA-F]{64}$/.test(value)) return value;
  const match = /^(.+)@([0-9]+)$/.exec(value);
  if (!match)
    throw new Error(`--schema: give Name@version (e.g. BusinessLicence@1) or a 32-byte schema id, not "${value}"`);
  return schemaIdOf(match[1], Number(match[2]));
}

withCommonParams(task("credential:register-schema", "Register a credential schema (as ACCREDITOR)"))
  .addParam("name", "Schema name, e.g. BusinessLicence", undefined, types.string)
  .addParam("schemaVersion", "Schema version", undefined, types.int)
  .addParam("jsonSchema", "Path of the JSON schema file (its hash goes on chain)", undefined, types.string)
  .addOptionalParam("uri", "Where the JSON schema is published", "", types.string)
  .setAction(
    async (args: CommonArgs & { name: string; schemaVersion: number; jsonSchema: string; uri: string }, hre) => {
      const { credentialHash, schemaIdOf } = await import("../src/identity/credentials");
      const { platform } = await platformFor(hre, args);
      const hash = credentialHash(JSON.parse(fs.readFileSync(args.jsonSchema, "utf8")));
      await (await platform.credentialRegistry.registerSchema(args.name, args.schemaVersion, hash, args.uri)).wait();
      console.log(
        `Schema ${args.name}@${args.schemaVersion} registered: id ${schemaIdOf(args.name, args.schemaVersion)}`,
      );
    },
  );

withCommonParams(
  task("credential:accredit", "Accredit a ministry (as ACCREDITOR) or an issuer (as an accredited ministry)"),
)
  .addOptionalParam(
    "organization",
    "Ministry to accredit as a trusted accreditation organization",
    undefined,
    types.string,
  )
  .addOptionalParam("issuer", "Agency to accredit as an issuer", undefined, types.string)
  .addOptionalParam("schemas", "With --issuer: comma-separated schemas (Name@version or ids)", undefined, types.string)
  .addOptionalParam("validFrom", "Start (date or unix seconds)", undefined, types.string)
  .addOptionalParam("validUntil", "End (date or unix seconds; default none)", undefined, types.string)
  .setAction(
    async (
      args: CommonArgs & {
        organization?: string;
        issuer?: string;
        schemas?: string;
        validFrom?: string;
        validUntil?: string;
      },
      hre,
    ) => {
      const { didAddress } = await import("../src/identity/did");
      const { platform } = await platformFor(hre, args);
      const from = parseTime(args.validFrom, "valid-from");
      const until = parseTime(args.validUntil, "valid-until");
      if (!!args.organization === !!args.issuer) throw new Error("Give exactly one of --organization and --issuer");
      if (args.organization) {
        await (
          await platform.credentialRegistry.accreditOrganization(didAddress(args.organization), from, until)
        ).wait();
        console.log(`Accredited ${args.organization} as a trusted accreditation organization`);
      } else {
        if (!args.schemas) throw new Error("--issuer needs --schemas");
        const ids = await Promise.all(args.schemas.split(",").map((s) => schemaId(s.trim())));
        await (await platform.credentialRegistry.accreditIssuer(didAddress(args.issuer!), ids, from, until)).wait();
        console.log(`Accredited ${args.issuer} to issue ${args.schemas}`);
      }
    },
  );

withCommonParams(
  task("credential:issue", "Anchor a credential issued by the signer (an accredited issuer); writes a receipt"),
)
  .addParam("schema", "Name@version or schema id", undefined, types.string)
  .addParam("subject", "Subject DID or address", undefined, types.string)
  .addOptionalParam("file", "The verifiable credential JSON (hashed here, never sent)", undefined, types.string)
  .addOptionalParam("hash", "The credential hash, if already computed", undefined, types.string)
  .addOptionalParam("validFrom", "Start (date or unix seconds)", undefined, types.string)
  .addOptionalParam("validUntil", "End (date or unix seconds; default none)", undefined, types.string)
  .addOptionalParam("statusIndex", "Status-list index (default: the issuer's next)", undefined, types.string)
  .addOptionalParam("receipt", "Where to write the receipt (default: stdout only)", undefined, types.string)
  .setAction(
    async (
      args: CommonArgs & {
        schema: string;
        subject: string;
        file?: string;
        hash?: string;
        validFrom?: string;
        validUntil?: string;
        statusIndex?: string;
        receipt?: string;
      },
      hre,
    ) => {
      const { credentialHash, nextDirectStatusIndex } = await import("../src/identity/credentials");
      const { didAddress } = await import("../src/identity/did");
      const { platform, signer } = await platformFor(hre, args);
      if (!!args.file === !!args.hash) throw new Error("Give exactly one of --file and --hash");
      const issuer = await signer.getAddress();
      const credential = {
        credentialHash: args.hash ?? credentialHash(JSON.parse(fs.readFileSync(args.file!, "utf8"))),
        subject: didAddress(args.subject),
        schemaId: await schemaId(args.schema),
        validFrom: parseTime(args.validFrom, "valid-from"),
        validUntil: parseTime(args.validUntil, "valid-until"),
        statusIndex: args.statusIndex
          ? BigInt(args.statusIndex)
          : await nextDirectStatusIndex(platform.credentialRegistry, issuer),
      };
      const tx = await platform.credentialRegistry.issue(credential);
      await tx.wait();
      const receipt = {
        issuer,
        credential: {
          ...credential,
          validFrom: String(credential.validFrom),
          validUntil: String(credential.validUntil),
          statusIndex: String(credential.statusIndex),
        },
        registry: platform.addresses.CredentialRegistry,
        chainId: String((await hre.ethers.provider.getNetwork()).chainId),
        transaction: tx.hash,
      };
      if (args.receipt) fs.writeFileSync(args.receipt, JSON.stringify(receipt, null, 2) + "\n");
      console.log(JSON.stringify(receipt, null, 2));
    },
  );

withCommonParams(task("credential:verify", "Verify a credential on chain; exits 1 unless it is valid"))
  .addParam("receipt", "Receipt written by credential:issue", undefined, types.string)
  .setAction(async (args: CommonArgs & { receipt: string }, hre) => {
    const { statusName } = await import("../src/identity/credentials");
    const { platform } = await platformFor(hre, args);
    const receipt = JSON.parse(fs.readFileSync(args.receipt, "utf8"));
    const status = statusName(await platform.credentialRegistry.verify(receipt.issuer, receipt.credential));
    console.log(
      `${status === "Valid" ? "VALID" : "NOT VALID"}: ${status} (issuer ${receipt.issuer}, index ${receipt.credential.statusIndex})`,
    );
    if (status !== "Valid") process.exitCode = 1;
  });

withCommonParams(
  task("credential:revoke", "Revoke (or suspend, or reinstate) the signer's credentials by status index"),
)
  .addParam("indices", "Comma-separated status indices", undefined, types.string)
  .addFlag("suspend", "Suspend instead of revoking")
  .addFlag("reinstate", "Lift a suspension")
  .setAction(async (args: CommonArgs & { indices: string; suspend: boolean; reinstate: boolean }, hre) => {
    const { sortedIndices } = await import("../src/identity/credentials");
    const { platform } = await platformFor(hre, args);
    if (args.suspend && args.reinstate) throw new Error("Give at most one of --suspend and --reinstate");
    const indices = sortedIndices(
      args.indices.split(",").map((s, i) => {
        if (!/^[0-9]+$/.test(s.trim())) throw new Error(`--indices: item ${i + 1} "${s}" is not a status index`);
        return BigInt(s.trim());
      }),
    );
    const registry = platform.credentialRegistry;
    const tx = args.suspend
      ? await registry.suspend(indices)
      : args.reinstate
        ? await registry.reinstate(indices)
        : await registry.revoke(indices);
    const receipt = await tx.wait();
    const verb = args.suspend ? "Suspended" : args.reinstate ? "Reinstated" : "Revoked";
    console.log(`${verb} ${indices.length} credential(s) in block ${receipt!.blockNumber} (gas ${receipt!.gasUsed})`);
  });

withBatchParams(
  withCommonParams(task("credential:batch-issue", "Anchor many credentials of one schema from a CSV or JSONL file")),
)
  .addParam("schema", "Name@version or schema id", undefined, types.string)
  .addParam(
    "file",
    "CSV (header: subject,credentialHash,validFrom,validUntil,statusIndex) or JSONL",
    undefined,
    types.string,
  )
  .setAction(async (args: CommonArgs & BatchArgs & { schema: string }, hre) => {
    const { credentialIssuanceJob, nextDirectStatusIndex, parseCredentialFile } =
      await import("../src/identity/credentials");
    const { journalMeta, runBatch } = await import("../src/batch/engine");
    const { formatLineErrors } = await import("../src/util/csv");
    const { platform, signer } = await platformFor(hre, args);
    const issuer = await signer.getAddress();
    const id = await schemaId(args.schema);
    // On resume the indices handed out by the first run must be handed out again: count from where it counted.
    const first = args.resume
      ? BigInt(journalMeta(journalOf(args)).firstStatusIndex ?? "0")
      : await nextDirectStatusIndex(platform.credentialRegistry, issuer);
    const parsed = await parseCredentialFile(args.file, id, first);
    if (parsed.errors.length > 0) throw new Error(formatLineErrors(args.file, parsed.errors));
    const job = credentialIssuanceJob(platform.credentialRegistry, issuer, id, parsed.credentials);
    const options = await batchOptions(args, parsed.credentials.length, "issuing");
    const summary = await runBatch(job, { ...options, signer, meta: { firstStatusIndex: first.toString() } });
    printSummary("credentials", summary);
  });
