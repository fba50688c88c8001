// A module's plan as text (test/fixtures/**/plan.txt): the decisions behind the output, one line each, so a
// reviewer sees what the transform decided, not only what it wrote.
import ts from 'typescript';
import type { CallPlan, JoinDecision, LoggedWrite, LoopPlan, ModulePlan, PendingJoin } from './types.js';

export function printPlan(plan: ModulePlan): string {
  const { sf } = plan;
  const at = (n: ts.Node) => {
    const lc = sf.getLineAndCharacterOfPosition(n.getStart(sf));
    return `${lc.line + 1}:${lc.character + 1}`;
  };
  const text = (n: ts.Node) => {
    const t = n.getText(sf).replace(/\s+/g, ' ');
    return t.length > 48 ? t.slice(0, 45) + '...' : t;
  };
  const out: string[] = [];
  out.push('functions');
  for (const f of plan.functions) {
    const s = f.site;
    const where = s.topLevel ? 'top level' : `nested in ${enclosingName(s.statement)}`;
    const parts = [`${s.name} (${s.kind}, ${where}, ${at(s.nameNode)})`];
    if (f.notLifted) parts.push('not lifted: the worker module keeps its function whole');
    else parts.push(`worker name ${f.workerName}${f.workerName !== s.name && !s.topLevel ? ` (${s.name} is taken)` : ''}`);
    if (f.captures.length > 0) parts.push(`captures ${f.captures.join(', ')}`);
    if (f.standIn) parts.push(`stand-in ${f.standIn}`);
    if (f.wrapper) parts.push(`fork wrapper ${f.wrapper}`);
    out.push('  ' + parts.join('; '));
  }
  const w = plan.worker;
  out.push('worker module keeps');
  for (const st of sf.statements) {
    if (w.keep.has(st)) out.push(`  ${at(st)} ${text(st)}`);
    else if (w.containers.has(st)) out.push(`  ${at(st)} only ${w.containers.get(st)!.map((s) => s.name).join(', ')} of ${text(st)}`);
  }
  if (w.classes.length > 0) out.push(`  shares classes ${w.classes.map((c) => c.name!.text).join(', ')}`);
  for (const i of w.importedClasses) out.push(`  re-exports imported ${i.names.join(', ')}`);
  printCalls('rewritten module', plan.main);
  printCalls('worker module', plan.workerCalls);
  return out.join('\n') + '\n';

  function printCalls(title: string, calls: CallPlan): void {
    if (calls.forks.length === 0 && calls.mapReferences.length === 0) return;
    out.push(`${title}: forked calls`);
    for (const f of calls.forks) {
      const joined = f.target.captures.filter((_c, i) => f.joinCaptures[i]);
      out.push(`  ${at(f.call)} ${text(f.call)}: ${decision(f.join)}${joined.length > 0 ? `; joins captured ${joined.join(', ')} first` : ''}`);
    }
    for (const r of calls.mapReferences) {
      out.push(`  ${at(r.map)} ${text(r.map)}: map of a reference, one argument each${r.joinAll ? ', joined all after' : ' (async: not joined)'}`);
    }
    for (const lv of calls.lazy) {
      for (const r of lv.reads) {
        out.push(`  ${at(r.id)} read of ${lv.name}: ${r.how === 'logged' ? write(r.write) : r.how === 'export' ? 'exported as is' : 'joined'}`);
      }
    }
    for (const wr of calls.otherWrites) out.push(`  ${at(wr.kind === 'push' ? wr.value : wr.assign)} plain ${write(wr)}`);
    for (const st of calls.loops) {
      if (!st.log) continue;
      out.push(`  loop ${at(st.loop)}: log ${st.log}${st.keys.length > 0 ? `, keys ${st.keys.join(', ')}` : ''}, joined when it ends`);
    }
    for (const [loop, effect] of calls.undeferred) out.push(`  loop ${at(loop)}: not deferred, ${text(effect)} at ${at(effect)} cannot wait for a failure`);
    for (const [host, names] of calls.temps) out.push(`  temps ${names.join(', ')} declared in ${ts.isSourceFile(host.parent) && !ts.isFunctionLike(host) ? `the statement at ${at(host)}` : `the function at ${at(host)}`}`);
    for (const [end, temps] of calls.unusedRuns) out.push(`  run of unused forks ending ${at(end)}: joins ${temps.join(', ')} after it`);
    for (const [exit, pending] of calls.exits) out.push(`  exit ${at(exit)} ${exit.getText(sf).split(/[\s;(]/)[0]}: joins ${pending.map(pendingText).join(', ')} first`);
  }
  function decision(d: JoinDecision): string {
    switch (d.strategy) {
      case 'map': return `${d.method} callback: start all, then join all`;
      case 'async': return 'async: not joined (the caller awaits)';
      case 'lazy': return `lazy variable ${d.variable.name}${d.variable.loop ? ` pending in ${loopText(d.variable.loop)}` : ', joined at its reads and at the end of its block'}`;
      case 'unused-run': return `unused, in ${d.temp}, joined after the run ending ${at(d.runEnd)}`;
      case 'unused-loop': return `unused, pending in ${loopText(d.loop)}`;
      case 'unused-inline': return 'unused, joined in place';
      case 'push': case 'store': return `${write(d.write)}`;
      case 'expression': {
        const m = d.group.members.find((x) => x.fork.join === d)!;
        return m.temp ? `one expression (${at(d.group.root)}): started in ${m.temp} before any join` : 'joined in place';
      }
    }
  }
  function write(wr: LoggedWrite): string {
    return wr.kind === 'push' ? `push into ${wr.array.text}, in the log of ${loopText(wr.loop)}`
      : `store into ${wr.array.text} (key ${wr.key}), in the log of ${loopText(wr.loop)}`;
  }
  function loopText(st: LoopPlan): string { return `loop ${at(st.loop)} (${st.log})`; }
  function pendingText(p: PendingJoin): string { return p.kind === 'loop' ? `the log ${p.loop.log}` : p.variable.name; }
}

function enclosingName(n: ts.Node): string {
  for (let p = n.parent; p; p = p.parent) {
    if ((ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p) || ts.isClassDeclaration(p)) && p.name) return p.name.getText();
    if ((ts.isArrowFunction(p) || ts.isFunctionExpression(p)) && ts.isVariableDeclaration(p.parent)) return p.parent.name.getText();
  }
  return 'a function';
}
