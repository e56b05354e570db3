import hre, { ethers } from "hardhat";
import { deployPlatform } from "../src/platform";
import localParameters from "../ignition/parameters/local.json";
async function main() {
  const s = await ethers.getSigners();
  const { didRegistry } = await deployPlatform(hre, localParameters);
  const a = s[11];
  await (await didRegistry.connect(a).changeController(a, s[12])).wait();
  const k = { keyId: ethers.encodeBytes32String("k1"), keyType: 0, purposes: 3, validFrom: 0, validUntil: 0, publicKey: "0x" + "ab".repeat(32) };
  const tx = process.env.OP === "key" ? await didRegistry.connect(s[12]).addKey(a, k) : process.env.OP === "svc" ? await didRegistry.connect(s[12]).setService(a, ethers.encodeBytes32String("s"), "LinkedDomains", "https://example.gov") : await didRegistry.connect(s[12]).deactivate(a, ethers.ZeroHash);
  const rc = await tx.wait();
  console.log("gasUsed", rc!.gasUsed, "calldata bytes", (tx.data.length - 2) / 2);
  const trace: any = await hre.network.provider.send("debug_traceTransaction", [tx.hash, { disableStorage: true, disableMemory: true, disableStack: true }]);
  const by: Record<string, number> = {};
  for (const l of trace.structLogs) by[l.op] = (by[l.op] ?? 0) + l.gasCost;
  console.log("DELEGATECALL cost", trace.structLogs.filter((l: any) => l.op === "DELEGATECALL").map((l: any) => l.gasCost));
  for (const op of ["DELEGATECALL", "STATICCALL", "CALL"]) delete by[op];
  const sorted = Object.entries(by).sort((a, b) => b[1] - a[1]).slice(0, 14);
  console.log(sorted.map(([k, v]) => `${k}:${v}`).join(" "));
  console.log("total opcodes counted", Object.values(by).reduce((a, b) => a + b, 0), "steps", trace.structLogs.length);
}
main();
