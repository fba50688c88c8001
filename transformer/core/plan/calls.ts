// Plans the forked calls of one module: a fork per call of a forked function, and where its value is joined
// (fork early, join late; README "Join rules"). Each strategy's detection lives in joins/, next to its emission.
import ts from 'typescript';
import { detectAsync } from '../joins/async.js';
import { addExitJoins } from '../joins/exits.js';
import { addToGroup, planGroup } from '../joins/expression.js';
import { detectLazy, planLazy, planReads } from '../joins/lazy.js';
import { LoopLogs } from '../joins/loop-log.js';
import { detectMap, planMapReferences } from '../joins/map.js';
import type { CallContext } from '../joins/shared.js';
import { detectUnused, planUnused, unusedRuns } from '../joins/unused-run.js';
import { contextOf, isInside } from '../refs.js';
import type { CallPlan, ExpressionGroup, ForkedCall, ForkTarget, JoinDecision, LazyVariable, PendingJoin } from './types.js';

export function planCalls(c: CallContext): CallPlan {
  const calls: { call: ts.CallExpression; target: ForkTarget }[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n) && !n.questionDotToken) {
      const t = c.targetOf(n);
      if (t) calls.push({ call: n, target: t });
    }
    ts.forEachChild(n, visit);
  };
  visit(c.sf);
  const forked = new Map(calls.map((x) => [x.call, x.target]));
  const isUnusedFork = (s: ts.Statement) => {
    if (!ts.isExpressionStatement(s)) return false;
    let e: ts.Expression = s.expression;
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    return ts.isCallExpression(e) && forked.has(e) && !forked.get(e)!.async;
  };

  const forkedCalls = new Set(forked.keys());
  const logs = new LoopLogs(c, forkedCalls);
  const lazy: LazyVariable[] = [];
  const groups = new Map<ts.Node, ExpressionGroup>();
  const forks: ForkedCall[] = [];
  for (const { call, target } of calls) {
    const ctx = contextOf(call);
    const fork: ForkedCall = { call, target, join: { strategy: 'async' }, joinCaptures: [] };
    fork.join = decide(call, target, ctx) ?? { strategy: 'expression', group: addToGroup(groups, fork, forkedCalls) };
    forks.push(fork);
  }

  function decide(call: ts.CallExpression, target: ForkTarget, ctx: ts.Node): JoinDecision | undefined {
    const map = detectMap(call, target, c);
    if (map) return map;
    if (detectAsync(target)) return { strategy: 'async' };
    const decl = detectLazy(call);
    if (decl) {
      const variable = planLazy(decl, ctx, c, logs);
      if (variable) { lazy.push(variable); return { strategy: 'lazy', variable }; }
      return undefined;
    }
    if (detectUnused(call)) return planUnused(call, ctx, c, logs, isUnusedFork);
    const array = logs.pushOf(call);
    const pushLoop = array && logs.arrayLoop(call, array, ctx);
    if (array && pushLoop) return { strategy: 'push', write: logs.push(call, array, logs.loopPlan(pushLoop, ctx)) };
    const store = logs.storeOf(call);
    const storeLoop = store && logs.arrayLoop(call, store.array, ctx);
    if (store && storeLoop) return { strategy: 'store', write: logs.store(store, logs.loopPlan(storeLoop, ctx)) };
    return undefined;
  }

  const temps = new Map<ts.Node, string[]>();
  for (const g of groups.values()) planGroup(g, c, temps);
  for (const lv of lazy) planReads(lv, c, logs);
  const otherWrites = logs.otherWrites();

  const exits = new Map<ts.Statement, PendingJoin[]>();
  for (const lv of lazy) {
    if (!lv.loop) addExitJoins(exits, lv.statement.parent, lv.statement.end, lv.ctx, { kind: 'lazy', variable: lv });
  }
  const loops = [...logs.loops.values()];
  for (const st of loops) if (st.log) addExitJoins(exits, st.loop, st.loop.getStart(), st.ctx, { kind: 'loop', loop: st });
  const mapReferences = planMapReferences(c);

  // A captured local that holds a running fork is joined before it is copied to the worker.
  const joinCaptures = (t: ForkTarget, at: ts.Node) => t.captures.map((name) =>
    lazy.some((l) => l.name === name && isInside(at, l.statement.parent) && l.statement.end <= at.getStart()));
  for (const f of forks) f.joinCaptures = joinCaptures(f.target, f.call);
  for (const r of mapReferences) r.joinCaptures = joinCaptures(r.target, r.id);

  return {
    forks, expressions: [...groups.values()], lazy, loops, otherWrites, undeferred: logs.undeferred,
    unusedRuns: unusedRuns(forks.map((f) => f.join)), temps, exits, mapReferences,
  };
}
