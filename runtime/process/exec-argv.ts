// Exec arguments for the bridge thread and the child processes: the parent's, minus the ones that only make sense
// for the parent's own entry (`node -e code` would run the code again; --input-type breaks loading a file).
export function inheritedExecArgv(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print' || a === '--input-type') { i++; continue; }
    if (/^--(eval|print|input-type)=/.test(a)) continue;
    out.push(a);
  }
  return out;
}
