// Implicit sync: no fork outlives the block (or loop) that started it, on every path out of it: its end, a
// `return` or `throw`, and a `break`/`continue` that jumps out of it. The exits each pending join must precede.
import ts from 'typescript';
import type { PendingJoin } from '../plan/types.js';
import { contextOf, isFunctionBoundary, isInside } from '../refs.js';
import { loopJoin } from './loop-log.js';
import { isLoop, isStatementList, joinStatement, range, type EmitContext } from './shared.js';

/** Records `pending` before every exit from `region` after `from`, in the function ctx. */
export function addExitJoins(exits: Map<ts.Statement, PendingJoin[]>, region: ts.Node, from: number, ctx: ts.Node, pending: PendingJoin): void {
  const visit = (n: ts.Node) => {
    if (n !== region && isFunctionBoundary(n)) return;
    // A jump leaves the region when it targets a statement around it, or the region itself when the region is
    // a labeled block (`break label`); a loop's own break/continue reaches its end-of-loop joins anyway.
    const target = ts.isBreakOrContinueStatement(n) ? jumpTarget(n) ?? region : undefined;
    // A `throw` leaves too (unless a try around it in the region catches it: joining first is harmless then).
    const leaves = ts.isReturnStatement(n) || ts.isThrowStatement(n)
      || (target !== undefined && (!isInside(target, region) || (target === region && !isLoop(region))));
    if (leaves && n.getStart() >= from && contextOf(n) === ctx) {
      const list = exits.get(n as ts.Statement) ?? [];
      list.push(pending);
      exits.set(n as ts.Statement, list);
    }
    ts.forEachChild(n, visit);
  };
  visit(region);
}

export function emitExits(e: EmitContext, exits: Map<ts.Statement, PendingJoin[]>): void {
  for (const [exit, pending] of exits) {
    const texts = pending.map((p) => (p.kind === 'loop' ? loopJoin(e.rt, p.loop) : joinStatement(e.rt, p.variable.ctx, p.variable.name)));
    const braces = !isStatementList(exit.parent);
    e.edits.before(range(exit), `${braces ? '{ ' : ''}${texts.join(' ')} `);
    if (braces) e.edits.after(range(exit), ' }');
  }
}

/** The statement a break/continue leaves or continues: its labeled statement's body, or the nearest loop (or switch). */
function jumpTarget(jump: ts.BreakOrContinueStatement): ts.Node | undefined {
  for (let n = jump.parent; n && !isFunctionBoundary(n) && !ts.isSourceFile(n); n = n.parent) {
    if (jump.label) {
      if (ts.isLabeledStatement(n) && n.label.text === jump.label.text) {
        let body: ts.Statement = n.statement;
        while (ts.isLabeledStatement(body)) body = body.statement;
        return body;
      }
    } else if (isLoop(n) || (ts.isBreakStatement(jump) && ts.isSwitchStatement(n))) return n;
  }
  return undefined;
}
