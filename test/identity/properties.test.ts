import { expect } from "chai";
import fc from "fast-check";
import hre, { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash, encodeBytes32String } from "ethers";
import { deployPlatform } from "../../src/platform";
import { KeyType, Purpose } from "../../src/identity/constants";
import { credentialHash, schemaIdOf, sortedIndices, type CredentialInput } from "../../src/identity/credentials";
import { sampleKey } from "./helpers";
import localParameters from "../../ignition/parameters/local.json";

/** Short runs in `npm test`; GOVCHAIN_PROPERTY_RUNS=500 (say) for a long run. */
const RUNS = Number(process.env.GOVCHAIN_PROPERTY_RUNS ?? "12");

async function deployPropertiesFixture() {
  const signers = await ethers.getSigners();
  const [, , accreditationBody] = signers;
  const [alice, bob, ministry, bureau, verifier] = signers.slice(10);
  const platform = await deployPlatform(hre, localParameters);
  const credentials = platform.credentialRegistry;
  await credentials.connect(accreditationBody).registerSchema("Licence", 1, ZeroHash, "");
  const schemaId = schemaIdOf("Licence", 1);
  await credentials.connect(accreditationBody).accreditOrganization(ministry, 0, 0);
  await credentials.connect(ministry).accreditIssuer(bureau, [schemaId], 0, 0);
  const issued: CredentialInput[] = Array.from({ length: 12 }, (_, i) => ({
    credentialHash: credentialHash({ i }),
    subject: ethers.Wallet.createRandom().address,
    schemaId,
    validFrom: 0,
    validUntil: 0,
    statusIndex: i * 97, // spread over several status words
  }));
  for (const c of issued) await credentials.connect(bureau).issue(c);
  return { dids: platform.didRegistry, credentials, alice, bob, bureau, verifier, issued };
}

type DidStep =
  | { op: "service" | "key" | "invalidate" | "deactivate"; by: 0 | 1 }
  | { op: "controller"; by: 0 | 1; to: 0 | 1 }
  | { op: "delegate" | "undelegate"; by: 0 | 1 };

const didStep: fc.Arbitrary<DidStep> = fc.oneof(
  fc.record({
    op: fc.constantFrom("service", "key", "invalidate", "deactivate" as const),
    by: fc.constantFrom(0, 1 as const),
  }),
  fc.record({
    op: fc.constant("controller" as const),
    by: fc.constantFrom(0, 1 as const),
    to: fc.constantFrom(0, 1 as const),
  }),
  fc.record({ op: fc.constantFrom("delegate", "undelegate" as const), by: fc.constantFrom(0, 1 as const) }),
) as fc.Arbitrary<DidStep>;

describe("identity properties (fast-check)", function () {
  it("a DID's version only grows, and a deactivated DID never changes again", async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(didStep, { minLength: 1, maxLength: 12 }), async (steps) => {
        const { dids, alice, bob } = await loadFixture(deployPropertiesFixture);
        const people = [alice, bob];
        let previous = await dids.didRecord(alice);
        for (const [i, step] of steps.entries()) {
          const r = dids.connect(people[step.by]);
          const attempt = async () => {
            switch (step.op) {
              case "service":
                return r.setService(alice, encodeBytes32String(`s${i}`), "T", "https://e");
              case "key":
                return r.addKey(alice, sampleKey(KeyType.Ed25519, `k${i}`));
              case "invalidate":
                return r.invalidateSignatures(alice);
              case "deactivate":
                return r.deactivate(alice, ZeroHash);
              case "controller":
                return r.changeController(alice, people[step.to]);
              case "delegate":
                return r.setDelegate(alice, bob, { purposes: Purpose.authentication, validFrom: 0, validUntil: 0 });
              case "undelegate":
                return r.revokeDelegate(alice, bob);
            }
          };
          let succeeded = true;
          try {
            await (await attempt()).wait();
          } catch {
            succeeded = false;
          }
          const now = await dids.didRecord(alice);
          if (previous.deactivated) {
            expect(succeeded, `step ${i} changed a deactivated DID`).to.equal(false);
            expect(now).to.deep.equal(previous);
          }
          expect(now.version >= previous.version).to.equal(true);
          expect(now.version).to.equal(previous.version + (succeeded ? 1n : 0n));
          previous = now;
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("a revoked credential never verifies again; one verifies iff neither revoked nor suspended", async function () {
    const statusStep = fc.record({
      op: fc.constantFrom("revoke", "suspend", "reinstate"),
      picks: fc.uniqueArray(fc.nat({ max: 11 }), { minLength: 1, maxLength: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(statusStep, { minLength: 1, maxLength: 8 }), async (steps) => {
        const { credentials, bureau, verifier, issued } = await loadFixture(deployPropertiesFixture);
        const revoked = new Set<number>();
        const suspended = new Set<number>();
        for (const step of steps) {
          const indices = sortedIndices(step.picks.map((p) => issued[p].statusIndex as number));
          const r = credentials.connect(bureau);
          if (step.op === "revoke") await r.revoke(indices);
          else if (step.op === "suspend") await r.suspend(indices);
          else await r.reinstate(indices);
          for (const p of step.picks) {
            if (step.op === "revoke") revoked.add(p);
            else if (step.op === "suspend") suspended.add(p);
            else suspended.delete(p);
          }
          for (const [p, c] of issued.entries()) {
            const status = Number(await credentials.connect(verifier).verify(bureau, c));
            const expected = revoked.has(p) ? 4 : suspended.has(p) ? 5 : 0;
            expect(status, `credential ${p}`).to.equal(expected);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
