// Join strategy "unused run": `f(x);` whose value nobody reads. In a deferred loop it is logged as pending; in a
// statement list, a run of such statements starts them all and joins them after the run; elsewhere it is joined
// in place.
import ts from 'typescript';
import type { JoinDecision } from '../plan/types.js';
import type { LoopLogs } from './loop-log.js';
import { forkInPlace, isStatementList, joinStatement, joinText, range, unparen, type CallContext, type EmitContext } from './shared.js';
import type { ForkTarget } from '../plan/types.js';

type UnusedDecision = JoinDecision & { strategy: 'unused-run' | 'unused-loop' | 'unused-inline' };

export function detectUnused(call: ts.CallExpression): boolean {
  return ts.isExpressionStatement(unparen(call));
}

/** `isUnusedFork(s)`: s is another `f(x);` statement of a (non-async) forked call, continuing the run. */
export function planUnused(call: ts.CallExpression, ctx: ts.Node, c: CallContext, logs: LoopLogs,
  isUnusedFork: (s: ts.Statement) => boolean): UnusedDecision {
  const statement = unparen(call) as ts.ExpressionStatement;
  const loop = logs.loopFor(call, ctx);
  if (loop) {
    const st = logs.loopPlan(loop, ctx);
    logs.logOf(st);
    return { strategy: 'unused-loop', loop: st };
  }
  if (!isStatementList(statement.parent)) return { strategy: 'unused-inline' };
  const list = statement.parent.statements;
  let i = list.indexOf(statement);
  while (i + 1 < list.length && isUnusedFork(list[i + 1]!)) i++;
  return { strategy: 'unused-run', temp: c.names.fresh('t'), runEnd: list[i]! };
}

/** The runs' ends and the temps each joins, in the order the calls were planned. */
export function unusedRuns(decisions: JoinDecision[]): Map<ts.Statement, string[]> {
  const runs = new Map<ts.Statement, string[]>();
  for (const d of decisions) {
    if (d.strategy !== 'unused-run') continue;
    const run = runs.get(d.runEnd) ?? [];
    run.push(d.temp);
    runs.set(d.runEnd, run);
  }
  return runs;
}

export function emitUnused(e: EmitContext, call: ts.CallExpression, t: ForkTarget, joinCaptures: boolean[], d: UnusedDecision, ctx: ts.Node): void {
  if (d.strategy === 'unused-loop') forkInPlace(e, call, t, joinCaptures, `${d.loop.log}.push(0, `, ')');
  else if (d.strategy === 'unused-run') forkInPlace(e, call, t, joinCaptures, `const ${d.temp} = `);
  else forkInPlace(e, call, t, joinCaptures, joinText(e.rt, ctx, '').slice(0, -1), ')');
}

export function emitRunEnds(e: EmitContext, runs: Map<ts.Statement, string[]>, contextOf: (n: ts.Node) => ts.Node): void {
  for (const [last, names] of runs) {
    const ctx = contextOf(last);
    e.edits.after(range(last), ' ' + names.map((n) => joinStatement(e.rt, ctx, n)).join(' '));
  }
}
