import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { AgreementEscrow } from "../typechain-types";
import { CommonArgs, platformFor, withCommonParams } from "./common";

interface AgreementRef extends CommonArgs {
  id: string;
}

function withId(t: ReturnType<typeof withCommonParams>) {
  return t.addParam("id", "Agreement id", undefined, types.string);
}

function withMilestone(t: ReturnType<typeof withCommonParams>) {
  return withId(t).addParam("milestone", "Milestone number (0 = first)", undefined, types.int);
}

async function context(hre: HardhatRuntimeEnvironment, args: CommonArgs) {
  const { platform, signer } = await platformFor(hre, args);
  return { escrow: platform.agreementEscrow, signer, me: await signer.getAddress() };
}

/** Decimals of an agreement's token (18 for the native coin). */
async function decimalsOf(hre: HardhatRuntimeEnvironment, token: string): Promise<number> {
  const { NATIVE } = await import("../src/agreement/model");
  if (token === NATIVE) return 18;
  const { IERC20Metadata__factory } = await import("../typechain-types");
  return Number(await IERC20Metadata__factory.connect(token, hre.ethers.provider).decimals());
}

async function amountArg(hre: HardhatRuntimeEnvironment, escrowToken: string, value: string, option: string) {
  try {
    return hre.ethers.parseUnits(value, await decimalsOf(hre, escrowToken));
  } catch {
    throw new Error(`--${option}: "${value}" is not an amount of the agreement's token`);
  }
}

async function keyFor(escrow: AgreementEscrow, id: string) {
  const { loadAgreement, keyOf } = await import("../src/agreement/model");
  return keyOf(await loadAgreement(escrow, BigInt(id)));
}

async function sent(what: string, tx: Promise<{ wait(): Promise<unknown> }>) {
  await (await tx).wait();
  console.log(what);
}

withCommonParams(task("agreement:create", "Create an agreement from its JSON description"))
  .addParam("file", "agreement.json (parties, arbiters, token, retention, terms, milestones)", undefined, types.string)
  .addOptionalParam(
    "signatures",
    "Comma-separated EIP-712 signatures, one per party in order (empty to skip)",
    undefined,
    types.string,
  )
  .setAction(async (args: CommonArgs & { file: string; signatures?: string }, hre) => {
    const { createAgreement } = await import("../src/agreement/lifecycle");
    const { parseAgreementFile } = await import("../src/agreement/file");
    const { escrow } = await context(hre, args);
    const { input, salt } = await parseAgreementFile(args.file, (token) => decimalsOf(hre, token));
    const signatures = args.signatures ? args.signatures.split(",").map((s) => s.trim() || "0x") : [];
    const { id, tx } = await createAgreement(escrow, input, { salt, signatures });
    await tx.wait();
    const view = await escrow.agreementOf(id);
    console.log(
      `Agreement ${id} created (${view.state === 2n ? "Signed: every party has signed" : "Draft: waiting for signatures"})`,
    );
  });

withId(
  withCommonParams(
    task("agreement:sign", "Sign an agreement: on chain as a party, or --offline to print an EIP-712 signature"),
  ),
)
  .addFlag("offline", "Only print the signature, for someone else to submit")
  .addOptionalParam(
    "signatures",
    "Comma-separated signatures collected off chain, one per party (empty to skip)",
    undefined,
    types.string,
  )
  .setAction(async (args: AgreementRef & { offline: boolean; signatures?: string }, hre) => {
    const { signAgreement, signOnChain } = await import("../src/agreement/lifecycle");
    const { escrow, signer } = await context(hre, args);
    if (args.offline) {
      console.log(await signAgreement(escrow, signer, BigInt(args.id)));
      return;
    }
    const signatures = args.signatures ? args.signatures.split(",").map((s) => s.trim() || "0x") : [];
    await sent(`Agreement ${args.id} signed`, signOnChain(escrow, BigInt(args.id), signatures));
  });

withId(withCommonParams(task("agreement:fund", "Fund an agreement (approves the token first)")))
  .addParam("amount", "Amount in the token's units, e.g. 350000.00", undefined, types.string)
  .setAction(async (args: AgreementRef & { amount: string }, hre) => {
    const { fundAgreement } = await import("../src/agreement/lifecycle");
    const { escrow } = await context(hre, args);
    const key = await keyFor(escrow, args.id);
    const amount = await amountArg(hre, key.token, args.amount, "amount");
    await sent(`Funded agreement ${args.id} with ${args.amount}`, fundAgreement(escrow, BigInt(args.id), amount, key));
  });

withMilestone(withCommonParams(task("agreement:submit", "Submit a milestone's deliverable (supplier)")))
  .addParam("deliverable", "The deliverable file (its hash goes on chain)", undefined, types.string)
  .setAction(async (args: AgreementRef & { milestone: number; deliverable: string }, hre) => {
    const fs = await import("node:fs");
    const { submitMilestone } = await import("../src/agreement/lifecycle");
    const { escrow } = await context(hre, args);
    const hash = hre.ethers.keccak256(fs.readFileSync(args.deliverable));
    await sent(
      `Milestone ${args.milestone} submitted (${hash})`,
      submitMilestone(escrow, BigInt(args.id), args.milestone, hash),
    );
  });

withMilestone(withCommonParams(task("agreement:approve", "Approve a submitted milestone (an approver)"))).setAction(
  async (args: AgreementRef & { milestone: number }, hre) => {
    const { approveMilestone } = await import("../src/agreement/lifecycle");
    const { escrow } = await context(hre, args);
    await sent(`Milestone ${args.milestone} approved`, approveMilestone(escrow, BigInt(args.id), args.milestone));
  },
);

withMilestone(
  withCommonParams(task("agreement:reclaim", "Take back a milestone past due with nothing delivered (payer)")),
).setAction(async (args: AgreementRef & { milestone: number }, hre) => {
  const { reclaimMilestone } = await import("../src/agreement/lifecycle");
  const { escrow } = await context(hre, args);
  await sent(`Milestone ${args.milestone} reclaimed`, reclaimMilestone(escrow, BigInt(args.id), args.milestone));
});

withMilestone(withCommonParams(task("agreement:dispute", "Dispute a milestone (any party)")))
  .addParam("evidence", "URI of the evidence", undefined, types.string)
  .setAction(async (args: AgreementRef & { milestone: number; evidence: string }, hre) => {
    const { disputeMilestone } = await import("../src/agreement/lifecycle");
    const { escrow } = await context(hre, args);
    await sent(
      `Milestone ${args.milestone} disputed`,
      disputeMilestone(escrow, BigInt(args.id), args.milestone, args.evidence),
    );
  });

withMilestone(withCommonParams(task("agreement:rule", "Rule (or vote, in a panel) on a disputed milestone (ARBITER)")))
  .addParam("toSupplier", "What the supplier gets; the rest goes back to the payer", undefined, types.string)
  .setAction(async (args: AgreementRef & { milestone: number; toSupplier: string }, hre) => {
    const { ruleMilestone } = await import("../src/agreement/lifecycle");
    const { escrow } = await context(hre, args);
    const key = await keyFor(escrow, args.id);
    const toSupplier = await amountArg(hre, key.token, args.toSupplier, "to-supplier");
    await sent(
      `Ruling on milestone ${args.milestone}: ${args.toSupplier} to the supplier`,
      ruleMilestone(escrow, BigInt(args.id), args.milestone, toSupplier, key),
    );
  });

withMilestone(
  withCommonParams(
    task("agreement:settle", "Settle a milestone by mutual agreement: print your signature, or submit both"),
  ),
)
  .addParam("toSupplier", "What the supplier gets; the rest goes back to the payer", undefined, types.string)
  .addParam("deadline", "Until when the settlement may be submitted (date or unix seconds)", undefined, types.string)
  .addOptionalParam(
    "payerSignature",
    "The payer's signature (with --supplier-signature: submit)",
    undefined,
    types.string,
  )
  .addOptionalParam("supplierSignature", "The supplier's signature", undefined, types.string)
  .setAction(
    async (
      args: AgreementRef & {
        milestone: number;
        toSupplier: string;
        deadline: string;
        payerSignature?: string;
        supplierSignature?: string;
      },
      hre,
    ) => {
      const { signSettlement, settleMilestone } = await import("../src/agreement/lifecycle");
      const { parseTime } = await import("../src/util/time");
      const { escrow, signer } = await context(hre, args);
      const key = await keyFor(escrow, args.id);
      const toSupplier = await amountArg(hre, key.token, args.toSupplier, "to-supplier");
      const deadline = parseTime(args.deadline);
      const params = { agreementId: BigInt(args.id), milestone: args.milestone, toSupplier, deadline };
      if (!args.payerSignature || !args.supplierSignature) {
        console.log(await signSettlement(escrow, signer, params));
        return;
      }
      await sent(
        `Milestone ${args.milestone} settled: ${args.toSupplier} to the supplier`,
        settleMilestone(
          escrow,
          BigInt(args.id),
          {
            ...params,
            payerSignature: args.payerSignature,
            supplierSignature: args.supplierSignature,
          },
          key,
        ),
      );
    },
  );

withId(
  withCommonParams(
    task(
      "agreement:close",
      "Close an agreement whose milestones are all settled; --retention pays the retention after the warranty",
    ),
  ),
)
  .addFlag("retention", "Release the retention (after the warranty period)")
  .setAction(async (args: AgreementRef & { retention: boolean }, hre) => {
    const { closeAgreement, releaseRetention } = await import("../src/agreement/lifecycle");
    const { escrow } = await context(hre, args);
    if (args.retention) await sent(`Retention of ${args.id} released`, releaseRetention(escrow, BigInt(args.id)));
    else await sent(`Agreement ${args.id} closed`, closeAgreement(escrow, BigInt(args.id)));
  });

withId(withCommonParams(task("agreement:cancel", "Cancel an agreement before it is funded (any party)"))).setAction(
  async (args: AgreementRef, hre) => {
    const { cancelAgreement } = await import("../src/agreement/lifecycle");
    const { escrow } = await context(hre, args);
    await sent(`Agreement ${args.id} cancelled`, cancelAgreement(escrow, BigInt(args.id)));
  },
);

withCommonParams(task("agreement:withdraw", "Withdraw everything the escrow owes you in one token"))
  .addOptionalParam("token", "Token address (default: the native coin)", undefined, types.string)
  .addOptionalParam("to", "Where to send it (default: yourself)", undefined, types.string)
  .setAction(async (args: CommonArgs & { token?: string; to?: string }, hre) => {
    const { NATIVE } = await import("../src/agreement/model");
    const { escrow, me } = await context(hre, args);
    const token = args.token ?? NATIVE;
    const amount = await escrow.balanceOf(me, token);
    const decimals = await decimalsOf(hre, token);
    await sent(
      `Withdrew ${hre.ethers.formatUnits(amount, decimals)} to ${args.to ?? me}`,
      escrow.withdraw(token, args.to ?? me),
    );
  });

withId(
  withCommonParams(task("agreement:show", "Show an agreement: state, every milestone and every balance")),
).setAction(async (args: AgreementRef, hre) => {
  const { agreementReport } = await import("../src/agreement/model");
  const { escrow } = await context(hre, args);
  const r = await agreementReport(escrow, BigInt(args.id));
  const decimals = await decimalsOf(hre, r.token);
  const money = (v: bigint) => hre.ethers.formatUnits(v, decimals);
  console.log(
    `Agreement ${r.id}: ${r.state}; total ${money(r.total)}, funded ${money(r.funded)}, held in escrow ${money(r.held)}`,
  );
  console.log(`  signatures: ${r.signed.map((s) => `${s.party} ${s.signed ? "signed" : "pending"}`).join("; ")}`);
  for (const m of r.milestones) {
    console.log(
      `  milestone ${m.index}: ${money(m.amount)} due ${new Date(Number(m.dueDate) * 1000).toISOString().slice(0, 10)}` +
        ` ${m.status}${m.approvals.length ? `, approved by ${m.approvals.join(", ")}` : ""}${m.retained ? `, retained ${money(m.retained)}` : ""}`,
    );
  }
  for (const b of r.balances)
    if (b.withdrawable > 0n) console.log(`  ${b.account} may withdraw ${money(b.withdrawable)}`);
});
