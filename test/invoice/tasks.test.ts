import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { saveDeployedAddresses } from "../../src/deployments";
import { invoiceIdOf, InvoiceStatus } from "../../src/invoice/model";
import { runTask, runTaskWithCode } from "../tasks";
import { setupInvoicePlatform } from "./helpers";

async function deployInvoiceTasksFixture() {
  const f = await setupInvoicePlatform();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "govchain-invoice-tasks-"));
  const deployment = path.join(dir, "deployed_addresses.json");
  saveDeployedAddresses(deployment, f.addresses);
  const document = path.join(dir, "invoice-0001.xml");
  fs.writeFileSync(document, "<invoice><number>SZ-0001</number><total>1130.00</total></invoice>\n");
  return { ...f, dir, deployment, document };
}

describe("invoice tasks", function () {
  it("issue, accept, pay in part and in full, reimburse once, verify with history, report tax", async function () {
    const { registry, deployment, document, seller, buyer, employer, token } =
      await loadFixture(deployInvoiceTasksFixture);
    const out = await runTask("invoice:issue", {
      deployment,
      signer: "10",
      buyer: buyer.address,
      number: "SZ-0001",
      amount: "1000.00",
      tax: "130.00",
      currency: "CNY",
      document,
    });
    const id = invoiceIdOf(seller.address, "SZ-0001");
    expect(out).to.contain(`id ${id}`);
    const ref = { deployment, seller: seller.address, number: "SZ-0001" };
    await runTask("invoice:accept", { ...ref, signer: "12" });
    await runTask("invoice:pay", { ...ref, signer: "12", amount: "130.00", token: await token.getAddress() });
    expect((await registry.invoiceOf(id)).status).to.equal(InvoiceStatus.PartiallyPaid);
    await runTask("invoice:pay", { ...ref, signer: "10", amount: "1000.00", reference: "BANK-77" });
    await runTask("invoice:reimburse", { ...ref, signer: "13", claim: "claim 9" });
    await expect(runTask("invoice:reimburse", { ...ref, signer: "14" })).to.be.rejectedWith(
      "InvoiceRegistryAlreadyReimbursed",
    );
    const verified = await runTaskWithCode("invoice:verify", { ...ref, document });
    expect(verified.code).to.equal(0);
    expect(verified.output).to.contain("status Reimbursed");
    expect(verified.output).to.contain(`reimbursed by ${employer.address}`);
    expect(verified.output).to.contain("DOCUMENT MATCHES");
    for (const event of ["InvoiceIssued", "InvoiceAccepted", "InvoicePaid", "InvoiceReimbursed"]) {
      expect(verified.output).to.contain(event);
    }
    const tampered = document.replace(".xml", "-copy.xml");
    fs.writeFileSync(tampered, fs.readFileSync(document, "utf8").replace("1130.00", "11300.00"));
    expect((await runTaskWithCode("invoice:verify", { ...ref, document: tampered })).code).to.equal(1);
    const missing = await runTaskWithCode("invoice:verify", { deployment, seller: seller.address, number: "NOPE" });
    expect(missing.code).to.equal(1);
    expect(missing.output).to.contain("NOT FOUND");

    const period = await registry.periodOf((await registry.runner!.provider!.getBlock("latest"))!.timestamp);
    const report = await runTask("invoice:tax-report", { deployment, seller: seller.address, period: String(period) });
    expect(report).to.contain("tax due 130.00");
  });

  it("batch-issues from CSV, and refuses a file with bad lines naming each before sending anything", async function () {
    const { registry, deployment, dir, seller, buyer, citizen } = await loadFixture(deployInvoiceTasksFixture);
    const hash = "0x" + "ab".repeat(32);
    const due = (await registry.runner!.provider!.getBlock("latest"))!.timestamp + 60 * 86_400; // unix seconds
    const good = path.join(dir, "november.csv");
    fs.writeFileSync(
      good,
      "buyer,number,amount,tax,currency,issueDate,dueDate,documentHash\n" +
        Array.from(
          { length: 25 },
          (_, i) => `${i % 2 ? buyer.address : citizen.address},B-${i},${100 + i}.50,13.00,CNY,,${due},${hash}`,
        ).join("\n") +
        "\n",
    );
    const out = await runTask("invoice:batch-issue", {
      deployment,
      signer: "10",
      file: good,
      inFlight: 4,
      resume: false,
      chunk: 10,
    });
    expect(out).to.contain("25 invoices recorded");
    expect((await registry.invoiceOf(invoiceIdOf(seller.address, "B-24"))).status).to.equal(InvoiceStatus.Issued);

    const bad = path.join(dir, "bad.csv");
    fs.writeFileSync(
      bad,
      "buyer,number,amount,tax,currency,issueDate,dueDate,documentHash\n" +
        `${buyer.address},C-1,10.00,1.30,CNY,,,${hash}\n` +
        `not-an-address,C-2,10.00,1.30,CNY,,,${hash}\n` +
        `${buyer.address},C-3,10.001,1.30,XYZ,,,0x12\n` +
        `${buyer.address},C-1,10.00,1.30,CNY,,,${hash}\n`,
    );
    const error = await runTask("invoice:batch-issue", {
      deployment,
      signer: "10",
      file: bad,
      inFlight: 4,
      resume: false,
    }).catch((e: Error) => e.message);
    expect(error).to.contain("nothing was sent");
    expect(error).to.contain(`${bad}:3 field "buyer"`);
    expect(error).to.contain(`${bad}:4 field "currency"`);
    expect(error).to.contain(`${bad}:4 field "documentHash"`);
    expect(error).to.contain(`${bad}:5 field "number": is already on line 2`);
    expect((await registry.invoiceOf(invoiceIdOf(seller.address, "C-1"))).status).to.equal(InvoiceStatus.None);
  });

  it("credit note, void, freeze and unfreeze, register, settings and payment tokens from the command line", async function () {
    const { registry, deployment, document, seller, buyer, agency, token } =
      await loadFixture(deployInvoiceTasksFixture);
    const issue = (number: string) =>
      runTask("invoice:issue", {
        deployment,
        signer: "10",
        buyer: buyer.address,
        number,
        amount: "100.00",
        tax: "13.00",
        currency: "CNY",
        document,
      });
    await issue("CN-1");
    await issue("CN-2");
    await runTask("invoice:accept", { deployment, signer: "12", seller: seller.address, number: "CN-1" });
    const out = await runTask("invoice:credit-note", {
      deployment,
      signer: "10",
      number: "CN-1",
      creditNumber: "RED-1",
      amount: "40.00",
      tax: "5.20",
      document,
    });
    expect(out).to.contain("reverses 40.00 + tax 5.20");
    const view = await registry.invoiceOf(invoiceIdOf(seller.address, "CN-1"));
    expect(view.creditedAmount).to.equal(40_00n);
    await runTask("invoice:void", { deployment, signer: "10", number: "CN-2", reason: "typo" });
    expect((await registry.invoiceOf(invoiceIdOf(seller.address, "CN-2"))).status).to.equal(InvoiceStatus.Voided);
    const ref = { deployment, signer: "5", seller: seller.address, number: "CN-1", reason: "case 12" };
    await runTask("invoice:freeze", ref);
    expect((await registry.invoiceOf(invoiceIdOf(seller.address, "CN-1"))).frozen).to.equal(true);
    await runTask("invoice:unfreeze", ref);
    await runTask("invoice:register", { deployment, signer: "5", account: agency.address, capabilities: "none" });
    expect((await registry.participantOf(agency)).capabilities).to.equal(0n);
    await expect(
      runTask("invoice:register", { deployment, signer: "5", account: agency.address, capabilities: "king" }),
    ).to.be.rejectedWith('--capabilities: "king"');
    await runTask("invoice:settings", { deployment, signer: "5", timezone: "-05:00", voidWindow: 0 });
    expect(await registry.settings()).to.deep.equal([-5n * 3600n, 0n]);
    await expect(
      runTask("invoice:settings", { deployment, signer: "5", timezone: "8", voidWindow: 0 }),
    ).to.be.rejectedWith("--timezone");
    await runTask("invoice:allow-token", {
      deployment,
      signer: "5",
      token: await token.getAddress(),
      currency: "CNY",
      unitScale: "0",
    });
    expect((await registry.paymentToken(token)).unitScale).to.equal(0n);
    await expect(runTask("invoice:accept", { deployment, signer: "12" })).to.be.rejectedWith("give --id");
  });
});
