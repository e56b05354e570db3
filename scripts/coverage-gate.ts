import fs from "node:fs";

/** Fails unless contracts/ (mocks excluded) have 100% line and at least 95% branch coverage. */
const summary = JSON.parse(fs.readFileSync("coverage/coverage-summary.json", "utf8")).total;
const lines = summary.lines.pct as number;
const branches = summary.branches.pct as number;
console.log(`coverage: lines ${lines}%, branches ${branches}%`);
if (lines < 100 || branches < 95) {
  console.error("coverage gate: contracts need 100% of lines and at least 95% of branches");
  process.exit(1);
}
