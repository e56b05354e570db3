import hre from "hardhat";

/** Runs a hardhat task and returns what it printed with console.log. */
export async function runTask(task: string, args: Record<string, unknown>): Promise<string> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    await hre.run(task, args);
  } finally {
    console.log = log;
  }
  return lines.join("\n");
}
