import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { hexlify, randomBytes } from "ethers";
import { sealBlocksEvery } from "../src/chain/node";
import { attachPlatform } from "../src/platform";
import { loadDeployedAddresses } from "../src/deployments";
import { ensureRegistered, parseRegistrationFile, registerDids } from "../src/identity/registration";
import { idCommitment, randomSalt } from "../src/identity/commitment";
import { SubjectType } from "../src/identity/constants";
import { parseInvoiceFile, issueInvoices } from "../src/invoice/issuance";
import { Capability } from "../src/invoice/model";

/*
 * A free-gas consortium (Besu/Quorum with min-gas-price 0): a separate `hardhat node` started by `npm run test:batch`
 * with GOVCHAIN_ZERO_GAS=1, sealing a block per second. The platform deploys through Ignition and the batch engine
 * registers DIDs and issues invoices with every transaction priced at zero: no account spends anything.
 */
const ROOT = path.join(__dirname, "..");

describe("batch jobs on a zero-gas chain (separate hardhat node)", function () {
  this.timeout(10 * 60_000);
  const deploymentId = `zero-gas-test-${Date.now()}`;

  after(function () {
    fs.rmSync(path.join(ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  });

  it("deploys the platform and runs batch jobs without any account paying for gas", async function () {
    if (hre.network.name !== "localhost" || process.env.GOVCHAIN_ZERO_GAS !== "1") {
      throw new Error("Run with `npm run test:batch`.");
    }
    const signers = await ethers.getSigners();
    const [admin, registrar, , , , taxBureau] = signers;
    const [seller, buyer] = [signers[16], signers[17]];
    const before = await Promise.all([admin, registrar, taxBureau, seller].map((s) => ethers.provider.getBalance(s)));

    // The operator's way: the `ignition deploy` task, which prices its transactions from the network config.
    await hre.network.provider.send("evm_setAutomine", [true]);
    await hre.run(
      { scope: "ignition", task: "deploy" },
      { modulePath: "ignition/modules/GovPlatform.ts", parameters: "ignition/parameters/local.json", deploymentId },
    );
    const platform = attachPlatform(loadDeployedAddresses(ROOT, deploymentId), registrar);
    await ensureRegistered(platform.didRegistry, {
      did: seller.address,
      subjectType: SubjectType.Organization,
      idCommitment: idCommitment("uscc", seller.address, randomSalt()),
    });
    await (await platform.invoiceRegistry.connect(taxBureau).registerParticipant(seller, Capability.SELLER)).wait();
    await sealBlocksEvery(hre.network.provider, 1000);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-zero-gas-"));
    const citizens = path.join(dir, "citizens.csv");
    const rows = Array.from({ length: 600 }, (_, i) => `${hexlify(randomBytes(20))},citizen,national-id,${1e12 + i}`);
    fs.writeFileSync(citizens, ["did,subjectType,idScheme,idNumber", ...rows].join("\n") + "\n");
    const parsedCitizens = await parseRegistrationFile(citizens);
    const dids = await registerDids(platform.didRegistry, parsedCitizens.registrations, { chunkSize: 150 });
    expect(dids.records).to.equal(600);
    expect(dids.failures).to.deep.equal([]);

    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const invoices = path.join(dir, "invoices.csv");
    const lines = Array.from(
      { length: 200 },
      (_, i) => `${buyer.address},ZG-${i},100.00,13.00,CNY,,${ethers.id(`z${i}`)}`,
    );
    fs.writeFileSync(invoices, ["buyer,number,amount,tax,currency,dueDate,documentHash", ...lines].join("\n") + "\n");
    const parsedInvoices = await parseInvoiceFile(invoices, seller.address, now);
    const issued = await issueInvoices(platform.invoiceRegistry.connect(seller), parsedInvoices.invoices, {
      chunkSize: 50,
    });
    expect(issued.records).to.equal(200);
    expect(issued.gasUsed > 0n).to.equal(true); // gas was used...

    const after = await Promise.all([admin, registrar, taxBureau, seller].map((s) => ethers.provider.getBalance(s)));
    expect(after).to.deep.equal(before); // ...and nobody paid for it
    const block = await ethers.provider.getBlock("latest", true);
    expect(block!.baseFeePerGas).to.equal(null); // no fee market at all, as on a free-gas consortium
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
