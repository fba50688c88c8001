// Call sites and joins: fork early, join late. A call to a forked function becomes a fork; its value is joined
// where it is first needed (`__tsfork.join(x)` in sync code, `await x` in async code). See README "transformer".
import ts from 'typescript';
import type { Edits, Render } from './edits.js';
import { contextOf, isAsyncContext, isFunctionBoundary, isInside, isWrite } from './refs.js';

export const RT = '__tsfork';

export interface ForkTarget {
  /** the forked function, as the first argument of fork() */
  callee: string;
  /** hidden leading arguments (captured locals of a lifted nested function) */
  captures: string[];
  /** an async function: its value is a promise in the sequential program, so it is never joined for the caller */
  async: boolean;
}

type Strategy = 'map' | 'lazy' | 'unused' | 'push' | 'store' | 'expr';

interface LoopState {
  loop: ts.IterationStatement;
  outer: ts.Statement;
  ctx: ts.Node;
  /** the loop's log (runtime/loop-joins.ts): pending forks, and the pushes and stores of running forks, in order */
  log?: string;
  /** one temp per store site: the key, evaluated once */
  keys: string[];
}

interface LazyVar {
  name: string;
  symbol: ts.Symbol;
  statement: ts.VariableStatement;
  ctx: ts.Node;
  loop?: LoopState;
}

function unparen(n: ts.Node): ts.Node {
  let p = n.parent;
  while (p && ts.isParenthesizedExpression(p)) p = p.parent;
  return p;
}

function isStatementList(n: ts.Node): n is ts.Block | ts.SourceFile | ts.CaseClause | ts.DefaultClause | ts.ModuleBlock {
  return ts.isBlock(n) || ts.isSourceFile(n) || ts.isCaseClause(n) || ts.isDefaultClause(n) || ts.isModuleBlock(n);
}

function isLoop(n: ts.Node): n is ts.IterationStatement {
  return ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n);
}

/**
 * The outermost loop around node, in the same function, that `fits`: forks there may stay in flight until that
 * loop ends. Not across a `try` (its catch must see the failure where it happened, and finally must run after the
 * call), and not past a loop that yields (code outside would see the running values between iterations).
 */
function loopOf(node: ts.Node, ctx: ts.Node, fits: (loop: ts.IterationStatement) => boolean = () => true): ts.IterationStatement | undefined {
  // The outermost loop that fits: its end is the latest point the forks may be joined (nested loops then fill
  // the pool across their iterations, not one inner loop at a time).
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
function awaitsIn(loop: ts.IterationStatement): boolean {
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

function outerOf(loop: ts.Statement): ts.Statement {
  let s = loop;
  while (ts.isLabeledStatement(s.parent)) s = s.parent;
  return s;
}

function range(n: ts.Node) { return { pos: n.getStart(), end: n.end }; }

export interface CallSiteInput {
  sf: ts.SourceFile;
  edits: Edits;
  targetOf: (call: ts.CallExpression) => ForkTarget | undefined;
  /** `xs.map(f)`: f names a forked function */
  targetOfReference: (id: ts.Identifier) => ForkTarget | undefined;
  symbolOf: (id: ts.Identifier) => ts.Symbol | undefined;
  referencesOf: (sym: ts.Symbol) => ts.Identifier[];
  fresh: (base: string) => string;
  /** TypeScript source: generated declarations carry type annotations */
  typed: boolean;
}

export function rewriteCallSites(input: CallSiteInput): void {
  const { sf, edits, targetOf, fresh } = input;
  const join = (ctx: ts.Node, expr: string) => (isAsyncContext(ctx) ? `(await ${expr})` : `${RT}.join(${expr})`);
  const joinStatement = (ctx: ts.Node, expr: string) => (isAsyncContext(ctx) ? `await ${expr};` : `${RT}.join(${expr});`);
  // A captured local that holds a running fork is joined before it is copied to the worker.
  const captureTexts = (t: ForkTarget, at: ts.Node) => t.captures.map((name) => {
    const lv = lazyVars.find((l) => l.name === name && isInside(at, l.statement.parent) && l.statement.end <= at.getStart());
    return lv ? join(contextOf(at), name) : name;
  });
  const forkText = (t: ForkTarget, args: string, at: ts.Node) =>
    `${RT}.fork(${[t.callee, ...captureTexts(t, at)].join(', ')}${args.trim() === '' ? '' : ', ' + args})`;

  const loops = new Map<ts.IterationStatement, LoopState>();
  const loopState = (loop: ts.IterationStatement, ctx: ts.Node) => {
    let st = loops.get(loop);
    if (!st) { st = { loop, outer: outerOf(loop), ctx, keys: [] }; loops.set(loop, st); }
    return st;
  };
  const logOf = (st: LoopState) => (st.log ??= fresh('log'));
  // Arrays a deferred loop fills, and the push calls / store assignments already logged: every other push or
  // store into such an array in that loop is logged too, so a roll-back knows exactly what came after a failure.
  const filled = new Map<ts.Symbol, Set<LoopState>>();
  const logged = new Set<ts.Node>();
  const noteFilled = (array: ts.Identifier, site: ts.Node, st: LoopState) => {
    logged.add(site);
    const sym = input.symbolOf(array);
    if (!sym) return;
    const loops = filled.get(sym) ?? new Set<LoopState>();
    loops.add(st);
    filled.set(sym, loops);
  };
  const lazyVars: LazyVar[] = [];
  const lazyBySymbol = new Map<ts.Symbol, LazyVar>();
  const unusedRuns = new Map<ts.Statement, string[]>(); // last statement of a run -> temps to join after it
  const temps = new Map<ts.Node, string[]>(); // function (or top statement) -> temps declared there
  const exprGroups = new Map<ts.Node, { call: ts.CallExpression; target: ForkTarget; hoistable: boolean }[]>();

  const calls: { call: ts.CallExpression; target: ForkTarget }[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n) && !n.questionDotToken) {
      const t = targetOf(n);
      if (t) calls.push({ call: n, target: t });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const forkedCalls = new Set(calls.map((c) => c.call));

  /** Replace callee..'(' so the call reads `fork(callee, captures, args)`; prefix/suffix wrap the whole call. */
  const forkInPlace = (call: ts.CallExpression, t: ForkTarget, prefix = '', suffix = '') => {
    edits.replace(call.getStart(), call.arguments.pos,
      () => `${prefix}${RT}.fork(${[t.callee, ...captureTexts(t, call)].join(', ')}${call.arguments.length > 0 ? ', ' : ''}`);
    if (suffix) edits.after(range(call), suffix);
  };

  const strategyOf = (call: ts.CallExpression, t: ForkTarget, ctx: ts.Node): Strategy => {
    const p = unparen(call);
    if (ts.isArrowFunction(p) && p.body === call || (ts.isArrowFunction(p) && ts.isParenthesizedExpression(p.body) && unparen(call) === p)) {
      const m = p.parent;
      if (ts.isCallExpression(m) && m.arguments.length === 1 && m.arguments[0] === p && ts.isPropertyAccessExpression(m.expression)
        && (m.expression.name.text === 'map' || m.expression.name.text === 'forEach') && !m.questionDotToken) return 'map';
    }
    if (t.async) return 'expr';
    if (ts.isVariableDeclaration(p) && p.initializer && unparenExpr(p.initializer) === call && ts.isIdentifier(p.name)) {
      const st = p.parent.parent;
      if (ts.isVariableStatement(st) && isStatementList(st.parent) && (p.parent as ts.VariableDeclarationList).declarations.length === 1
        && !(ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return 'lazy';
    }
    if (ts.isExpressionStatement(p)) return 'unused';
    if (ts.isCallExpression(p) && p.arguments.length === 1 && unparenExpr(p.arguments[0]!) === call && ts.isPropertyAccessExpression(p.expression)
      && p.expression.name.text === 'push' && ts.isIdentifier(p.expression.expression) && ts.isExpressionStatement(p.parent)) {
      if (arrayLoop(call, p.expression.expression, ctx)) return 'push';
    }
    const store = storeOf(call);
    if (store && arrayLoop(call, store.array, ctx)) return 'store';
    return 'expr';
  };

  /** `xs[k] = <value>;` as a statement, value being `node`: the assignment and the array's identifier. */
  const storeOf = (node: ts.Node): { assign: ts.BinaryExpression; access: ts.ElementAccessExpression; array: ts.Identifier } | undefined => {
    const p = unparen(node);
    if (!ts.isBinaryExpression(p) || p.operatorToken.kind !== ts.SyntaxKind.EqualsToken || unparenExpr(p.right) !== node) return undefined;
    if (!ts.isExpressionStatement(p.parent) || !ts.isElementAccessExpression(p.left) || p.left.questionDotToken) return undefined;
    const array = p.left.expression;
    return ts.isIdentifier(array) ? { assign: p, access: p.left, array } : undefined;
  };

  /**
   * The array is declared outside the loop and, inside it, only ever filled (`xs.push(v);` and `xs[k] = v;`, xs in
   * neither the key nor the value), and the loop does not await: nothing can see an element still running.
   */
  const onlyFilledInLoop = (array: ts.Identifier, loop: ts.IterationStatement): boolean => {
    const sym = input.symbolOf(array);
    const decl = sym?.valueDeclaration;
    if (!sym || !decl || isInside(decl, loop) || awaitsIn(loop)) return false;
    return input.referencesOf(sym).every((ref) => {
      if (!isInside(ref, loop)) return true;
      const p = ref.parent;
      if (ts.isPropertyAccessExpression(p) && p.expression === ref && p.name.text === 'push') {
        const c = p.parent;
        return ts.isCallExpression(c) && c.expression === p && c.arguments.length === 1 && ts.isExpressionStatement(c.parent);
      }
      if (!ts.isElementAccessExpression(p) || p.expression !== ref) return false;
      const assign = p.parent;
      return ts.isBinaryExpression(assign) && assign.left === p && assign.operatorToken.kind === ts.SyntaxKind.EqualsToken
        && ts.isExpressionStatement(assign.parent) && !mentions(assign.right, sym) && !mentions(p.argumentExpression, sym);
    });
  };
  const mentions = (n: ts.Node, sym: ts.Symbol) => input.referencesOf(sym).some((r) => isInside(r, n));
  /** The loop a push or store into `array` from `at` may stay in flight until, if any. */
  const arrayLoop = (at: ts.Node, array: ts.Identifier, ctx: ts.Node) => loopOf(at, ctx, (loop) => onlyFilledInLoop(array, loop));

  /**
   * Rewrites `xs[k] = v` to `xs[kN = (k)] = logStore(log, xs, kN, v)`: the key is evaluated once, and the log keeps
   * what the element held before, so the loop's end can join xs[kN] in place, or put back what the sequential
   * program would have left there when a call failed.
   */
  const keepStored = (store: { assign: ts.BinaryExpression; access: ts.ElementAccessExpression; array: ts.Identifier }, st: LoopState) => {
    noteFilled(store.array, store.assign, st);
    const key = fresh('k');
    st.keys.push(key);
    const arg = store.access.argumentExpression;
    edits.before(range(arg), `${key} = (`);
    edits.after(range(arg), ')');
    edits.before(range(store.assign.right), `${RT}.logStore(${logOf(st)}, ${store.array.text}, ${key}, `);
    edits.after(range(store.assign.right), ')');
  };
  /** `xs.push(v)` to `xs.push(logPush(log, xs, v))`: the log knows the index, to cut there if a call failed. */
  const keepPushed = (value: ts.Node, array: ts.Identifier, st: LoopState) => {
    noteFilled(array, value.parent, st);
    edits.before(range(value), `${RT}.logPush(${logOf(st)}, ${array.text}, `);
    edits.after(range(value), ')');
  };

  const declareTemp = (ctx: ts.Node, at: ts.Node): string => {
    const name = fresh('t');
    // Temps live in the function that uses them (one per call of it), or before the top-level statement.
    const host = ts.isSourceFile(ctx) ? topOf(at) : ctx;
    let list = temps.get(host);
    if (!list) {
      const l: string[] = [];
      temps.set(host, l);
      list = l;
      if (ts.isSourceFile(ctx)) edits.before(range(host), () => `let ${l.join(', ')}; `);
      else {
        const fn = host as ts.FunctionLikeDeclaration;
        const body = fn.body!;
        if (ts.isBlock(body)) edits.after(range(body), () => ` let ${l.join(', ')};`, body.getStart() + 1);
        else {
          edits.before(range(body), () => `{ let ${l.join(', ')}; return `);
          edits.after(range(body), '; }');
        }
      }
    }
    list.push(name);
    return name;
  };

  for (const { call, target } of calls) {
    const ctx = contextOf(call);
    const strategy = strategyOf(call, target, ctx);
    if (strategy === 'map') {
      const arrow = unparen(call) as ts.ArrowFunction;
      const m = arrow.parent as ts.CallExpression;
      forkInPlace(call, target);
      const name = (m.expression as ts.PropertyAccessExpression).name;
      if (target.async) continue;
      if (name.text === 'forEach') {
        // xs.forEach(x => f(x)): start all (map), then join all; the expression still gives undefined.
        edits.replace(name.getStart(), name.end, 'map');
        if (isAsyncContext(contextOf(m))) {
          edits.before(range(m), '((await Promise.all(');
          edits.after(range(m), ')), undefined)');
        } else {
          const v = fresh('v');
          edits.after(range(m), `.forEach((${v}) => { ${RT}.join(${v}); })`);
        }
      } else wrapJoinAll(m, contextOf(m));
      continue;
    }
    if (target.async) { forkInPlace(call, target); continue; }
    if (strategy === 'lazy') {
      const decl = unparen(call) as ts.VariableDeclaration;
      const statement = decl.parent.parent as ts.VariableStatement;
      const sym = input.symbolOf(decl.name as ts.Identifier);
      forkInPlace(call, target);
      if (!sym) continue;
      const loop = loopOf(statement, ctx);
      const lv: LazyVar = { name: (decl.name as ts.Identifier).text, symbol: sym, statement, ctx, loop: loop ? loopState(loop, ctx) : undefined };
      if (lv.loop) edits.after(range(statement), ` ${logOf(lv.loop)}.push(0, ${lv.name});`);
      lazyVars.push(lv);
      lazyBySymbol.set(sym, lv);
      continue;
    }
    if (strategy === 'unused') {
      const statement = unparen(call) as ts.ExpressionStatement;
      const loop = loopOf(call, ctx);
      if (loop) {
        forkInPlace(call, target, `${logOf(loopState(loop, ctx))}.push(0, `, ')');
        continue;
      }
      if (isStatementList(statement.parent)) {
        const list = statement.parent.statements;
        let i = list.indexOf(statement);
        while (i + 1 < list.length && isUnusedForkStatement(list[i + 1]!)) i++;
        const last = list[i]!;
        const name = fresh('t');
        forkInPlace(call, target, `const ${name} = `);
        const run = unusedRuns.get(last) ?? [];
        run.push(name);
        unusedRuns.set(last, run);
        continue;
      }
      forkInPlace(call, target, join(ctx, '').slice(0, -1), ')');
      continue;
    }
    if (strategy === 'store') {
      const store = storeOf(call)!;
      keepStored(store, loopState(arrayLoop(call, store.array, ctx)!, ctx));
      forkInPlace(call, target);
      continue;
    }
    if (strategy === 'push') {
      const push = unparen(call) as ts.CallExpression;
      const arr = (push.expression as ts.PropertyAccessExpression).expression as ts.Identifier;
      keepPushed(call, arr, loopState(arrayLoop(call, arr, ctx)!, ctx));
      forkInPlace(call, target);
      continue;
    }
    // An expression: every fork in it starts before any join, unless it sits in a branch that may not run.
    const { root, hoistable } = fullExpression(call, forkedCalls);
    const group = exprGroups.get(root) ?? [];
    group.push({ call, target, hoistable });
    exprGroups.set(root, group);
  }

  for (const [root, group] of exprGroups) {
    const ctx = contextOf(root);
    const hoisted = group.filter((g) => g.hoistable);
    const canHoist = hoisted.length >= 2 && !ts.isPropertyDeclaration(ctx) && !ts.isClassStaticBlockDeclaration(ctx)
      && (!ts.isSourceFile(ctx) || topOf(root) !== undefined);
    for (const g of group) {
      if (canHoist && g.hoistable) continue;
      const open = isAsyncContext(ctx) ? '(await ' : `${RT}.join(`;
      forkInPlace(g.call, g.target, open, ')');
    }
    if (!canHoist) continue;
    const names = hoisted.map(() => declareTemp(ctx, root));
    hoisted.forEach((g, i) => edits.replace(g.call.getStart(), g.call.end, join(ctx, names[i]!)));
    edits.before(range(root), (render: Render) => '(' + hoisted.map((g, i) =>
      `${names[i]} = ${forkText(g.target, render(g.call.arguments.pos, g.call.arguments.end), g.call)}`).join(', ') + ', ');
    edits.after(range(root), ')');
  }

  // Reads of a lazy variable join it (the first read waits, later ones find the value).
  for (const lv of lazyVars) {
    for (const id of input.referencesOf(lv.symbol)) {
      if (id === (lv.statement.declarationList.declarations[0]!.name as ts.Node) || isWrite(id)) continue;
      const useCtx = contextOf(id);
      // `results.push(r)` inside the loop that declared r: the array holds it in flight until the loop ends.
      const p = unparen(id);
      if (lv.loop && ts.isCallExpression(p) && p.arguments.length === 1 && p.arguments[0] === id && ts.isPropertyAccessExpression(p.expression)
        && p.expression.name.text === 'push' && ts.isIdentifier(p.expression.expression) && ts.isExpressionStatement(p.parent)
        && useCtx === lv.ctx) {
        const loop = arrayLoop(p, p.expression.expression, lv.ctx);
        if (loop) {
          keepPushed(id, p.expression.expression, loopState(loop, lv.ctx));
          continue;
        }
      }
      // `results[i] = r` likewise, when the loop only ever fills that array.
      const store = lv.loop && useCtx === lv.ctx ? storeOf(id) : undefined;
      const storeLoop = store && arrayLoop(store.assign, store.array, lv.ctx);
      if (store && storeLoop) {
        keepStored(store, loopState(storeLoop, lv.ctx));
        continue;
      }
      if (ts.isShorthandPropertyAssignment(id.parent)) edits.replace(id.getStart(), id.end, `${lv.name}: ${join(useCtx, lv.name)}`);
      else if (ts.isExportSpecifier(id.parent)) continue;
      else edits.replace(id.getStart(), id.end, join(useCtx, lv.name));
    }
  }

  // The other pushes and stores into arrays that deferred loops fill (plain values among the forks).
  for (const [sym, states] of filled) {
    for (const st of states) {
      for (const ref of input.referencesOf(sym)) {
        if (!isInside(ref, st.loop)) continue;
        const p = ref.parent;
        if (ts.isPropertyAccessExpression(p) && p.expression === ref && ts.isCallExpression(p.parent) && !logged.has(p.parent)) {
          const value = p.parent.arguments[0];
          if (value) keepPushed(value, ref, st);
        } else if (ts.isElementAccessExpression(p) && p.expression === ref && ts.isBinaryExpression(p.parent) && !logged.has(p.parent)) {
          keepStored({ assign: p.parent, access: p, array: ref }, st);
        }
      }
    }
  }

  // Implicit sync: no fork outlives the block (or loop) that started it, on every path out of it: its end, a
  // `return` or `throw`, and a `break`/`continue` that jumps out of it.
  const beforeExits = new Map<ts.ReturnStatement | ts.ThrowStatement | ts.BreakOrContinueStatement, string[]>();
  const addExitJoins = (region: ts.Node, from: number, ctx: ts.Node, text: string) => {
    const visitR = (n: ts.Node) => {
      if (n !== region && isFunctionBoundary(n)) return;
      // A jump leaves the region when it targets a statement around it, or the region itself when the region is
      // a labeled block (`break label`); a loop's own break/continue reaches its end-of-loop joins anyway.
      const target = ts.isBreakOrContinueStatement(n) ? jumpTarget(n) ?? region : undefined;
      // A `throw` leaves too (unless a try around it in the region catches it: joining first is harmless then).
      const exits = ts.isReturnStatement(n) || ts.isThrowStatement(n)
        || (target !== undefined && (!isInside(target, region) || (target === region && !isLoop(region))));
      if (exits && n.getStart() >= from && contextOf(n) === ctx) {
        const list = beforeExits.get(n as ts.ReturnStatement) ?? [];
        list.push(text);
        beforeExits.set(n as ts.ReturnStatement, list);
      }
      ts.forEachChild(n, visitR);
    };
    visitR(region);
  };

  for (const lv of lazyVars) {
    if (lv.loop) continue;
    const block = lv.statement.parent as ts.Block | ts.SourceFile;
    const stmts = block.statements;
    const last = stmts[stmts.length - 1]!;
    const text = joinStatement(lv.ctx, lv.name);
    if (!(ts.isReturnStatement(last) || ts.isThrowStatement(last) || ts.isBreakOrContinueStatement(last))) {
      edits.after(range(last), ' ' + text);
    }
    addExitJoins(block, lv.statement.end, lv.ctx, text);
  }
  for (const st of loops.values()) {
    // Every fork the loop left running is joined, the first failure thrown after all of them, with the loop's
    // arrays as the sequential program would have left them (runtime/loop-joins.ts).
    if (!st.log) continue;
    const async = isAsyncContext(st.ctx);
    const joins = async ? `await ${RT}.joinLoopAsync(${st.log});` : `${RT}.joinLoop(${st.log});`;
    const decls = `const ${st.log}${input.typed ? ': any[]' : ''} = []; `
      + (st.keys.length > 0 ? `let ${st.keys.map((k) => (input.typed ? `${k}: any` : k)).join(', ')}; ` : '');
    // Something else in the loop that throws still joins the log first: a failed fork made before it comes first.
    edits.before(range(st.outer), `{ ${decls}try { `);
    edits.after(range(st.outer), ` } catch (${st.log}_e) { ${joins} throw ${st.log}_e; } ${joins} }`);
    addExitJoins(st.loop, st.loop.getStart(), st.ctx, joins);
  }
  for (const [last, names] of unusedRuns) {
    const ctx = contextOf(last);
    edits.after(range(last), ' ' + names.map((n) => joinStatement(ctx, n)).join(' '));
  }
  for (const [ret, texts] of beforeExits) {
    const braces = !isStatementList(ret.parent);
    edits.before(range(ret), `${braces ? '{ ' : ''}${texts.join(' ')} `);
    if (braces) edits.after(range(ret), ' }');
  }

  function isUnusedForkStatement(s: ts.Statement): boolean {
    if (!ts.isExpressionStatement(s)) return false;
    let e: ts.Expression = s.expression;
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    return ts.isCallExpression(e) && forkedCalls.has(e) && !targetOf(e)!.async;
  }

  function wrapJoinAll(m: ts.CallExpression, ctx: ts.Node) {
    if (isAsyncContext(ctx)) {
      edits.before(range(m), '(await Promise.all(');
      edits.after(range(m), '))');
    } else {
      const v = fresh('v');
      edits.after(range(m), `.map((${v}) => ${RT}.join(${v}))`);
    }
  }

  // xs.map(f) with f a forked function: start all, then join all.
  const visitRefs = (n: ts.Node) => {
    if (ts.isCallExpression(n) && n.arguments.length === 1 && ts.isIdentifier(n.arguments[0]!) && ts.isPropertyAccessExpression(n.expression)
      && n.expression.name.text === 'map' && !n.questionDotToken) {
      const id = n.arguments[0] as ts.Identifier;
      const t = input.targetOfReference(id);
      if (t) {
        // One argument per element: map's index and array would be copied to the worker on every call.
        const a = fresh('a');
        edits.replace(id.getStart(), id.end, () => `(${a}) => ${forkText(t, a, id)}`);
        if (!t.async) wrapJoinAll(n, contextOf(n));
      }
    }
    ts.forEachChild(n, visitRefs);
  };
  visitRefs(sf);
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

function unparenExpr(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

function topOf(n: ts.Node): ts.Statement {
  let s: ts.Node = n;
  while (s.parent && !ts.isSourceFile(s.parent)) s = s.parent;
  return s as ts.Statement;
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
