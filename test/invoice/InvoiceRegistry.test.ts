import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, ZeroHash, encodeBytes32String } from "ethers";
import { InvoiceStatus as S, Capability, invoiceIdOf, invoiceDataHash, loadInvoice } from "../../src/invoice/model";
import { signAcceptance, signReimbursement, issueCreditNote } from "../../src/invoice/lifecycle";
import { CNY, TZ_CHINA, issued, setupInvoicePlatform, timeNow } from "./helpers";

async function deployInvoiceFixture() {
  const f = await setupInvoicePlatform();
  // One invoice issued, accepted by the buyer: the usual starting point.
  const accepted = await issued(f.registry.connect(f.seller), await f.terms());
  await f.registry.connect(f.buyer).accept(accepted.id, accepted.invoice);
  return { ...f, accepted };
}

describe("InvoiceRegistry", function () {
  describe("participants", function () {
    it("registers sellers and reimbursers by the tax authority only, with an id kept across changes", async function () {
      const { registry, taxBureau, otherSeller, outsider } = await loadFixture(deployInvoiceFixture);
      const before = await registry.participantOf(otherSeller);
      await expect(registry.connect(taxBureau).registerParticipant(otherSeller, 0))
        .to.emit(registry, "ParticipantRegistered")
        .withArgs(otherSeller.address, before.id, 0);
      expect((await registry.participantOf(otherSeller)).id).to.equal(before.id);
      await expect(registry.connect(outsider).registerParticipant(otherSeller, Capability.SELLER))
        .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
        .withArgs(outsider.address);
    });

    it("refuses unknown capabilities and accounts that are not active organizations", async function () {
      const { registry, taxBureau, agency, citizen, didRegistry, employer } = await loadFixture(deployInvoiceFixture);
      const tax = registry.connect(taxBureau);
      await expect(tax.registerParticipant(employer, 4))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidCapabilities")
        .withArgs(4);
      // an agency may reimburse, not sell; a citizen neither
      await expect(tax.registerParticipant(agency, Capability.SELLER))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNotActiveOrganization")
        .withArgs(agency.address);
      await expect(tax.registerParticipant(citizen, Capability.REIMBURSER))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNotActiveOrganization")
        .withArgs(citizen.address);
      await didRegistry.connect(employer).deactivate(employer, ZeroHash);
      await expect(tax.registerParticipant(employer, Capability.REIMBURSER))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNotActiveOrganization")
        .withArgs(employer.address);
    });
  });

  describe("issue", function () {
    it("mints the invoice to its seller, commits its data and counts its tax in the seller's period", async function () {
      const { registry, seller, buyer, terms } = await loadFixture(deployInvoiceFixture);
      const t = await terms({ dueDate: BigInt((await timeNow()) + 30 * 86400) });
      const id = invoiceIdOf(seller.address, t.number);
      expect(await registry.invoiceIdOf(seller, t.number)).to.equal(id);
      const period = await registry.periodOf((await timeNow()) + 1);
      const totalsBefore = await registry.taxTotals(seller, period);
      const tx = registry.connect(seller).issue(t);
      await expect(tx).to.emit(registry, "Transfer").withArgs(ZeroAddress, seller.address, id);
      await expect(tx).to.emit(registry, "InvoiceIssued");
      const invoice = await loadInvoice(registry, id);
      expect(invoice.seller).to.equal(seller.address);
      expect(invoice.period).to.equal(Number(period));
      expect(invoice.terms).to.deep.equal({ ...t, buyer: buyer.address });
      expect(await registry.matches(id, invoice)).to.equal(true);
      expect(await registry.matches(id, { ...invoice, terms: { ...invoice.terms, amount: 1n } })).to.equal(false);
      expect(await registry.matches(12345n, invoice)).to.equal(false);
      expect(await registry.ownerOf(id)).to.equal(seller.address);
      const view = await registry.invoiceOf(id);
      expect(view.status).to.equal(S.Issued);
      expect(view.dataHash).to.equal(invoiceDataHash(invoice));
      expect(await registry.outstanding(id, invoice)).to.equal(t.amount + t.tax);
      const totals = await registry.taxTotals(seller, period);
      expect(totals.taxIssued - totalsBefore.taxIssued).to.equal(t.tax);
      expect(totals.invoices - totalsBefore.invoices).to.equal(1n);
    });

    it("refuses a duplicate number, but another seller may use the same number", async function () {
      const { registry, seller, otherSeller, terms } = await loadFixture(deployInvoiceFixture);
      const t = await terms();
      await registry.connect(seller).issue(t);
      await expect(registry.connect(seller).issue(await terms({ number: t.number })))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNumberTaken")
        .withArgs(seller.address, t.number);
      await expect(registry.connect(otherSeller).issue(t)).to.emit(registry, "InvoiceIssued");
    });

    it("refuses sellers not registered as taxpayers, and sellers whose DID was deactivated", async function () {
      const { registry, didRegistry, seller, employer, terms } = await loadFixture(deployInvoiceFixture);
      await expect(registry.connect(employer).issue(await terms()))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNotRegistered")
        .withArgs(employer.address, Capability.SELLER);
      await didRegistry.connect(seller).deactivate(seller, ZeroHash);
      await expect(registry.connect(seller).issue(await terms()))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNotActiveOrganization")
        .withArgs(seller.address);
      await expect(registry.connect(seller).issueBatch([await terms()]))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNotActiveOrganization")
        .withArgs(seller.address);
    });

    it("names the bad field of malformed terms", async function () {
      const { registry, seller, terms } = await loadFixture(deployInvoiceFixture);
      const r = registry.connect(seller);
      const t = await terms();
      const n = t.number;
      await expect(r.issue({ ...t, number: ZeroHash })).to.be.revertedWithCustomError(
        registry,
        "InvoiceRegistryEmptyNumber",
      );
      await expect(r.issue({ ...t, buyer: ZeroAddress }))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidBuyer")
        .withArgs(n, ZeroAddress);
      await expect(r.issue({ ...t, buyer: seller.address }))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidBuyer")
        .withArgs(n, seller.address);
      await expect(r.issue({ ...t, amount: 0n, tax: 0n }))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidAmount")
        .withArgs(n, 0, 0);
      for (const currency of [0, 1000]) {
        await expect(r.issue({ ...t, currency }))
          .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidCurrency")
          .withArgs(n, currency);
      }
      const future = t.issueDate + 7200n;
      for (const [issueDate, dueDate] of [
        [0n, 0n],
        [future, 0n],
        [t.issueDate, t.issueDate - 1n],
      ]) {
        await expect(r.issue({ ...t, issueDate, dueDate }))
          .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidDates")
          .withArgs(n, issueDate, dueDate);
      }
      await expect(r.issue({ ...t, documentHash: ZeroHash }))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryEmptyDocumentHash")
        .withArgs(n);
    });

    it("issues a batch with one tax update, and refuses an empty batch or a duplicate inside it", async function () {
      const { registry, seller, terms } = await loadFixture(deployInvoiceFixture);
      const batch = [await terms(), await terms({ tax: 1n }), await terms({ tax: 0n, amount: 5n })];
      const period = await registry.periodOf((await timeNow()) + 1);
      const before = await registry.taxTotals(seller, period);
      const balance = await registry.balanceOf(seller);
      const ids = await registry.connect(seller).issueBatch.staticCall(batch);
      await registry.connect(seller).issueBatch(batch);
      expect(ids).to.deep.equal(batch.map((t) => invoiceIdOf(seller.address, t.number)));
      const after = await registry.taxTotals(seller, period);
      expect(after.taxIssued - before.taxIssued).to.equal(13_000_00n + 1n);
      expect(after.invoices - before.invoices).to.equal(3n);
      expect(await registry.balanceOf(seller)).to.equal(balance + 3n);
      await expect(registry.connect(seller).issueBatch([])).to.be.revertedWithCustomError(
        registry,
        "InvoiceRegistryEmptyBatch",
      );
      const dup = await terms();
      await expect(registry.connect(seller).issueBatch([dup, await terms(), dup]))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNumberTaken")
        .withArgs(seller.address, dup.number);
    });

    it("computes tax periods in the tax authority's time zone", async function () {
      const { registry, taxBureau, didRegistry } = await loadFixture(deployInvoiceFixture);
      // 2026-11-30T20:00:00Z is already December 1st in UTC+8
      const t = Date.UTC(2026, 10, 30, 20) / 1000;
      expect(await registry.periodOf(t)).to.equal(202612);
      expect(await registry.periodOf(Date.UTC(2028, 1, 29, 12) / 1000)).to.equal(202802);
      expect(await registry.periodOf(Date.UTC(2100, 0, 1) / 1000)).to.equal(210001);
      expect(await registry.periodOf(0)).to.equal(197001);
      expect(await registry.settings()).to.deep.equal([BigInt(TZ_CHINA), 86400n]);
      await registry.connect(taxBureau).setSettings(-5 * 3600, 0);
      expect(await registry.periodOf(3600)).to.equal(197001); // before 1970 in New York: clamped to the epoch
      expect(await registry.didRegistry()).to.equal(await didRegistry.getAddress());
    });
  });

  describe("lifecycle", function () {
    it("accept → pay in part and in full in e-CNY → reimburse, each visible with its time", async function () {
      const { registry, seller, buyer, employer, token, terms } = await loadFixture(deployInvoiceFixture);
      const { id, invoice } = await issued(registry.connect(seller), await terms());
      await expect(registry.connect(buyer).accept(id, invoice))
        .to.emit(registry, "InvoiceAccepted")
        .withArgs(id, buyer.address);
      const gross = invoice.terms.amount + invoice.terms.tax;
      const part = registry.connect(buyer).pay(id, invoice, token, 50_000_00n);
      await expect(part)
        .to.emit(registry, "InvoicePaid")
        .withArgs(
          id,
          seller.address,
          buyer.address,
          50_000_00n,
          await token.getAddress(),
          ZeroHash,
          gross - 50_000_00n,
        );
      await expect(part).to.changeTokenBalances(token, [buyer, seller], [-50_000_00n, 50_000_00n]);
      expect((await registry.invoiceOf(id)).status).to.equal(S.PartiallyPaid);
      expect(await registry.outstanding(id, invoice)).to.equal(gross - 50_000_00n);
      await registry.connect(buyer).pay(id, invoice, token, gross - 50_000_00n);
      const paid = await registry.invoiceOf(id);
      expect(paid.status).to.equal(S.Paid);
      expect(paid.paid).to.equal(gross);
      expect(await registry.outstanding(id, invoice)).to.equal(0n);
      const claim = ethers.id("expense claim 2026-0042");
      await expect(registry.connect(employer).reimburse(id, claim))
        .to.emit(registry, "InvoiceReimbursed")
        .withArgs(id, employer.address, claim);
      const view = await registry.invoiceOf(id);
      expect(view.status).to.equal(S.Reimbursed);
      expect(view.reimburser).to.equal(employer.address);
      expect(view.statusChangedAt).to.equal(await timeNow());
    });

    it("refuses a second reimbursement, even by another organization, naming who claimed it and when", async function () {
      const { registry, employer, agency, buyer, accepted, token } = await loadFixture(deployInvoiceFixture);
      const { id, invoice } = accepted;
      await registry.connect(buyer).pay(id, invoice, token, invoice.terms.amount + invoice.terms.tax);
      await registry.connect(employer).reimburse(id, ZeroHash);
      const at = await timeNow();
      for (const claimant of [employer, agency]) {
        await expect(registry.connect(claimant).reimburse(id, ZeroHash))
          .to.be.revertedWithCustomError(registry, "InvoiceRegistryAlreadyReimbursed")
          .withArgs(id, employer.address, at);
      }
      expect((await registry.invoiceOf(id)).reimburser).to.equal(employer.address);
    });

    it("reimburses only paid invoices, and only by registered reimbursing organizations", async function () {
      const { registry, employer, outsider, accepted } = await loadFixture(deployInvoiceFixture);
      await expect(registry.connect(employer).reimburse(accepted.id, ZeroHash))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidStatus")
        .withArgs(accepted.id, S.Accepted);
      await expect(registry.connect(outsider).reimburse(accepted.id, ZeroHash))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNotRegistered")
        .withArgs(outsider.address, Capability.REIMBURSER);
      await expect(registry.connect(employer).reimburse(777n, ZeroHash))
        .to.be.revertedWithCustomError(registry, "ERC721NonexistentToken")
        .withArgs(777n);
    });

    it("lets only the buyer accept, once, and only with the recorded invoice data", async function () {
      const { registry, seller, buyer, outsider, terms, accepted } = await loadFixture(deployInvoiceFixture);
      const { id, invoice } = await issued(registry.connect(seller), await terms());
      await expect(registry.connect(outsider).accept(id, invoice))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNotBuyer")
        .withArgs(id, outsider.address, buyer.address);
      const forged = { ...invoice, terms: { ...invoice.terms, amount: 1n } };
      await expect(registry.connect(buyer).accept(id, forged))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryWrongInvoiceData")
        .withArgs(id);
      await expect(registry.connect(buyer).accept(accepted.id, accepted.invoice))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidStatus")
        .withArgs(accepted.id, S.Accepted);
      await expect(registry.connect(buyer).accept(999n, invoice))
        .to.be.revertedWithCustomError(registry, "ERC721NonexistentToken")
        .withArgs(999n);
    });

    it("records off-chain payments by the holder with their reference, and refuses overpayment", async function () {
      const { registry, seller, outsider, accepted, terms } = await loadFixture(deployInvoiceFixture);
      const { id, invoice } = accepted;
      const gross = invoice.terms.amount + invoice.terms.tax;
      const ref = encodeBytes32String("BANK-2026-11-0001");
      await expect(registry.connect(outsider).recordPayment(id, invoice, gross, ref))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNotHolder")
        .withArgs(id, outsider.address, seller.address);
      for (const amount of [0n, gross + 1n]) {
        await expect(registry.connect(seller).recordPayment(id, invoice, amount, ref))
          .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidPayment")
          .withArgs(id, amount, gross);
      }
      await expect(registry.connect(seller).recordPayment(id, invoice, gross, ref))
        .to.emit(registry, "InvoicePaid")
        .withArgs(id, seller.address, seller.address, gross, ZeroAddress, ref, 0);
      expect((await registry.invoiceOf(id)).status).to.equal(S.Paid);
      // paid before acceptance: refused
      const fresh = await issued(registry.connect(seller), await terms());
      await expect(registry.connect(seller).recordPayment(fresh.id, fresh.invoice, 1n, ref))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidStatus")
        .withArgs(fresh.id, S.Issued);
    });

    it("pays only in allow-listed tokens of the invoice's currency, received in full", async function () {
      const { registry, buyer, taxBureau, accepted } = await loadFixture(deployInvoiceFixture);
      const { id, invoice } = accepted;
      const fee = await ethers.deployContract("FeeOnTransferERC20Mock");
      await expect(registry.connect(buyer).pay(id, invoice, fee, 100n))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryTokenNotAllowed")
        .withArgs(await fee.getAddress(), CNY);
      await registry.connect(taxBureau).setPaymentToken(fee, 978, 1);
      await expect(registry.connect(buyer).pay(id, invoice, fee, 100n))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryTokenNotAllowed")
        .withArgs(await fee.getAddress(), CNY);
      await registry.connect(taxBureau).setPaymentToken(fee, CNY, 10n ** 16n); // 18 decimals per fen
      await fee.mint(buyer, 10n ** 24n);
      await fee.connect(buyer).approve(registry, ethers.MaxUint256);
      await expect(registry.connect(buyer).pay(id, invoice, fee, 100n))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryShortTransfer")
        .withArgs(await fee.getAddress(), 100n * 10n ** 16n, 99n * 10n ** 16n);
      await expect(registry.connect(taxBureau).setPaymentToken(ZeroAddress, CNY, 1))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryTokenNotAllowed")
        .withArgs(ZeroAddress, CNY);
      await expect(registry.connect(taxBureau).setPaymentToken(fee, 0, 1))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryTokenNotAllowed")
        .withArgs(await fee.getAddress(), 0);
      await expect(registry.connect(taxBureau).setPaymentToken(fee, CNY, 0))
        .to.emit(registry, "PaymentTokenSet")
        .withArgs(await fee.getAddress(), CNY, 0);
      expect((await registry.paymentToken(fee)).unitScale).to.equal(0n);
    });

    it("marks the buyer's input-VAT deduction once, after acceptance", async function () {
      const { registry, seller, buyer, outsider, terms, accepted } = await loadFixture(deployInvoiceFixture);
      const fresh = await issued(registry.connect(seller), await terms());
      await expect(registry.connect(buyer).markDeducted(fresh.id, fresh.invoice))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidStatus")
        .withArgs(fresh.id, S.Issued);
      await expect(registry.connect(outsider).markDeducted(accepted.id, accepted.invoice))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNotBuyer")
        .withArgs(accepted.id, outsider.address, buyer.address);
      const period = await registry.periodOf((await timeNow()) + 1);
      await expect(registry.connect(buyer).markDeducted(accepted.id, accepted.invoice))
        .to.emit(registry, "InputTaxDeducted")
        .withArgs(accepted.id, buyer.address, period);
      expect((await registry.invoiceOf(accepted.id)).deducted).to.equal(true);
      await expect(registry.connect(buyer).markDeducted(accepted.id, accepted.invoice))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryAlreadyDeducted")
        .withArgs(accepted.id);
    });
  });

  describe("void and credit notes", function () {
    it("voids before acceptance and takes the tax back out of the invoice's period", async function () {
      const { registry, seller, buyer, outsider, terms } = await loadFixture(deployInvoiceFixture);
      const { id, invoice } = await issued(registry.connect(seller), await terms());
      const before = await registry.taxTotals(seller, invoice.period);
      await expect(registry.connect(outsider).voidInvoice(id, invoice, ZeroHash))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNotSeller")
        .withArgs(id, outsider.address, seller.address);
      const reason = ethers.id("wrong buyer");
      await expect(registry.connect(seller).voidInvoice(id, invoice, reason))
        .to.emit(registry, "InvoiceVoided")
        .withArgs(id, seller.address, reason);
      const after = await registry.taxTotals(seller, invoice.period);
      expect(after.taxReversed - before.taxReversed).to.equal(invoice.terms.tax);
      expect(after.reversals - before.reversals).to.equal(1n);
      expect((await registry.invoiceOf(id)).status).to.equal(S.Voided);
      await expect(registry.connect(seller).voidInvoice(id, invoice, reason))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryVoidNotAllowed")
        .withArgs(id, S.Voided, invoice.issuedAt + 86400n);
      await expect(
        registry.connect(seller).issueCreditNote(id, invoice, { ...invoice.terms, number: ethers.id("RED-V") }),
      )
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidStatus")
        .withArgs(id, S.Voided);
      await expect(registry.connect(buyer).markDeducted(id, invoice))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidStatus")
        .withArgs(id, S.Voided);
    });

    it("voids an accepted invoice only within the void window and with nothing paid", async function () {
      const { registry, seller, accepted } = await loadFixture(deployInvoiceFixture);
      const { id, invoice } = accepted;
      await registry.connect(seller).recordPayment(id, invoice, 1n, ZeroHash);
      await expect(registry.connect(seller).voidInvoice(id, invoice, ZeroHash))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryVoidNotAllowed")
        .withArgs(id, S.PartiallyPaid, invoice.issuedAt + 86400n);
    });

    it("refuses to void after acceptance once the window has passed", async function () {
      const { registry, seller, buyer, terms } = await loadFixture(deployInvoiceFixture);
      const within = await issued(registry.connect(seller), await terms());
      const late = await issued(registry.connect(seller), await terms());
      await registry.connect(buyer).accept(within.id, within.invoice);
      await registry.connect(buyer).accept(late.id, late.invoice);
      await registry.connect(seller).voidInvoice(within.id, within.invoice, ZeroHash);
      await time.increaseTo(late.invoice.issuedAt + 86401n);
      await expect(registry.connect(seller).voidInvoice(late.id, late.invoice, ZeroHash))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryVoidNotAllowed")
        .withArgs(late.id, S.Accepted, late.invoice.issuedAt + 86400n);
    });

    it("credits part then the rest; never more than remains; a full credit reverses the invoice", async function () {
      const { registry, seller, buyer, accepted } = await loadFixture(deployInvoiceFixture);
      const { id, invoice } = accepted;
      const s = registry.connect(seller);
      const today = BigInt(await timeNow());
      const credit = (n: string, amount: bigint, tax: bigint) => ({
        number: encodeBytes32String(n),
        amount,
        tax,
        issueDate: today,
        documentHash: ethers.id(n),
      });
      const tx = await issueCreditNote(s, id, credit("RED-0001", 40_000_00n, 5_200_00n), invoice);
      const creditNoteId = invoiceIdOf(seller.address, encodeBytes32String("RED-0001"));
      await expect(tx).to.emit(registry, "InvoiceCredited").withArgs(id, creditNoteId, 40_000_00n, 5_200_00n);
      const note = await loadInvoice(registry, creditNoteId);
      expect(note.original).to.equal(id);
      expect(note.terms.buyer).to.equal(buyer.address);
      const cn = await registry.invoiceOf(creditNoteId);
      expect(cn.creditNote).to.equal(true);
      expect(await registry.outstanding(id, invoice)).to.equal(113_000_00n - 45_200_00n);
      const totals = await registry.taxTotals(seller, note.period);
      expect(totals.taxReversed).to.be.greaterThanOrEqual(5_200_00n);

      await expect(issueCreditNote(s, id, credit("RED-0002", 60_000_01n, 0n), invoice))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryCreditExceedsRemaining")
        .withArgs(id, 60_000_01n, 60_000_00n, 0n, 7_800_00n);
      await expect(issueCreditNote(s, id, credit("RED-0002", 0n, 7_800_01n), invoice))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryCreditExceedsRemaining")
        .withArgs(id, 0n, 60_000_00n, 7_800_01n, 7_800_00n);
      await issueCreditNote(s, id, credit("RED-0002", 60_000_00n, 7_800_00n), invoice);
      expect((await registry.invoiceOf(id)).status).to.equal(S.Reversed);
      await expect(issueCreditNote(s, id, credit("RED-0003", 1n, 0n), invoice))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidStatus")
        .withArgs(id, S.Reversed);
    });

    it("settles an invoice when a credit note covers what was left unpaid", async function () {
      const { registry, seller, accepted } = await loadFixture(deployInvoiceFixture);
      const { id, invoice } = accepted;
      await registry.connect(seller).recordPayment(id, invoice, 100_000_00n, ZeroHash);
      await issueCreditNote(
        registry.connect(seller),
        id,
        {
          number: encodeBytes32String("RED-PAID"),
          amount: 0n,
          tax: 13_000_00n,
          issueDate: BigInt(await timeNow()),
          documentHash: ethers.id("red"),
        },
        invoice,
      );
      expect((await registry.invoiceOf(id)).status).to.equal(S.Paid);
    });

    it("refuses credit notes on credit notes, for another buyer, by another seller, or when frozen", async function () {
      const { registry, seller, otherSeller, citizen, taxBureau, accepted } = await loadFixture(deployInvoiceFixture);
      const { id, invoice } = accepted;
      const s = registry.connect(seller);
      const base = {
        buyer: invoice.terms.buyer,
        number: encodeBytes32String("RED-X"),
        amount: 1n,
        tax: 0n,
        currency: CNY,
        issueDate: BigInt(await timeNow()),
        dueDate: 0n,
        documentHash: ethers.id("x"),
      };
      await expect(s.issueCreditNote(id, invoice, { ...base, buyer: citizen.address }))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryCreditMismatch")
        .withArgs(id);
      await expect(s.issueCreditNote(id, invoice, { ...base, currency: 978 }))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryCreditMismatch")
        .withArgs(id);
      await expect(registry.connect(otherSeller).issueCreditNote(id, invoice, base))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNotSeller")
        .withArgs(id, otherSeller.address, seller.address);
      await s.issueCreditNote(id, invoice, base);
      const noteId = invoiceIdOf(seller.address, base.number);
      const note = await loadInvoice(registry, noteId);
      await expect(s.issueCreditNote(noteId, note, { ...base, number: encodeBytes32String("RED-Y") }))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryIsCreditNote")
        .withArgs(noteId);
      await expect(s.voidInvoice(noteId, note, ZeroHash))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryIsCreditNote")
        .withArgs(noteId);
      await expect(s.transferFrom(seller, citizen, noteId))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryIsCreditNote")
        .withArgs(noteId);
      await registry.connect(taxBureau).freeze(id, ZeroHash);
      await expect(s.issueCreditNote(id, invoice, { ...base, number: encodeBytes32String("RED-Z") }))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryFrozen")
        .withArgs(id);
      await registry.connect(taxBureau).registerParticipant(seller, 0);
      await expect(s.issueCreditNote(id, invoice, { ...base, number: encodeBytes32String("RED-Z") }))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNotRegistered")
        .withArgs(seller.address, Capability.SELLER);
    });
  });

  describe("tax authority", function () {
    it("freezes an invoice: no payment, transfer, reimbursement or acceptance until unfrozen", async function () {
      const { registry, seller, buyer, employer, financier, taxBureau, token, terms, accepted } =
        await loadFixture(deployInvoiceFixture);
      const { id, invoice } = accepted;
      const reason = ethers.id("case 2026-117");
      await expect(registry.connect(taxBureau).freeze(id, reason))
        .to.emit(registry, "InvoiceFrozen")
        .withArgs(id, taxBureau.address, reason);
      expect((await registry.invoiceOf(id)).frozen).to.equal(true);
      await expect(registry.connect(taxBureau).freeze(id, reason))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryFrozen")
        .withArgs(id);
      await expect(registry.connect(buyer).pay(id, invoice, token, 1n))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryFrozen")
        .withArgs(id);
      await expect(registry.connect(seller).transferFrom(seller, financier, id))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryFrozen")
        .withArgs(id);
      const fresh = await issued(registry.connect(seller), await terms());
      await registry.connect(taxBureau).freeze(fresh.id, reason);
      await expect(registry.connect(buyer).accept(fresh.id, fresh.invoice))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryFrozen")
        .withArgs(fresh.id);

      await expect(registry.connect(taxBureau).unfreeze(id, reason))
        .to.emit(registry, "InvoiceUnfrozen")
        .withArgs(id, taxBureau.address, reason);
      await expect(registry.connect(taxBureau).unfreeze(id, reason))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryNotFrozen")
        .withArgs(id);
      await registry.connect(buyer).pay(id, invoice, token, invoice.terms.amount + invoice.terms.tax);
      await registry.connect(taxBureau).freeze(id, reason);
      await expect(registry.connect(employer).reimburse(id, ZeroHash))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryFrozen")
        .withArgs(id);
      await expect(registry.connect(buyer).freeze(id, reason))
        .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
        .withArgs(buyer.address);
      await expect(registry.connect(taxBureau).freeze(4242n, reason))
        .to.be.revertedWithCustomError(registry, "ERC721NonexistentToken")
        .withArgs(4242n);
    });

    it("bounds its settings", async function () {
      const { registry, taxBureau } = await loadFixture(deployInvoiceFixture);
      const tax = registry.connect(taxBureau);
      for (const [tz, window] of [
        [14 * 3600 + 1, 0],
        [-14 * 3600 - 1, 0],
        [0, 367 * 86400],
      ]) {
        await expect(tax.setSettings(tz, window))
          .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidSettings")
          .withArgs(tz, window);
      }
      await expect(tax.setSettings(-5 * 3600, 0))
        .to.emit(registry, "SettingsChanged")
        .withArgs(-5 * 3600, 0);
    });
  });

  describe("factoring", function () {
    it("sends payments to the financier the receivable was transferred to; paid invoices stay put", async function () {
      const { registry, seller, buyer, financier, token, accepted } = await loadFixture(deployInvoiceFixture);
      const { id, invoice } = accepted;
      await expect(registry.connect(seller).transferFrom(seller, financier, id))
        .to.emit(registry, "Transfer")
        .withArgs(seller.address, financier.address, id);
      expect(await registry.ownerOf(id)).to.equal(financier.address);
      const gross = invoice.terms.amount + invoice.terms.tax;
      await expect(registry.connect(buyer).pay(id, invoice, token, gross)).to.changeTokenBalances(
        token,
        [buyer, financier, seller],
        [-gross, gross, 0n],
      );
      await expect(registry.connect(financier).transferFrom(financier, seller, id))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidStatus")
        .withArgs(id, S.Paid);
    });

    it("follows ERC-721 approvals, operators and safe transfers", async function () {
      const { registry, seller, financier, outsider, didRegistry, accepted } = await loadFixture(deployInvoiceFixture);
      const { id } = accepted;
      await expect(registry.connect(outsider).transferFrom(seller, financier, id))
        .to.be.revertedWithCustomError(registry, "ERC721InsufficientApproval")
        .withArgs(outsider.address, id);
      await expect(registry.connect(outsider).approve(outsider, id))
        .to.be.revertedWithCustomError(registry, "ERC721InvalidApprover")
        .withArgs(outsider.address);
      await expect(registry.connect(seller).approve(outsider, id))
        .to.emit(registry, "Approval")
        .withArgs(seller.address, outsider.address, id);
      expect(await registry.getApproved(id)).to.equal(outsider.address);
      await expect(registry.connect(outsider).transferFrom(financier, outsider, id))
        .to.be.revertedWithCustomError(registry, "ERC721IncorrectOwner")
        .withArgs(financier.address, id, seller.address);
      await expect(registry.connect(outsider).transferFrom(seller, ZeroAddress, id))
        .to.be.revertedWithCustomError(registry, "ERC721InvalidReceiver")
        .withArgs(ZeroAddress);
      // a contract that does not take ERC-721 tokens is refused by safeTransferFrom
      await expect(registry.connect(outsider)["safeTransferFrom(address,address,uint256)"](seller, didRegistry, id))
        .to.be.revertedWithCustomError(registry, "ERC721InvalidReceiver")
        .withArgs(await didRegistry.getAddress());
      await registry.connect(outsider)["safeTransferFrom(address,address,uint256)"](seller, financier, id);
      expect(await registry.getApproved(id)).to.equal(ZeroAddress);
      await expect(registry.connect(financier).setApprovalForAll(outsider, true))
        .to.emit(registry, "ApprovalForAll")
        .withArgs(financier.address, outsider.address, true);
      expect(await registry.isApprovedForAll(financier, outsider)).to.equal(true);
      await registry.connect(outsider).approve(seller, id); // an operator may approve
      await registry.connect(outsider).transferFrom(financier, seller, id);
      expect(await registry.balanceOf(financier)).to.equal(0n);
      await expect(registry.setApprovalForAll(ZeroAddress, true))
        .to.be.revertedWithCustomError(registry, "ERC721InvalidOperator")
        .withArgs(ZeroAddress);
      await expect(registry.balanceOf(ZeroAddress))
        .to.be.revertedWithCustomError(registry, "ERC721InvalidOwner")
        .withArgs(ZeroAddress);
      for (const call of [registry.ownerOf(5n), registry.getApproved(5n), registry.tokenURI(5n)]) {
        await expect(call).to.be.revertedWithCustomError(registry, "ERC721NonexistentToken").withArgs(5n);
      }
    });

    it("describes itself as an ERC-721 with metadata", async function () {
      const { registry, accepted } = await loadFixture(deployInvoiceFixture);
      expect(await registry.name()).to.equal("GovChain e-Invoice");
      expect(await registry.symbol()).to.equal("GINV");
      expect(await registry.tokenURI(accepted.id)).to.equal("");
      for (const iface of ["0x01ffc9a7", "0x80ac58cd", "0x5b5e139f"]) {
        expect(await registry.supportsInterface(iface)).to.equal(true);
      }
      expect(await registry.supportsInterface("0xffffffff")).to.equal(false);
      expect(await registry.version()).to.equal("1.0.0");
    });
  });

  describe("relayed", function () {
    it("accepts and reimburses with the buyer's and the organization's signatures, sent by a relayer", async function () {
      const { registry, seller, buyer, employer, outsider, terms } = await loadFixture(deployInvoiceFixture);
      const { id, invoice } = await issued(registry.connect(seller), await terms());
      const deadline = BigInt((await timeNow()) + 3600);
      const acceptance = await signAcceptance(registry, buyer, id, deadline);
      const relayer = registry.connect(outsider);
      await expect(relayer.acceptBySig(id, invoice, deadline, await signAcceptance(registry, outsider, id, deadline)))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidSignature")
        .withArgs(buyer.address);
      await expect(relayer.acceptBySig(id, invoice, deadline, acceptance))
        .to.emit(registry, "InvoiceAccepted")
        .withArgs(id, buyer.address);
      // replaying the acceptance changes nothing
      await expect(relayer.acceptBySig(id, invoice, deadline, acceptance))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryInvalidStatus")
        .withArgs(id, S.Accepted);
      await registry.connect(seller).recordPayment(id, invoice, invoice.terms.amount + invoice.terms.tax, ZeroHash);
      const claimReference = ethers.id("claim 77");
      const signature = await signReimbursement(registry, employer, { invoiceId: id, claimReference, deadline });
      await expect(relayer.reimburseBySig(id, employer, claimReference, deadline, signature))
        .to.emit(registry, "InvoiceReimbursed")
        .withArgs(id, employer.address, claimReference);
    });

    it("refuses expired signatures", async function () {
      const { registry, buyer, outsider, terms, seller } = await loadFixture(deployInvoiceFixture);
      const { id, invoice } = await issued(registry.connect(seller), await terms());
      const deadline = BigInt(await timeNow());
      const acceptance = await signAcceptance(registry, buyer, id, deadline);
      await time.increase(10);
      await expect(registry.connect(outsider).acceptBySig(id, invoice, deadline, acceptance))
        .to.be.revertedWithCustomError(registry, "InvoiceRegistryExpiredSignature")
        .withArgs(deadline);
    });
  });

  describe("emergency stop", function () {
    it("stops issuance and payments while paused; the tax authority can still freeze", async function () {
      const { registry, seller, buyer, employer, taxBureau, pauser, token, terms, accepted } =
        await loadFixture(deployInvoiceFixture);
      const t = await terms();
      await registry.connect(pauser).pause();
      const { id, invoice } = accepted;
      const calls = [
        () => registry.connect(seller).issue(t),
        () => registry.connect(seller).issueBatch([]),
        () => registry.connect(buyer).accept(id, invoice),
        () => registry.connect(buyer).acceptBySig(id, invoice, 0, "0x"),
        () => registry.connect(buyer).pay(id, invoice, token, 1n),
        () => registry.connect(seller).recordPayment(id, invoice, 1n, ZeroHash),
        () => registry.connect(seller).voidInvoice(id, invoice, ZeroHash),
        () => registry.connect(seller).issueCreditNote(id, invoice, invoice.terms),
        () => registry.connect(buyer).markDeducted(id, invoice),
        () => registry.connect(employer).reimburse(id, ZeroHash),
        () => registry.connect(employer).reimburseBySig(id, employer, ZeroHash, 0, "0x"),
      ];
      for (const call of calls) await expect(call()).to.be.revertedWithCustomError(registry, "EnforcedPause");
      await expect(registry.connect(taxBureau).freeze(id, ZeroHash)).to.emit(registry, "InvoiceFrozen");
    });
  });
});
