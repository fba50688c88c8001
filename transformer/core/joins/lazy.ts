// Join strategy "lazy variable": `const v = f(x)` leaves v holding the running call; every read of v joins it
// (the first read waits, later ones find the value), and it is joined at the end of its block and before every
// exit from it. In a deferred loop, v is logged as pending, and `xs.push(v)` / `xs[k] = v` keep it in flight.
import ts from 'typescript';
import type { LazyRead, LazyVariable } from '../plan/types.js';
import { contextOf, isWrite } from '../refs.js';
import type { LoopLogs } from './loop-log.js';
import { emitWrite } from './loop-log.js';
import { isStatementList, joinStatement, joinText, range, unparen, unparenExpr, type CallContext, type EmitContext } from './shared.js';

/** `const v = <call>;` alone in its statement (not exported): the declaration. */
export function detectLazy(call: ts.CallExpression): ts.VariableDeclaration | undefined {
  const p = unparen(call);
  if (!ts.isVariableDeclaration(p) || !p.initializer || unparenExpr(p.initializer) !== call || !ts.isIdentifier(p.name)) return undefined;
  const st = p.parent.parent;
  if (ts.isVariableStatement(st) && isStatementList(st.parent) && (p.parent as ts.VariableDeclarationList).declarations.length === 1
    && !(ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return p;
  return undefined;
}

export function planLazy(decl: ts.VariableDeclaration, ctx: ts.Node, c: CallContext, logs: LoopLogs): LazyVariable | undefined {
  const statement = decl.parent.parent as ts.VariableStatement;
  const symbol = c.symbolOf(decl.name as ts.Identifier);
  if (!symbol) return undefined;
  const loop = logs.loopFor(statement, ctx);
  const st = loop ? logs.loopPlan(loop, ctx) : undefined;
  if (st) logs.logOf(st);
  return { name: (decl.name as ts.Identifier).text, symbol, statement, ctx, loop: st, reads: [] };
}

/** How each read joins: in place, or logged by the loop that fills an array with it. */
export function planReads(lv: LazyVariable, c: CallContext, logs: LoopLogs): void {
  for (const id of c.referencesOf(lv.symbol)) {
    if (id === (lv.statement.declarationList.declarations[0]!.name as ts.Node) || isWrite(id)) continue;
    lv.reads.push(planRead(lv, id, logs));
  }
}

function planRead(lv: LazyVariable, id: ts.Identifier, logs: LoopLogs): LazyRead {
  const inLoopBody = !!lv.loop && contextOf(id) === lv.ctx;
  // `results.push(r)` inside the loop that declared r: the array holds it in flight until the loop ends.
  const array = inLoopBody ? logs.pushOf(id) : undefined;
  const pushLoop = array && logs.arrayLoop(unparen(id), array, lv.ctx);
  if (array && pushLoop) return { id, how: 'logged', write: logs.push(id, array, logs.loopPlan(pushLoop, lv.ctx)) };
  // `results[i] = r` likewise, when the loop only ever fills that array.
  const store = inLoopBody ? logs.storeOf(id) : undefined;
  const storeLoop = store && logs.arrayLoop(store.assign, store.array, lv.ctx);
  if (store && storeLoop) return { id, how: 'logged', write: logs.store(store, logs.loopPlan(storeLoop, lv.ctx)) };
  if (ts.isShorthandPropertyAssignment(id.parent)) return { id, how: 'shorthand' };
  if (ts.isExportSpecifier(id.parent)) return { id, how: 'export' };
  return { id, how: 'join' };
}

/** At the declaration: a lazy variable of a deferred loop is logged as pending. */
export function emitLazyDeclaration(e: EmitContext, lv: LazyVariable): void {
  if (lv.loop) e.edits.after(range(lv.statement), ` ${lv.loop.log}.push(0, ${lv.name});`);
}

export function emitReads(e: EmitContext, lv: LazyVariable): void {
  for (const r of lv.reads) {
    const join = () => joinText(e.rt, contextOf(r.id), lv.name);
    if (r.how === 'logged') emitWrite(e, r.write);
    else if (r.how === 'shorthand') e.edits.replace(r.id.getStart(), r.id.end, `${lv.name}: ${join()}`);
    else if (r.how === 'join') e.edits.replace(r.id.getStart(), r.id.end, join());
  }
}

/** Unread to the end of its block: joined there (the block's exits are joined with the other exits). */
export function emitBlockEnd(e: EmitContext, lv: LazyVariable): void {
  if (lv.loop) return;
  const stmts = (lv.statement.parent as ts.Block | ts.SourceFile).statements;
  const last = stmts[stmts.length - 1]!;
  if (!(ts.isReturnStatement(last) || ts.isThrowStatement(last) || ts.isBreakOrContinueStatement(last))) {
    e.edits.after(range(last), ' ' + joinStatement(e.rt, lv.ctx, lv.name));
  }
}
