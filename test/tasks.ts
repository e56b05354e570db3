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

/** Runs a task that sets process.exitCode, returning its output and the code, and restoring the code. */
export async function runTaskWithCode(
  task: string,
  args: Record<string, unknown>,
): Promise<{ output: string; code: number }> {
  const previous = process.exitCode;
  process.exitCode = 0;
  try {
    const output = await runTask(task, args);
    return { output, code: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = previous;
  }
}
