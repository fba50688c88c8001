// Join strategy "one expression": every fork in one expression starts before any join (`f(1) + f(2)`), each held
// in a temp, unless it sits in a branch that may not run (`c ? f(1) : f(2)`, right of `&&`, after `?.`) or in
// another forked call's arguments: those are joined where they are.
import ts from 'typescript';
import type { ExpressionGroup, ForkedCall } from '../plan/types.js';
import { contextOf, isAsyncContext, isFunctionBoundary } from '../refs.js';
import { forkHead, forkInPlace, joinText, range, topOf, type CallContext, type EmitContext } from './shared.js';

/** Adds the fork to its expression's group. */
export function addToGroup(groups: Map<ts.Node, ExpressionGroup>, fork: ForkedCall, forked: Set<ts.CallExpression>): ExpressionGroup {
  const { root, hoistable } = fullExpression(fork.call, forked);
  let group = groups.get(root);
  if (!group) { group = { root, ctx: contextOf(root), members: [] }; groups.set(root, group); }
  group.members.push({ fork, hoisted: hoistable });
  return group;
}

/** Two or more forks that always run: each gets a temp, declared in its function (or before its top statement). */
export function planGroup(g: ExpressionGroup, c: CallContext, temps: Map<ts.Node, string[]>): void {
  const hoisted = g.members.filter((m) => m.hoisted);
  const canHoist = hoisted.length >= 2 && !ts.isPropertyDeclaration(g.ctx) && !ts.isClassStaticBlockDeclaration(g.ctx)
    && (!ts.isSourceFile(g.ctx) || topOf(g.root) !== undefined);
  for (const m of g.members) m.hoisted = canHoist && m.hoisted;
  if (!canHoist) return;
  const host = tempHost(g.ctx, g.root);
  const list = temps.get(host) ?? [];
  temps.set(host, list);
  for (const m of hoisted) { m.temp = c.names.fresh('t'); list.push(m.temp); }
}

/** Temps live in the function that uses them (one per call of it), or before the top-level statement. */
export function tempHost(ctx: ts.Node, at: ts.Node): ts.Node {
  return ts.isSourceFile(ctx) ? topOf(at) : ctx;
}

export function emitTempDeclaration(e: EmitContext, host: ts.Node, names: string[]): void {
  if (!isFunctionBoundary(host)) { e.edits.before(range(host), `let ${names.join(', ')}; `); return; }
  const body = host.body!;
  if (ts.isBlock(body)) e.edits.after(range(body), ` let ${names.join(', ')};`, body.getStart() + 1);
  else {
    e.edits.before(range(body), `{ let ${names.join(', ')}; return `);
    e.edits.after(range(body), '; }');
  }
}

export function emitGroup(e: EmitContext, g: ExpressionGroup, declareTemps: (host: ts.Node) => void): void {
  for (const m of g.members) {
    if (m.hoisted) continue;
    forkInPlace(e, m.fork.call, m.fork.target, m.fork.joinCaptures, isAsyncContext(g.ctx) ? '(await ' : `${e.rt}.join(`, ')');
  }
  const hoisted = g.members.filter((m) => m.hoisted);
  if (hoisted.length === 0) return;
  declareTemps(tempHost(g.ctx, g.root));
  // A failure leaves the later calls unmade in the sequential program: joinFirst drops their outcome then.
  hoisted.forEach((m, i) => {
    const later = hoisted.slice(i + 1).map((l) => l.temp!);
    const text = later.length === 0 ? joinText(e.rt, g.ctx, m.temp!)
      : isAsyncContext(g.ctx) ? `(await ${e.rt}.awaitFirst(${[m.temp!, ...later].join(', ')}))`
        : `${e.rt}.joinFirst(${[m.temp!, ...later].join(', ')})`;
    e.edits.replace(m.fork.call.getStart(), m.fork.call.end, text);
  });
  e.edits.before(range(g.root), (render) => '(' + hoisted.map((m) => {
    const args = render(m.fork.call.arguments.pos, m.fork.call.arguments.end);
    return `${m.temp} = ${e.rt}.fork(${forkHead(e.rt, m.fork.target, m.fork.joinCaptures, m.fork.call)}${args.trim() === '' ? '' : ', ' + args})`;
  }).join(', ') + ', ');
  e.edits.after(range(g.root), ')');
}

/** The whole expression a call is part of, and whether the call runs whenever that expression runs. */
function fullExpression(call: ts.CallExpression, forked: Set<ts.CallExpression>): { root: ts.Node; hoistable: boolean } {
  let node: ts.Node = call;
  let hoistable = true;
  for (;;) {
    const p = node.parent;
    if (!p) break;
    if (ts.isConditionalExpression(p) && node !== p.condition) hoistable = false;
    if (ts.isBinaryExpression(p) && node === p.right && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken,
      ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandEqualsToken, ts.SyntaxKind.BarBarEqualsToken,
      ts.SyntaxKind.QuestionQuestionEqualsToken].includes(p.operatorToken.kind)) hoistable = false;
    if ((ts.isCallExpression(p) || ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.questionDotToken && node !== p.expression) hoistable = false;
    if (ts.isCallExpression(p) && forked.has(p) && p.arguments.includes(node as ts.Expression)) hoistable = false;
    if (ts.isArrowFunction(p) || isFunctionBoundary(p)) break;
    const continues = ts.isExpression(p) || ts.isSpreadElement(p) || ts.isTemplateSpan(p) || ts.isPropertyAssignment(p)
      || ts.isShorthandPropertyAssignment(p) || ts.isSpreadAssignment(p) || ts.isComputedPropertyName(p);
    if (!continues || ts.isClassExpression(p)) break;
    node = p;
  }
  return { root: node, hoistable };
}
