// Join strategy "map": `xs.map(x => f(x))`, `xs.forEach(x => f(x))` and `xs.map(f)` start every call, then join
// them all (`await Promise.all(...)` in async code). `xs.map(f)` passes one argument per element: map's index and
// array would be copied to the worker on every call.
import ts from 'typescript';
import type { ForkTarget, JoinDecision, MapReference } from '../plan/types.js';
import { contextOf, isAsyncContext } from '../refs.js';
import { forkHead, forkInPlace, range, unparen, type CallContext, type EmitContext } from './shared.js';

type MapDecision = JoinDecision & { strategy: 'map' };

/** The `.map`/`.forEach` call whose callback is `x => call`, if that is where the call sits. */
export function detectMap(call: ts.CallExpression, t: ForkTarget, c: CallContext): MapDecision | undefined {
  const p = unparen(call);
  if (!(ts.isArrowFunction(p) && (p.body === call || ts.isParenthesizedExpression(p.body)))) return undefined;
  const m = p.parent;
  if (!ts.isCallExpression(m) || m.arguments.length !== 1 || m.arguments[0] !== p || !ts.isPropertyAccessExpression(m.expression)
    || m.questionDotToken) return undefined;
  const method = m.expression.name.text;
  if (method !== 'map' && method !== 'forEach') return undefined;
  const joinsBlocking = !t.async && !isAsyncContext(contextOf(m));
  return { strategy: 'map', over: m, method, temp: joinsBlocking ? c.names.fresh('v') : undefined };
}

export function emitMap(e: EmitContext, call: ts.CallExpression, t: ForkTarget, joinCaptures: boolean[], d: MapDecision): void {
  forkInPlace(e, call, t, joinCaptures);
  if (t.async) return;
  const m = d.over;
  if (d.method === 'forEach') {
    // Start all (map), then join all; the expression still gives undefined.
    const name = (m.expression as ts.PropertyAccessExpression).name;
    e.edits.replace(name.getStart(), name.end, 'map');
    if (isAsyncContext(contextOf(m))) {
      e.edits.before(range(m), '((await Promise.all(');
      e.edits.after(range(m), ')), undefined)');
    } else e.edits.after(range(m), `.forEach((${d.temp}) => { ${e.rt}.join(${d.temp}); })`);
  } else joinAll(e, m, d.temp);
}

function joinAll(e: EmitContext, m: ts.CallExpression, temp: string | undefined): void {
  if (isAsyncContext(contextOf(m))) {
    e.edits.before(range(m), '(await Promise.all(');
    e.edits.after(range(m), '))');
  } else e.edits.after(range(m), `.map((${temp}) => ${e.rt}.join(${temp}))`);
}

/** Every `xs.map(f)` with f a forked function, in source order. */
export function planMapReferences(c: CallContext): MapReference[] {
  const out: MapReference[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n) && n.arguments.length === 1 && ts.isIdentifier(n.arguments[0]!) && ts.isPropertyAccessExpression(n.expression)
      && n.expression.name.text === 'map' && !n.questionDotToken) {
      const id = n.arguments[0] as ts.Identifier;
      const target = c.targetOfReference(id);
      if (target) {
        const param = c.names.fresh('a');
        const joinAll = !target.async;
        const temp = joinAll && !isAsyncContext(contextOf(n)) ? c.names.fresh('v') : undefined;
        out.push({ map: n, id, target, param, temp, joinAll, joinCaptures: target.captures.map(() => false) });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(c.sf);
  return out;
}

export function emitMapReference(e: EmitContext, r: MapReference): void {
  e.edits.replace(r.id.getStart(), r.id.end, () => `(${r.param}) => ${e.rt}.fork(${forkHead(e.rt, r.target, r.joinCaptures, r.id)}, ${r.param})`);
  if (r.joinAll) joinAll(e, r.map, r.temp);
}
