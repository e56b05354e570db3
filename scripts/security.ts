import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";

/**
 * `npm run security`: Slither (from PyPI, in the project's own .venv) over contracts/ (mocks and dependencies
 * excluded). Fails on any high or medium finding not triaged in security/slither-triage.json with a reason, and on
 * a triage entry that no longer matches anything (so suppressions do not outlive their cause).
 */
const SLITHER_VERSION = "0.11.6";
const root = path.join(__dirname, "..");
const venv = path.join(root, ".venv");
const slither = path.join(venv, "bin", "slither");

interface Finding {
  check: string;
  impact: string;
  description: string;
  where: string;
}

function run(command: string, args: string[], what: string) {
  const out = spawnSync(command, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (out.error) throw new Error(`${what}: ${out.error.message}`);
  return out;
}

function ensureSlither() {
  const have = fs.existsSync(slither) ? run(slither, ["--version"], "slither --version").stdout.trim() : "";
  if (have === SLITHER_VERSION) return;
  const python = run("python3", ["--version"], "Slither needs Python 3.8+ (python3 was not found)");
  console.log(`Installing slither-analyzer ${SLITHER_VERSION} into .venv (${python.stdout.trim()})...`);
  if (!fs.existsSync(path.join(venv, "bin", "pip"))) {
    const made = run("python3", ["-m", "venv", venv], "python3 -m venv");
    if (made.status !== 0) throw new Error(`python3 -m venv failed:\n${made.stderr}`);
  }
  const pip = run(
    path.join(venv, "bin", "pip"),
    ["install", "--quiet", `slither-analyzer==${SLITHER_VERSION}`],
    "pip install",
  );
  if (pip.status !== 0) throw new Error(`pip install slither-analyzer failed:\n${pip.stderr}`);
}

function analyse(): Finding[] {
  // --force: one build-info for the whole tree, so Slither never reads a stale copy of a changed contract.
  const compiled = run("npx", ["hardhat", "compile", "--force", "--quiet"], "hardhat compile");
  if (compiled.status !== 0) throw new Error(`hardhat compile failed:\n${compiled.stderr}`);
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "govchain-slither-")), "slither.json");
  run(
    slither,
    [
      ".",
      "--hardhat-ignore-compile",
      "--filter-paths",
      "node_modules|contracts/mocks",
      "--exclude-dependencies",
      "--json",
      report,
    ],
    "slither",
  );
  if (!fs.existsSync(report)) throw new Error("Slither wrote no report");
  const parsed = JSON.parse(fs.readFileSync(report, "utf8"));
  if (!parsed.success) throw new Error(`Slither failed: ${parsed.error}`);
  return (parsed.results?.detectors ?? []).map((d: Record<string, unknown>) => {
    const element = (
      d.elements as { name: string; type: string; type_specific_fields?: { parent?: { name: string } } }[]
    )[0];
    const parent = element?.type_specific_fields?.parent?.name;
    return {
      check: d.check as string,
      impact: d.impact as string,
      description: (d.description as string).trim().split("\n")[0],
      where: parent ? `${parent}.${element.name.split("(")[0]}` : (element?.name ?? "?"),
    };
  });
}

function main() {
  ensureSlither();
  const triage = JSON.parse(fs.readFileSync(path.join(root, "security", "slither-triage.json"), "utf8")) as {
    suppressions: { detector: string; where: string; reason: string }[];
  };
  for (const s of triage.suppressions) {
    if (!s.reason || s.reason.trim().length < 10)
      throw new Error(`Triage entry ${s.detector} at ${s.where} has no reason`);
  }
  const findings = analyse();
  const gated = findings.filter((f) => f.impact === "High" || f.impact === "Medium");
  const isTriaged = (f: Finding) => triage.suppressions.some((s) => s.detector === f.check && s.where === f.where);
  const untriaged = gated.filter((f) => !isTriaged(f));
  const stale = triage.suppressions.filter((s) => !gated.some((f) => f.check === s.detector && f.where === s.where));
  const byImpact = (impact: string) => findings.filter((f) => f.impact === impact).length;
  console.log(
    `Slither ${SLITHER_VERSION}: ${byImpact("High")} high, ${byImpact("Medium")} medium (${gated.length - untriaged.length} triaged), ` +
      `${byImpact("Low")} low, ${byImpact("Informational")} informational, ${byImpact("Optimization")} optimization`,
  );
  for (const f of untriaged) console.error(`UNTRIAGED ${f.impact} ${f.check} at ${f.where}: ${f.description}`);
  for (const s of stale) console.error(`STALE triage entry ${s.detector} at ${s.where}: nothing matches it any more`);
  if (untriaged.length > 0 || stale.length > 0) process.exitCode = 1;
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
