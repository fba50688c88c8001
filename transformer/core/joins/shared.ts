// What every join strategy needs: the syntax around a call, the loop a fork may stay in flight until, and the
// planning context (the module's targets, references and names).
import ts from 'typescript';
import type { Edits } from '../edits.js';
import type { Names } from '../plan/names.js';
import type { ForkTarget } from '../plan/types.js';
import { contextOf, isAsyncContext, isFunctionBoundary } from '../refs.js';

/** What planning the forked calls of one module needs to know about it. */
export interface CallContext {
  sf: ts.SourceFile;
  names: Names;
  /** TypeScript source: generated declarations carry type annotations */
  typed: boolean;
  targetOf: (call: ts.CallExpression) => ForkTarget | undefined;
  /** `xs.map(f)`: f names a forked function */
  targetOfReference: (id: ts.Identifier) => ForkTarget | undefined;
  symbolOf: (id: ts.Identifier) => ts.Symbol | undefined;
  referencesOf: (sym: ts.Symbol) => ts.Identifier[];
}

/** What emitting needs: the edits of one output, and how a fork of a target reads there. */
export interface EmitContext {
  edits: Edits;
  rt: string;
  typed: boolean;
}

export function unparen(n: ts.Node): ts.Node {
  let p = n.parent;
  while (p && ts.isParenthesizedExpression(p)) p = p.parent;
  return p;
}

export function unparenExpr(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

export function isStatementList(n: ts.Node): n is ts.Block | ts.SourceFile | ts.CaseClause | ts.DefaultClause | ts.ModuleBlock {
  return ts.isBlock(n) || ts.isSourceFile(n) || ts.isCaseClause(n) || ts.isDefaultClause(n) || ts.isModuleBlock(n);
}

export function isLoop(n: ts.Node): n is ts.IterationStatement {
  return ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n);
}

export function range(n: ts.Node) { return { pos: n.getStart(), end: n.end }; }

export function topOf(n: ts.Node): ts.Statement {
  let s: ts.Node = n;
  while (s.parent && !ts.isSourceFile(s.parent)) s = s.parent;
  return s as ts.Statement;
}

/**
 * The outermost loop around node, in the same function, that `fits`: forks there may stay in flight until that
 * loop ends (nested loops then fill the pool across their iterations, not one inner loop at a time). Not across a
 * `try` (its catch must see the failure where it happened, and finally must run after the call), and not past a
 * loop that yields (code outside would see the running values between iterations).
 */
export function loopOf(node: ts.Node, ctx: ts.Node, fits: (loop: ts.IterationStatement) => boolean = () => true): ts.IterationStatement | undefined {
  let found: ts.IterationStatement | undefined;
  let child = node;
  for (let n = node.parent; n && n !== ctx; child = n, n = n.parent) {
    if (ts.isTryStatement(n) || ts.isCatchClause(n) || isFunctionBoundary(n)) break;
    if (isLoop(n) && n.statement === child) {
      if (yieldsIn(n.statement)) break;
      if (fits(n)) found = n;
    }
  }
  return found;
}

/** A loop whose body (or `for await` head) awaits: other code runs between its iterations. */
export function awaitsIn(loop: ts.IterationStatement): boolean {
  return (ts.isForOfStatement(loop) && !!loop.awaitModifier) || yieldsIn(loop.statement, true);
}

/** A `yield` (or, with `awaits`, an `await`) in the loop body itself, not in a nested function. */
function yieldsIn(body: ts.Node, awaits = false): boolean {
  let found = false;
  const visit = (n: ts.Node) => {
    if (found || (n !== body && isFunctionBoundary(n))) return;
    if (ts.isYieldExpression(n) || (awaits && (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && !!n.awaitModifier)))) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/** The join of a value in ctx: `(await x)` in async code, `__tsfork.join(x)` otherwise. */
export function joinText(rt: string, ctx: ts.Node, expr: string): string {
  return isAsyncContext(ctx) ? `(await ${expr})` : `${rt}.join(${expr})`;
}

export function joinStatement(rt: string, ctx: ts.Node, expr: string): string {
  return isAsyncContext(ctx) ? `await ${expr};` : `${rt}.join(${expr});`;
}

/** The callee and hidden leading arguments of a fork: a captured local holding a running fork is joined first. */
export function forkHead(rt: string, t: ForkTarget, joinCaptures: boolean[], at: ts.Node): string {
  const ctx = contextOf(at);
  return [t.callee, ...t.captures.map((c, i) => (joinCaptures[i] ? joinText(rt, ctx, c) : c))].join(', ');
}

/** Replaces callee..'(' so the call reads `fork(callee, captures, args)`; prefix/suffix wrap the whole call. */
export function forkInPlace(e: EmitContext, call: ts.CallExpression, t: ForkTarget, joinCaptures: boolean[], prefix = '', suffix = ''): void {
  e.edits.replace(call.getStart(), call.arguments.pos,
    () => `${prefix}${e.rt}.fork(${forkHead(e.rt, t, joinCaptures, call)}${call.arguments.length > 0 ? ', ' : ''}`);
  if (suffix) e.edits.after(range(call), suffix);
}

