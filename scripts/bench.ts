import fs from "node:fs";
import path from "node:path";
import hre, { ethers } from "hardhat";
import * as prettier from "prettier";
import {
  AbiCoder,
  Contract,
  ContractFactory,
  ZeroHash,
  encodeBytes32String,
  type ContractTransactionResponse,
  type InterfaceAbi,
} from "ethers";
import { EthereumDIDRegistry } from "ethr-did-registry";
import * as eas from "@ethereum-attestation-service/eas-contracts";
import { DocumentStoreFactory } from "@govtechsg/document-store";
import { deployPlatform } from "../src/platform";
import { registerDid, toRegistrationStruct } from "../src/identity/registration";
import { idCommitment, randomSalt } from "../src/identity/commitment";
import { SubjectType, KeyType, Purpose } from "../src/identity/constants";
import { sendDidOperation, signDidOperation, type DidOperation } from "../src/identity/operations";
import { credentialHash, schemaIdOf, toBatchCredentials, type CredentialInput } from "../src/identity/credentials";
import { CredentialConsumerMock__factory } from "../typechain-types";
import { issued, setupInvoicePlatform } from "../test/invoice/helpers";
import { fundedAgreement, setupAgreementPlatform } from "../test/agreement/helpers";
import { agreementIdOf, type AgreementInput } from "../src/agreement/model";
import { collectSignatures } from "../src/agreement/lifecycle";
import { runNpx, startHardhatNode } from "../src/chain/node";
import type { ThroughputReport } from "../src/batch/throughput";
import localParameters from "../ignition/parameters/local.json";

/**
 * `npm run bench`: gas of every operation with a target in the service issues, measured as whole transactions
 * through the proxies on the in-process chain; writes bench/results.json and bench/results.md.
 */
interface Row {
  service: string;
  operation: string;
  gas: number;
  target: number;
  unit: string;
}

const rows: Row[] = [];

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  return Number((await (await tx).wait())!.gasUsed);
}

function record(service: string, operation: string, gas: number, target: number, unit = "tx") {
  rows.push({ service, operation, gas: Math.round(gas), target, unit });
  console.log(`${service.padEnd(10)} ${operation.padEnd(52)} ${String(Math.round(gas)).padStart(9)}  target ${target}`);
}

function citizen(did: string) {
  return { did, subjectType: SubjectType.Citizen, idCommitment: idCommitment("national-id", did, randomSalt()) };
}

async function benchIdentity() {
  const signers = await ethers.getSigners();
  const [, registrar, accreditationBody, , , , , , , relayer] = signers;
  const [alice, bob, ministry, bureau, consumerOwner] = signers.slice(10);
  const platform = await deployPlatform(hre, localParameters);
  const dids = platform.didRegistry;

  // --- DIDRegistry
  record(
    "identity",
    "register one DID",
    await gasOf(registerDid(dids.connect(registrar), citizen(alice.address))),
    55_000,
  );
  const hundred = Array.from({ length: 100 }, () => citizen(ethers.Wallet.createRandom().address));
  const didBatchGas = await gasOf(dids.connect(registrar).registerBatch(hundred.map(toRegistrationStruct)));
  record("identity", "registerBatch of 100, per DID", didBatchGas / 100, 28_000, "per DID");

  const key = (id: string) => ({
    keyId: encodeBytes32String(id),
    keyType: KeyType.Ed25519,
    purposes: Purpose.authentication | Purpose.assertionMethod,
    validFrom: 0,
    validUntil: 0,
    publicKey: ethers.hexlify(ethers.randomBytes(32)),
  });
  const a = dids.connect(alice);
  const addKey = await gasOf(a.addKey(alice, key("k1")));
  record("identity", "add a key (Ed25519)", addKey, 40_000);
  record(
    "identity",
    "add a service",
    await gasOf(a.setService(alice, encodeBytes32String("gw"), "GovGateway", "https://gw.example.gov")),
    40_000,
  );
  const rotate = await gasOf(a.changeController(alice, bob));
  record("identity", "rotate controller", rotate, 38_000);
  await (await dids.connect(bob).changeController(alice, alice)).wait();

  const relayed = async (op: DidOperation) => {
    const auth = await signDidOperation(dids, alice, alice.address, op);
    return gasOf(sendDidOperation(dids.connect(relayer), alice.address, op, auth));
  };
  record(
    "identity",
    "relayed add a key: extra over direct",
    (await relayed({ kind: "addKey", key: key("k2") })) - addKey,
    8_000,
  );
  const rotateRelayed = await relayed({ kind: "changeController", newController: bob.address });
  record("identity", "relayed rotate controller: extra over direct", rotateRelayed - rotate, 8_000);
  record("identity", "deactivate", await gasOf(dids.connect(bob).deactivate(alice, ZeroHash)), 36_000);

  // --- CredentialRegistry
  const credentials = platform.credentialRegistry;
  await (await credentials.connect(accreditationBody).registerSchema("BusinessLicence", 1, ZeroHash, "")).wait();
  const schemaId = schemaIdOf("BusinessLicence", 1);
  await (await credentials.connect(accreditationBody).accreditOrganization(ministry, 0, 0)).wait();
  await (await credentials.connect(ministry).accreditIssuer(bureau, [schemaId], 0, 0)).wait();
  const issuer = credentials.connect(bureau);
  const cred = (i: number): CredentialInput => ({
    credentialHash: credentialHash({ i, salt: randomSalt() }),
    subject: ethers.Wallet.createRandom().address,
    schemaId,
    validFrom: 0,
    validUntil: 0,
    statusIndex: i,
  });
  const first = cred(0);
  record("identity", "issue one credential", await gasOf(issuer.issue(first)), 55_000);
  const batch = Array.from({ length: 100 }, (_, i) => cred(1 + i));
  record(
    "identity",
    "issueBatch of 100, per credential",
    (await gasOf(issuer.issueBatch(schemaId, toBatchCredentials(batch)))) / 100,
    28_000,
    "per credential",
  );
  const root = {
    root: ethers.id("root"),
    schemaId,
    validFrom: 0,
    validUntil: 0,
    count: 100_000,
  };
  record("identity", "issue a Merkle root (any batch size)", await gasOf(issuer.issueRoot(root)), 60_000);
  record("identity", "revoke one (fresh status word)", await gasOf(issuer.revoke([1000])), 50_000);
  record("identity", "revoke one (word already touched)", await gasOf(issuer.revoke([1001])), 33_000);
  const scattered = Array.from({ length: 50 }, (_, i) => 10_000 + i * 256);
  record(
    "identity",
    "batch revoke 50 scattered, per status",
    (await gasOf(issuer.revoke(scattered))) / 50,
    25_000,
    "per status",
  );
  const clustered = Array.from({ length: 256 }, (_, i) => 256 * 1000 + i);
  record(
    "identity",
    "batch revoke 256 clustered, per status",
    (await gasOf(issuer.revoke(clustered))) / 256,
    2_000,
    "per status",
  );
  const consumer = await new CredentialConsumerMock__factory(consumerOwner).deploy(credentials);
  await (await consumer.check(bureau, first)).wait();
  record("identity", "verify, called from another contract", Number(await consumer.lastVerifyGas()), 35_000, "call");
}

interface Reference {
  system: string;
  operation: string;
  theirs: number;
  ours: string; // the operation row of ours it compares with
  note?: string;
}
const references: Reference[] = [];

function reference(system: string, operation: string, theirs: number, ours: string, note?: string) {
  if (!rows.some((r) => r.operation === ours)) throw new Error(`no row "${ours}" to compare ${system} with`);
  references.push({ system, operation, theirs: Math.round(theirs), ours, note });
  console.log(`${system.padEnd(22)} ${operation.padEnd(44)} ${String(Math.round(theirs)).padStart(9)}`);
}

async function writeResults(throughput?: ThroughputReport) {
  const dir = path.join(__dirname, "..", "bench");
  fs.mkdirSync(dir, { recursive: true });
  const withVerdict = rows.map((r) => ({ ...r, pass: r.gas <= r.target }));
  const compared = references.map((r) => ({ ...r, oursGas: rows.find((row) => row.operation === r.ours)!.gas }));
  fs.writeFileSync(
    path.join(dir, "results.json"),
    JSON.stringify(
      {
        evmVersion: hre.config.solidity.compilers[0].settings.evmVersion,
        rows: withVerdict,
        references: compared,
        throughput,
      },
      null,
      2,
    ) + "\n",
  );
  const md = [
    "| service | operation | gas | target | |",
    "| --- | --- | ---: | ---: | --- |",
    ...withVerdict.map(
      (r) =>
        `| ${r.service} | ${r.operation} | ${r.gas.toLocaleString("en")} | ${r.target.toLocaleString("en")} | ${r.pass ? "pass" : "**over**"} |`,
    ),
    "",
    "Side by side with the reference systems, deployed from their npm packages in the same run:",
    "",
    "| GovChain operation | gas | reference system | their operation | their gas |",
    "| --- | ---: | --- | --- | ---: |",
    ...compared.map(
      (r) =>
        `| ${r.ours} | ${r.oursGas.toLocaleString("en")} | ${r.system} | ${r.operation}${r.note ? ` (${r.note})` : ""} | ${r.theirs.toLocaleString("en")} |`,
    ),
  ];
  if (throughput) {
    md.push(
      "",
      `Throughput of the batch engine against a separate \`hardhat node\` sealing a block every ${throughput.blockTimeSeconds} s` +
        ` (4 transactions in flight, chunks of half a block); a ${throughput.validation.lines.toLocaleString("en")}-line CSV` +
        ` with ${throughput.validation.badLines} bad lines is validated, every bad line reported, in ${throughput.validation.seconds.toFixed(1)} s:`,
      "",
      "| job | records | seconds | records/s | gas per record | transactions |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
      ...throughput.rows.map(
        (r) =>
          `| ${r.job} | ${r.records.toLocaleString("en")} | ${r.seconds.toFixed(1)} | ${r.recordsPerSecond.toFixed(0)} | ${r.gasPerRecord.toLocaleString("en")} | ${r.transactions} |`,
      ),
    );
  }
  const resultsMd = path.join(dir, "results.md");
  fs.writeFileSync(resultsMd, await formatted(resultsMd, md.join("\n") + "\n"));
  // The README quotes the latest tables between its bench markers.
  const readme = path.join(__dirname, "..", "README.md");
  const text = fs.readFileSync(readme, "utf8");
  const updated = text.replace(
    /<!-- bench:start -->[\s\S]*?<!-- bench:end -->/,
    `<!-- bench:start -->\n${md.join("\n")}\n<!-- bench:end -->`,
  );
  fs.writeFileSync(readme, await formatted(readme, updated));
  const over = withVerdict.filter((r) => !r.pass).length;
  console.log(`\n${withVerdict.length - over} of ${withVerdict.length} targets met; bench/results.md written`);
}

/**
 * The reference systems the service issues compare with, deployed from their npm packages on the same chain and
 * driven through the equivalent operations: ERC-1056 (ethr-did-registry), EAS, OpenAttestation's DocumentStore.
 */
async function benchReferences() {
  const signers = await ethers.getSigners();
  const [deployer, alice, bob, recipient] = [signers[0], signers[10], signers[11], signers[12]];
  const deploy = async (abi: InterfaceAbi, bytecode: string, args: unknown[] = []) => {
    const c = await new ContractFactory(abi, bytecode, deployer).deploy(...args);
    await c.waitForDeployment();
    return c as unknown as Contract;
  };
  const send = (c: Contract, method: string, ...args: unknown[]) =>
    gasOf(c.getFunction(method).send(...args) as Promise<ContractTransactionResponse>);

  // ERC-1056: every address is an identity; keys, services and delegates are events.
  const erc1056 = await deploy(EthereumDIDRegistry.abi, EthereumDIDRegistry.bytecode);
  const r = erc1056.connect(alice) as Contract;
  const year = 365 * 86_400;
  const pub = ethers.hexlify(ethers.randomBytes(32));
  reference(
    "ERC-1056",
    "setAttribute did/pub/Ed25519/veriKey",
    await send(r, "setAttribute", alice.address, encodeBytes32String("did/pub/Ed25519/veriKey/hex"), pub, year),
    "add a key (Ed25519)",
  );
  reference(
    "ERC-1056",
    "setAttribute did/svc/GovGateway",
    await send(
      r,
      "setAttribute",
      alice.address,
      encodeBytes32String("did/svc/GovGateway"),
      ethers.toUtf8Bytes("https://gw.example.gov"),
      year,
    ),
    "add a service",
  );
  reference("ERC-1056", "changeOwner", await send(r, "changeOwner", alice.address, bob.address), "rotate controller");
  reference(
    "ERC-1056",
    "changeOwner to 0x0",
    await send(erc1056.connect(bob) as Contract, "changeOwner", alice.address, ethers.ZeroAddress),
    "deactivate",
    "its way to deactivate",
  );

  // EAS: one attestation per credential, with the credential hash as data.
  const schemas = await deploy(eas.SchemaRegistry__factory.abi, eas.SchemaRegistry__factory.bytecode);
  const easContract = await deploy(eas.EAS__factory.abi, eas.EAS__factory.bytecode, [await schemas.getAddress()]);
  const schemaTx = await (schemas
    .getFunction("register")
    .send("bytes32 credentialHash", ethers.ZeroAddress, true) as Promise<ContractTransactionResponse>);
  const schemaUid = (await schemaTx.wait())!.logs
    .map((l) => schemas.interface.parseLog(l))
    .find((e) => e?.name === "Registered")!.args.uid;
  const data = (i: number) => ({
    recipient: recipient.address,
    expirationTime: 0,
    revocable: true,
    refUID: ZeroHash,
    data: AbiCoder.defaultAbiCoder().encode(["bytes32"], [ethers.id(`credential ${i}`)]),
    value: 0,
  });
  const attester = easContract.connect(bob) as Contract;
  await send(attester, "attest", { schema: schemaUid, data: data(0) }); // the attester's first one pays for its nonce slot
  const one = await (attester
    .getFunction("attest")
    .send({ schema: schemaUid, data: data(1) }) as Promise<ContractTransactionResponse>);
  const oneReceipt = (await one.wait())!;
  reference("EAS", "attest (one credential hash)", Number(oneReceipt.gasUsed), "issue one credential");
  const hundred = Array.from({ length: 100 }, (_, i) => data(100 + i));
  const multi = await (attester
    .getFunction("multiAttest")
    .send([{ schema: schemaUid, data: hundred }]) as Promise<ContractTransactionResponse>);
  const multiReceipt = (await multi.wait())!;
  reference(
    "EAS",
    "multiAttest of 100, per attestation",
    Number(multiReceipt.gasUsed) / 100,
    "issueBatch of 100, per credential",
  );
  const uids = multiReceipt.logs
    .map((l) => easContract.interface.parseLog(l))
    .filter((e) => e?.name === "Attested")
    .map((e) => e!.args.uid as string);
  const uidOne = oneReceipt.logs.map((l) => easContract.interface.parseLog(l)).find((e) => e?.name === "Attested")!.args
    .uid;
  reference(
    "EAS",
    "revoke one",
    await send(attester, "revoke", { schema: schemaUid, data: { uid: uidOne, value: 0 } }),
    "revoke one (fresh status word)",
  );
  const fifty = uids.slice(0, 50).map((uid) => ({ uid, value: 0 }));
  reference(
    "EAS",
    "multiRevoke of 50, per revocation",
    (await send(attester, "multiRevoke", [{ schema: schemaUid, data: fifty }])) / 50,
    "batch revoke 50 scattered, per status",
  );

  // OpenAttestation DocumentStore: one Merkle root per issuance, like an anchor.
  const store = await deploy(DocumentStoreFactory.abi, DocumentStoreFactory.bytecode, [
    "City finance bureau",
    deployer.address,
  ]);
  reference(
    "DocumentStore",
    "issue(root)",
    await send(store, "issue", ethers.id("root 1")),
    "anchor one root (any batch size)",
  );
  const bulk1 = await send(store, "bulkIssue", [ethers.id("b1")]);
  const bulk5 = await send(
    store,
    "bulkIssue",
    ["b2", "b3", "b4", "b5", "b6"].map((b) => ethers.id(b)),
  );
  reference(
    "DocumentStore",
    "each extra root in bulkIssue",
    (bulk5 - bulk1) / 4,
    "each extra root in a multi-root anchor",
  );
  reference(
    "DocumentStore",
    "revoke(document)",
    await send(store, "revoke", ethers.id("doc 7")),
    "revoke one document in a batch",
  );
}

/** Markdown as `npm run lint` wants it (prettier with the project's config). */
async function formatted(file: string, text: string): Promise<string> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

async function benchDisclosure() {
  const signers = await ethers.getSigners();
  const publisher = signers[4];
  const platform = await deployPlatform(hre, localParameters);
  const registry = platform.disclosureRegistry.connect(publisher);
  const anchor = (root: string) => ({
    root,
    category: encodeBytes32String("budget"),
    hashAlgorithm: 1,
    publishAt: 0,
    periodOrReference: "FY2027",
    uri: "https://finance.example.gov/budget/2027/",
  });
  record(
    "disclosure",
    "anchor one root (any batch size)",
    await gasOf(registry.anchor(anchor(ethers.id("r1")))),
    50_000,
  );
  const one = await gasOf(registry.anchorBatch([anchor(ethers.id("b1"))]));
  const five = await gasOf(registry.anchorBatch(["b2", "b3", "b4", "b5", "b6"].map((r) => anchor(ethers.id(r)))));
  record("disclosure", "each extra root in a multi-root anchor", (five - one) / 4, 24_000, "per root");
  record(
    "disclosure",
    "revoke one document in a batch",
    await gasOf(registry.revokeDocuments(ethers.id("r1"), [7])),
    50_000,
  );
  const all = Array.from({ length: 256 }, (_, i) => 256 + i);
  record(
    "disclosure",
    "revoke 256 documents of one batch, in all",
    await gasOf(registry.revokeDocuments(ethers.id("r1"), all)),
    1_000_000,
  );
  record(
    "disclosure",
    "amend (new version and link)",
    await gasOf(registry.amend(ethers.id("r1"), anchor(ethers.id("r1-v2")))),
    60_000,
  );
}

async function benchInvoice() {
  const f = await setupInvoicePlatform();
  const seller = f.registry.connect(f.seller);
  await issued(seller, await f.terms()); // the seller's first invoice of the period opens its tax totals
  const one = await f.terms();
  const issueGas = await gasOf(seller.issue(one));
  record("invoice", "issue one invoice (mint included)", issueGas, 120_000);
  const hundred = await Promise.all(Array.from({ length: 100 }, () => f.terms()));
  record(
    "invoice",
    "issueBatch of 100, per invoice",
    (await gasOf(seller.issueBatch(hundred))) / 100,
    90_000,
    "per invoice",
  );

  const next = async () => issued(seller, await f.terms());
  const a = await next();
  record("invoice", "accept (buyer)", await gasOf(f.registry.connect(f.buyer).accept(a.id, a.invoice)), 40_000);
  const gross = a.invoice.terms.amount + a.invoice.terms.tax;
  record(
    "invoice",
    "pay in full, off-chain payment recorded by the holder",
    await gasOf(seller.recordPayment(a.id, a.invoice, gross, encodeBytes32String("BANK-1"))),
    40_000,
  );
  record("invoice", "reimburse", await gasOf(f.registry.connect(f.employer).reimburse(a.id, ZeroHash)), 40_000);
  const b = await next();
  await (await f.registry.connect(f.buyer).accept(b.id, b.invoice)).wait();
  record(
    "invoice",
    "pay in full in e-CNY through the registry (ERC-20 transfer included)",
    await gasOf(f.registry.connect(f.buyer).pay(b.id, b.invoice, f.token, gross)),
    40_000,
  );
  const c = await next();
  record("invoice", "void", await gasOf(seller.voidInvoice(c.id, c.invoice, ZeroHash)), 40_000);
  const d = await next();
  record(
    "invoice",
    "freeze (tax authority)",
    await gasOf(f.registry.connect(f.taxBureau).freeze(d.id, ZeroHash)),
    40_000,
  );
  const e = await next();
  record(
    "invoice",
    "credit note (partial)",
    await gasOf(
      seller.issueCreditNote(e.id, e.invoice, {
        ...e.invoice.terms,
        number: encodeBytes32String("RED-BENCH-1"),
        amount: 1_000_00n,
        tax: 130_00n,
      }),
    ),
    130_000,
  );
}

async function benchAgreement() {
  const f = await setupAgreementPlatform();
  const { escrow, payer, supplier, supervisor } = f;
  const ms = f.input().milestones;
  const two = (extra: Partial<AgreementInput> = {}) =>
    f.input({ parties: [payer.address, supplier.address], milestones: [{ ...ms[0], approvers: 0b01 }], ...extra });
  record(
    "agreement",
    "create with 1 milestone (2 parties)",
    await gasOf(escrow.connect(payer).create(two(), ZeroHash, [])),
    150_000,
  );
  record(
    "agreement",
    "create with 3 milestones and 3 parties",
    await gasOf(escrow.connect(payer).create(f.input(), ZeroHash, [])),
    250_000,
  );
  // Signatures collected off chain and submitted with the creation: 1 vs 2 signers, the rest being equal.
  const signedBy = async (input: AgreementInput, signers: (typeof supplier)[]) => {
    const sigs = await collectSignatures(escrow, agreementIdOf(input, ZeroHash), input.parties, signers);
    return gasOf(escrow.connect(f.outsider).create(input, ZeroHash, sigs));
  };
  const base = f.input({ termsHash: ethers.id("sig-1") });
  const oneSigner = await signedBy(base, [supplier]);
  const twoSigners = await signedBy({ ...base, termsHash: ethers.id("sig-2") }, [supplier, supervisor]);
  record("agreement", "each extra EIP-712 signer at creation", twoSigners - oneSigner, 6_000, "per signer");

  const { id, key } = await fundedAgreement(f, f.input({ termsHash: ethers.id("bench") }), ethers.id("bench"));
  const s = escrow.connect(supplier);
  await (await s.submit(id, key, 0, ZeroHash)).wait();
  await (await s.submit(id, key, 2, ZeroHash)).wait();
  record(
    "agreement",
    "release a milestone (the approval that releases)",
    await gasOf(escrow.connect(payer).approve(id, key, 0)),
    60_000,
  );
  record("agreement", "withdraw (ERC-20)", await gasOf(s.withdraw(f.token, supplier)), 45_000);
  record(
    "agreement",
    "release, supplier paid before (ledger slot reused)",
    await gasOf(escrow.connect(payer).approve(id, key, 2)),
    60_000,
  );
  record(
    "agreement",
    "dispute (with evidence URI)",
    await gasOf(
      escrow.connect(payer).dispute(id, key, 1, "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"),
    ),
    80_000,
  );
  record(
    "agreement",
    "ruling by the arbiter (split to both sides)",
    await gasOf(escrow.connect(f.arbiter).rule(id, key, 1, 150_000_00n)),
    100_000,
  );
}

/**
 * Throughput against a separate hardhat node sealing a block a second. GOVCHAIN_BENCH_THROUGHPUT=0 skips the run and
 * tabulates the last measured bench/throughput.json, so a quick gas-only run keeps the README's throughput table.
 */
async function benchThroughput(): Promise<ThroughputReport | undefined> {
  const file = path.join(__dirname, "..", "bench", "throughput.json");
  if (process.env.GOVCHAIN_BENCH_THROUGHPUT !== "0") {
    const node = await startHardhatNode(8655);
    try {
      const code = await runNpx(["hardhat", "run", "--network", "localhost", "scripts/bench-throughput.ts"], {
        GOVCHAIN_LOCAL_RPC: node.url,
      });
      if (code !== 0) throw new Error(`throughput benchmark failed (exit ${code})`);
    } finally {
      node.stop();
    }
  }
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as ThroughputReport) : undefined;
}

async function main() {
  await benchIdentity();
  await benchDisclosure();
  await benchInvoice();
  await benchAgreement();
  await benchReferences();
  await writeResults(await benchThroughput());
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
