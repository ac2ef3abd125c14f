// The HyperDbg simulator's entry (filled by the simulator work): speaks hyperdbg-cli's text
// protocol on stdin/stdout.
export async function runSimulator(argv: readonly string[]): Promise<number> {
  process.stderr.write(`simulator not built yet (args: ${argv.join(' ')})\n`);
  return 1;
}
