import fs from "node:fs";
import { task, types } from "hardhat/config";
import {
  BatchArgs,
  CommonArgs,
  batchOptions,
  platformFor,
  printSummary,
  withBatchParams,
  withCommonParams,
} from "./common";

withCommonParams(task("did:register", "Register one DID (as a REGISTRAR); prints the commitment and the salt to keep"))
  .addParam("did", "Address or did:govchain DID to register", undefined, types.string)
  .addParam("type", "citizen, organization or agency", undefined, types.string)
  .addParam("idScheme", "Identifier scheme, e.g. national-id or uscc", undefined, types.string)
  .addParam("idNumber", "The real-world identifier: hashed with a salt here, never sent", undefined, types.string)
  .addOptionalParam("salt", "32-byte hex salt (default: fresh random)", undefined, types.string)
  .addOptionalParam("controller", "Controller address (default: the DID itself)", undefined, types.string)
  .addOptionalParam("metadataUri", "Location of a metadata document", undefined, types.string)
  .addOptionalParam("metadataHash", "Hash of that document", undefined, types.string)
  .setAction(
    async (
      args: CommonArgs & {
        did: string;
        type: string;
        idScheme: string;
        idNumber: string;
        salt?: string;
        controller?: string;
        metadataUri?: string;
        metadataHash?: string;
      },
      hre,
    ) => {
      const { didAddress, toDid } = await import("../src/identity/did");
      const { parseSubjectType } = await import("../src/identity/constants");
      const { idCommitment, randomSalt } = await import("../src/identity/commitment");
      const { registerDid } = await import("../src/identity/registration");
      const { platform } = await platformFor(hre, args);
      const salt = args.salt ?? randomSalt();
      const address = didAddress(args.did);
      const commitment = idCommitment(args.idScheme, args.idNumber, salt);
      const tx = await registerDid(platform.didRegistry, {
        did: address,
        controller: args.controller ? didAddress(args.controller) : undefined,
        subjectType: parseSubjectType(args.type),
        idCommitment: commitment,
        metadataHash: args.metadataHash,
        metadataURI: args.metadataUri,
      });
      const receipt = await tx.wait();
      const { chainId } = await hre.ethers.provider.getNetwork();
      console.log(`Registered ${toDid(chainId, address)} in block ${receipt!.blockNumber} (gas ${receipt!.gasUsed})`);
      console.log(`idCommitment ${commitment}`);
      console.log(`salt         ${salt}   <- keep it in the registrar's records; it never goes on chain`);
    },
  );

withBatchParams(withCommonParams(task("did:batch-register", "Register DIDs from a CSV or JSONL file (as a REGISTRAR)")))
  .addParam(
    "file",
    "CSV (header: did,subjectType,controller,idCommitment | idScheme,idNumber,salt) or JSONL",
    undefined,
    types.string,
  )
  .addOptionalParam("saltsOut", "Where to write salts generated for rows without one (default: <file>.salts.csv)")
  .setAction(async (args: CommonArgs & BatchArgs & { saltsOut?: string }, hre) => {
    const { parseRegistrationFile, registerDids } = await import("../src/identity/registration");
    const { formatLineErrors } = await import("../src/util/csv");
    const parsed = await parseRegistrationFile(args.file);
    if (parsed.errors.length > 0) throw new Error(formatLineErrors(args.file, parsed.errors));
    if (parsed.generatedSalts.length > 0) {
      if (args.resume) {
        throw new Error(
          "This file gives ID numbers without salts: a resumed run would draw new ones. Add the salts of the first run to the file.",
        );
      }
      const saltsOut = args.saltsOut ?? `${args.file}.salts.csv`;
      const lines = ["did,idScheme,salt", ...parsed.generatedSalts.map((s) => `${s.did},${s.idScheme},${s.salt}`)];
      fs.writeFileSync(saltsOut, lines.join("\n") + "\n", { mode: 0o600 });
      console.log(`Wrote ${parsed.generatedSalts.length} generated salts to ${saltsOut}: keep them private.`);
    }
    const { platform } = await platformFor(hre, args);
    const options = await batchOptions(args, parsed.registrations.length, "registering");
    printSummary("DIDs", await registerDids(platform.didRegistry, parsed.registrations, options));
  });

withCommonParams(task("did:resolve", "Resolve a DID into its W3C DID document"))
  .addParam("did", "did:govchain DID or address", undefined, types.string)
  .addOptionalParam("versionId", "Resolve this version instead of the latest", undefined, types.int)
  .setAction(async (args: CommonArgs & { did: string; versionId?: number }, hre) => {
    const { resolveDid } = await import("../src/identity/resolver");
    const { toDid } = await import("../src/identity/did");
    const { platform } = await platformFor(hre, args);
    const did = args.did.startsWith("did:")
      ? args.did
      : toDid((await hre.ethers.provider.getNetwork()).chainId, args.did);
    const result = await resolveDid(platform.didRegistry, did, { versionId: args.versionId });
    console.log(JSON.stringify(result, null, 2));
    if (result.didResolutionMetadata.error) process.exitCode = 1;
  });

withCommonParams(task("did:deactivate", "Deactivate a DID for good, as its controller or (--registrar) as a REGISTRAR"))
  .addParam("did", "did:govchain DID or address", undefined, types.string)
  .addOptionalParam("reason", "Reason text (only its hash goes on chain)", "", types.string)
  .addFlag("registrar", "Act as a REGISTRAR rather than as the controller")
  .setAction(async (args: CommonArgs & { did: string; reason: string; registrar: boolean }, hre) => {
    const { didAddress } = await import("../src/identity/did");
    const { id, ZeroHash } = await import("ethers");
    const { platform } = await platformFor(hre, args);
    const address = didAddress(args.did);
    const reasonHash = args.reason ? id(args.reason) : ZeroHash;
    const tx = args.registrar
      ? await platform.didRegistry.registrarDeactivate(address, reasonHash)
      : await platform.didRegistry.deactivate(address, reasonHash);
    const receipt = await tx.wait();
    console.log(`Deactivated ${args.did} in block ${receipt!.blockNumber}; reason hash ${reasonHash}`);
  });
