import hre, { ethers } from "hardhat";
import { deployPlatform } from "../src/platform";
import localParameters from "../ignition/parameters/local.json";
import { toRegistrationStruct } from "../src/identity/registration";
import { idCommitment, randomSalt } from "../src/identity/commitment";
async function main() {
  const s = await ethers.getSigners();
  const { didRegistry } = await deployPlatform(hre, localParameters);
  const r = didRegistry.connect(s[1]);
  const reg = (d: string) => toRegistrationStruct({ did: d, subjectType: 1, idCommitment: idCommitment("n", "1", randomSalt()) });
  const n = Number(process.env.N ?? 10);
  const dids = Array.from({ length: n }, () => ethers.Wallet.createRandom().address);
  const tx = n === 1 ? await r.register(reg(dids[0]), ethers.ZeroHash, "") : await r.registerBatch(dids.map(reg));
  const rc = await tx.wait();
  console.log("gasUsed", rc!.gasUsed, "calldata bytes", (tx.data.length - 2) / 2);
  const trace: any = await hre.network.provider.send("debug_traceTransaction", [tx.hash, { disableStorage: true, disableMemory: true, disableStack: true }]);
  const by: Record<string, number> = {};
  for (const l of trace.structLogs) by[l.op] = (by[l.op] ?? 0) + l.gasCost;
  // CALL-family gasCost includes forwarded gas; skip them
  for (const op of ["DELEGATECALL", "STATICCALL", "CALL"]) delete by[op];
  const sorted = Object.entries(by).sort((a, b) => b[1] - a[1]).slice(0, 18);
  console.log(sorted.map(([k, v]) => `${k}:${v}`).join(" "));
  console.log("total opcodes counted", Object.values(by).reduce((a, b) => a + b, 0), "steps", trace.structLogs.length);
}
main();
