import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash } from "ethers";
import { keyOf, type AgreementInput } from "../../src/agreement/model";
import { fundAgreement, signSettlement } from "../../src/agreement/lifecycle";
import { DAY, setupAgreementPlatform, signedAgreement } from "./helpers";

/** Short runs in `npm test`; GOVCHAIN_PROPERTY_RUNS=500 (say) for a long run. */
const RUNS = Number(process.env.GOVCHAIN_PROPERTY_RUNS ?? "12");

/** Two signed agreements: one in the digital euro, one in a fee-on-transfer token (1% lost on every transfer). */
async function deployEscrowPropertiesFixture() {
  const f = await setupAgreementPlatform();
  const fee = await ethers.deployContract("FeeOnTransferERC20Mock");
  await f.escrow.setTokenAllowed(fee, true);
  for (const a of [f.payer, f.outsider]) {
    await fee.mint(a, 10n ** 15n);
    await fee.connect(a).approve(f.escrow, ethers.MaxUint256);
  }
  const inputs: AgreementInput[] = [
    f.input(),
    f.input({ token: await fee.getAddress(), retentionBps: 1000, termsHash: ethers.id("fee") }),
  ];
  const ids: bigint[] = [];
  for (const input of inputs) ids.push((await signedAgreement(f, input)).id);
  return { ...f, fee, inputs, ids, tokens: [f.token, fee] };
}

type Step =
  | { op: "fund"; a: number; amount: number; by: number }
  | { op: "submit" | "reclaim" | "close" | "retention"; a: number; m: number }
  | { op: "approve" | "dispute"; a: number; m: number; by: number }
  | { op: "rule" | "settle"; a: number; m: number; share: number }
  | { op: "withdraw"; who: number; t: number }
  | { op: "wait"; days: number };

const a = fc.nat({ max: 1 });
const m = fc.nat({ max: 2 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant("fund" as const),
    a,
    amount: fc.integer({ min: 1, max: 400_000 }),
    by: fc.nat({ max: 1 }),
  }),
  fc.record({ op: fc.constantFrom("submit", "reclaim", "close", "retention" as const), a, m }),
  fc.record({ op: fc.constantFrom("approve", "dispute" as const), a, m, by: fc.nat({ max: 3 }) }),
  fc.record({ op: fc.constantFrom("rule", "settle" as const), a, m, share: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ op: fc.constant("withdraw" as const), who: fc.nat({ max: 3 }), t: fc.nat({ max: 1 }) }),
  fc.record({ op: fc.constant("wait" as const), days: fc.integer({ min: 1, max: 120 }) }),
) as fc.Arbitrary<Step>;

describe("escrow properties (fast-check)", function () {
  it("the escrow always holds exactly what it owes, and never pays out more than it received", async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 30 }), async (steps) => {
        const f = await loadFixture(deployEscrowPropertiesFixture);
        const { escrow, inputs, ids, tokens } = f;
        const people = [f.payer, f.supplier, f.supervisor, f.outsider];
        const funders = [f.payer, f.outsider];
        const accounts = [...people, f.arbiter];
        for (const s of steps) {
          try {
            switch (s.op) {
              case "fund":
                await (
                  await fundAgreement(
                    escrow.connect(funders[s.by]),
                    ids[s.a],
                    BigInt(s.amount) * 100n,
                    keyOf(inputs[s.a]),
                  )
                ).wait();
                break;
              case "submit":
                await (await escrow.connect(f.supplier).submit(ids[s.a], keyOf(inputs[s.a]), s.m, ZeroHash)).wait();
                break;
              case "reclaim":
                await (await escrow.connect(f.payer).reclaim(ids[s.a], keyOf(inputs[s.a]), s.m)).wait();
                break;
              case "close":
                await (await escrow.close(ids[s.a], keyOf(inputs[s.a]))).wait();
                break;
              case "retention":
                await (await escrow.releaseRetention(ids[s.a], keyOf(inputs[s.a]))).wait();
                break;
              case "approve":
                await (await escrow.connect(people[s.by]).approve(ids[s.a], keyOf(inputs[s.a]), s.m)).wait();
                break;
              case "dispute":
                await (await escrow.connect(people[s.by]).dispute(ids[s.a], keyOf(inputs[s.a]), s.m, "")).wait();
                break;
              case "rule":
              case "settle": {
                const amount = inputs[s.a].milestones[s.m].amount;
                const toSupplier = (amount * BigInt(s.share)) / 100n;
                if (s.op === "rule") {
                  await (await escrow.connect(f.arbiter).rule(ids[s.a], keyOf(inputs[s.a]), s.m, toSupplier)).wait();
                } else {
                  const deadline = BigInt(await time.latest()) + DAY;
                  const params = { agreementId: ids[s.a], milestone: s.m, toSupplier, deadline };
                  const p = await signSettlement(escrow, f.payer, params);
                  const q = await signSettlement(escrow, f.supplier, params);
                  await (await escrow.settle(ids[s.a], keyOf(inputs[s.a]), s.m, toSupplier, deadline, p, q)).wait();
                }
                break;
              }
              case "withdraw":
                await (await escrow.connect(people[s.who]).withdraw(tokens[s.t], people[s.who])).wait();
                break;
              case "wait":
                await time.increase(s.days * 86_400);
                break;
            }
          } catch {
            // refused operations are part of the exploration; the invariants must hold either way
          }
          for (const [t, token] of tokens.entries()) {
            let owed = 0n;
            for (const account of accounts) owed += await escrow.balanceOf(account, token);
            for (const [i, id] of ids.entries()) {
              if (inputs[i].token === (await token.getAddress())) owed += (await escrow.agreementOf(id)).held;
            }
            expect(await token.balanceOf(escrow), `token ${t}: balance vs what is owed`).to.equal(owed);
          }
        }
        for (const token of tokens) {
          const address = await token.getAddress();
          const funded = await escrow.queryFilter(escrow.filters.AgreementFunded());
          const received = funded
            .filter((e) => inputs[ids.indexOf(e.args.agreementId)].token === address)
            .reduce((sum, e) => sum + e.args.received, 0n);
          const withdrawn = (await escrow.queryFilter(escrow.filters.Withdrawn(undefined, address))).reduce(
            (sum, e) => sum + e.args.amount,
            0n,
          );
          expect(withdrawn <= received, "paid out more than received").to.equal(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
