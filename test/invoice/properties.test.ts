import { expect } from "chai";
import fc from "fast-check";

import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash, encodeBytes32String } from "ethers";
import { InvoiceStatus, type Invoice } from "../../src/invoice/model";
import { issued, setupInvoicePlatform, timeNow } from "./helpers";

/** Short runs in `npm test`; GOVCHAIN_PROPERTY_RUNS=500 (say) for a long run. */
const RUNS = Number(process.env.GOVCHAIN_PROPERTY_RUNS ?? "12");
const POOL = 4;

async function deployInvoicePropertiesFixture() {
  return setupInvoicePlatform();
}

type Step =
  | { op: "issue" | "accept" | "void" | "freeze" | "unfreeze"; k: number }
  | { op: "pay"; k: number; part: number }
  | { op: "credit"; k: number; amount: number; tax: number }
  | { op: "reimburse"; k: number; by: number };

const k = fc.nat({ max: POOL - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constantFrom("issue", "accept", "void", "freeze", "unfreeze" as const), k }),
  fc.record({ op: fc.constant("pay" as const), k, part: fc.integer({ min: 1, max: 100 }) }),
  fc.record({
    op: fc.constant("credit" as const),
    k,
    amount: fc.integer({ min: 0, max: 120 }),
    tax: fc.integer({ min: 0, max: 20 }),
  }),
  fc.record({ op: fc.constant("reimburse" as const), k, by: fc.nat({ max: 2 }) }),
  fc.record({ op: fc.constant("issue" as const), k }), // issue more often: most steps need an invoice
) as fc.Arbitrary<Step>;

describe("invoice properties (fast-check)", function () {
  it("a seller's tax totals always equal issued minus reversed, and no invoice is ever reimbursed twice", async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 24 }), async (steps) => {
        const f = await loadFixture(deployInvoicePropertiesFixture);
        const { registry, seller, buyer, taxBureau, token } = f;
        const reimbursers = [f.employer, f.agency, f.buyer];
        const pool: ({ id: bigint; invoice: Invoice } | undefined)[] = Array(POOL).fill(undefined);
        const period = await registry.periodOf(await timeNow());
        const before = await registry.taxTotals(seller, period);
        const creditNotesTax: bigint[] = [];
        const reimbursedBy = new Map<bigint, string>();
        let credits = 0;
        for (const s of steps) {
          const entry = pool[s.k];
          const attempt = async () => {
            switch (s.op) {
              case "issue": {
                if (entry) return registry.connect(seller).issue(entry.invoice.terms); // duplicate: must fail
                pool[s.k] = await issued(registry.connect(seller), await f.terms({ amount: 100n, tax: 13n }));
                return undefined;
              }
              case "accept":
                return registry.connect(buyer).accept(entry!.id, entry!.invoice);
              case "void":
                return registry.connect(seller).voidInvoice(entry!.id, entry!.invoice, ZeroHash);
              case "freeze":
                return registry.connect(taxBureau).freeze(entry!.id, ZeroHash);
              case "unfreeze":
                return registry.connect(taxBureau).unfreeze(entry!.id, ZeroHash);
              case "pay":
                return registry.connect(buyer).pay(entry!.id, entry!.invoice, token, BigInt(s.part));
              case "credit":
                return registry.connect(seller).issueCreditNote(entry!.id, entry!.invoice, {
                  ...entry!.invoice.terms,
                  number: encodeBytes32String(`RED-${++credits}`),
                  amount: BigInt(s.amount),
                  tax: BigInt(s.tax),
                });
              case "reimburse":
                return registry.connect(reimbursers[s.by]).reimburse(entry!.id, ZeroHash);
            }
          };
          let ok = true;
          try {
            const tx = await attempt();
            if (tx) await tx.wait();
          } catch {
            ok = false;
          }
          if (s.op === "credit" && ok) creditNotesTax.push(BigInt(s.tax));
          if (s.op === "reimburse" && entry) {
            const previous = reimbursedBy.get(entry.id);
            if (previous) expect(ok, "a second reimbursement went through").to.equal(false);
            if (ok) reimbursedBy.set(entry.id, reimbursers[s.by].address);
          }

          // Invariants, recomputed from each invoice's own state.
          let live = 0n;
          for (const e of pool) {
            if (!e) continue;
            const view = await registry.invoiceOf(e.id);
            if (Number(view.status) !== InvoiceStatus.Voided) live += e.invoice.terms.tax;
            const by = reimbursedBy.get(e.id);
            if (by) {
              expect(Number(view.status)).to.equal(InvoiceStatus.Reimbursed);
              expect(view.reimburser).to.equal(by);
            }
            expect(view.paid + view.creditedAmount + view.creditedTax).to.be.at.most(
              e.invoice.terms.amount + e.invoice.terms.tax,
            );
          }
          const reversedByCredits = creditNotesTax.reduce((a, b) => a + b, 0n);
          const totals = await registry.taxTotals(seller, period);
          expect(
            totals.taxIssued - before.taxIssued - (totals.taxReversed - before.taxReversed),
            "tax due differs from the invoices",
          ).to.equal(live - reversedByCredits);
        }
        const reimbursements = await registry.queryFilter(registry.filters.InvoiceReimbursed());
        const ids = reimbursements.map((e) => e.args.invoiceId.toString());
        expect(new Set(ids).size).to.equal(ids.length);
      }),
      { numRuns: RUNS },
    );
  });
});
