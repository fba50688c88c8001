// Join strategy "loop log": in a loop, `xs.push(f(x))`, `xs[k] = f(x)` and the pushes and stores of a lazy
// variable keep the calls in flight until the loop ends. Every fork, push and store is recorded in one ordered log
// (runtime/loop-joins.ts); joinLoop joins it all in the sequential order and, when a call failed, rolls the arrays
// back to where the sequential loop stopped.
import ts from 'typescript';
import type { LoggedWrite, LoopPlan } from '../plan/types.js';
import { isAsyncContext, isFunctionBoundary, isInside } from '../refs.js';
import { unloggedEffect } from './loop-effects.js';
import { awaitsIn, loopOf, range, unparen, unparenExpr, type CallContext, type EmitContext } from './shared.js';

export type Store = { assign: ts.BinaryExpression; access: ts.ElementAccessExpression; array: ts.Identifier };

/** The deferred loops of a module and what they log, collected while the forks are planned. */
export class LoopLogs {
  readonly loops = new Map<ts.IterationStatement, LoopPlan>();
  /** the push calls / store assignments already logged */
  private readonly logged = new Set<ts.Node>();

  private readonly effects = new Map<ts.IterationStatement, ts.Node | undefined>();
  /** loops that would have deferred a fork but for an effect the log cannot undo */
  readonly undeferred = new Map<ts.IterationStatement, ts.Node>();

  constructor(private readonly c: CallContext, private readonly forked: Set<ts.CallExpression>) {}

  /** The loop a fork at node may stay in flight until: the outermost that fits and has no effect the log cannot undo. */
  loopFor(node: ts.Node, ctx: ts.Node, fits: (loop: ts.IterationStatement) => boolean = () => true): ts.IterationStatement | undefined {
    return loopOf(node, ctx, (loop) => {
      if (!fits(loop)) return false;
      const effect = this.effectOf(loop);
      if (effect) this.undeferred.set(loop, effect);
      return effect === undefined;
    });
  }

  /** What keeps the loop from deferring its forks (plan.txt shows it), if anything. */
  effectOf(loop: ts.IterationStatement): ts.Node | undefined {
    if (!this.effects.has(loop)) {
      this.effects.set(loop, unloggedEffect(loop, {
        sf: this.c.sf, forked: this.forked, symbolOf: this.c.symbolOf,
        loggable: (array, l) => this.onlyFilledInLoop(array, l),
      }));
    }
    return this.effects.get(loop);
  }

  loopPlan(loop: ts.IterationStatement, ctx: ts.Node): LoopPlan {
    let st = this.loops.get(loop);
    if (!st) { st = { loop, outer: outerOf(loop), ctx, keys: [] }; this.loops.set(loop, st); }
    return st;
  }

  logOf(st: LoopPlan): string {
    if (!st.log) { st.log = this.c.names.fresh('log', ['_e']); st.caught = `${st.log}_e`; }
    return st.log;
  }

  /** The loop a push or store into `array` from `at` may stay in flight until, if any. */
  arrayLoop(at: ts.Node, array: ts.Identifier, ctx: ts.Node): ts.IterationStatement | undefined {
    return this.loopFor(at, ctx, (loop) => this.onlyFilledInLoop(array, loop));
  }

  /** `xs[k] = <value>;` as a statement, value being `node`. */
  storeOf(node: ts.Node): Store | undefined {
    const p = unparen(node);
    if (!ts.isBinaryExpression(p) || p.operatorToken.kind !== ts.SyntaxKind.EqualsToken || unparenExpr(p.right) !== node) return undefined;
    if (!ts.isExpressionStatement(p.parent) || !ts.isElementAccessExpression(p.left) || p.left.questionDotToken) return undefined;
    const array = p.left.expression;
    return ts.isIdentifier(array) ? { assign: p, access: p.left, array } : undefined;
  }

  /** `xs.push(<value>);` as a statement, value being `node`: the array, when its loop can log it. */
  pushOf(node: ts.Node): ts.Identifier | undefined {
    const p = unparen(node);
    if (ts.isCallExpression(p) && p.arguments.length === 1 && unparenExpr(p.arguments[0]!) === node && ts.isPropertyAccessExpression(p.expression)
      && p.expression.name.text === 'push' && ts.isIdentifier(p.expression.expression) && ts.isExpressionStatement(p.parent)) {
      return p.expression.expression;
    }
    return undefined;
  }

  /** `xs[k] = v` is logged as `xs[kN = (k)] = logStore(log, xs, kN, v)`: the key evaluated once, the old value kept. */
  store(store: Store, st: LoopPlan): LoggedWrite & { kind: 'store' } {
    this.noteLogged(store.assign);
    const key = this.c.names.fresh('k');
    st.keys.push(key);
    this.logOf(st);
    return { kind: 'store', ...store, loop: st, key };
  }

  /** `xs.push(v)` is logged as `xs.push(logPush(log, xs, v))`: the log knows the index, to cut there. */
  push(value: ts.Node, array: ts.Identifier, st: LoopPlan): LoggedWrite & { kind: 'push' } {
    this.noteLogged(unparen(value));
    this.logOf(st);
    return { kind: 'push', value, array, loop: st };
  }

  /**
   * Every other push and store in a deferred loop into an array it only fills (plain values among the forks, and
   * arrays no fork fills): logged too, so a roll-back undoes exactly what came after a failure.
   */
  otherWrites(): LoggedWrite[] {
    const out: LoggedWrite[] = [];
    for (const st of this.loops.values()) {
      if (!st.log) continue;
      const visit = (n: ts.Node) => {
        if (n !== st.loop && isFunctionBoundary(n)) return;
        if (ts.isExpressionStatement(n) && !this.logged.has(n.expression)) {
          const e = n.expression;
          if (ts.isCallExpression(e) && e.arguments.length === 1 && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'push'
            && ts.isIdentifier(e.expression.expression) && this.onlyFilledInLoop(e.expression.expression, st.loop)) {
            out.push(this.push(e.arguments[0]!, e.expression.expression, st));
          } else if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isElementAccessExpression(e.left)
            && !e.left.questionDotToken && ts.isIdentifier(e.left.expression) && this.onlyFilledInLoop(e.left.expression, st.loop)) {
            out.push(this.store({ assign: e, access: e.left, array: e.left.expression }, st));
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(st.loop);
    }
    return out;
  }

  private noteLogged(site: ts.Node): void {
    this.logged.add(site);
  }

  /**
   * The array is declared outside the loop and, inside it, only ever filled (`xs.push(v);` and `xs[k] = v;`, xs in
   * neither the key nor the value), and the loop does not await: nothing can see an element still running.
   */
  private onlyFilledInLoop(array: ts.Identifier, loop: ts.IterationStatement): boolean {
    const sym = this.c.symbolOf(array);
    const decl = sym?.valueDeclaration;
    if (!sym || !decl || isInside(decl, loop) || awaitsIn(loop)) return false;
    const mentions = (n: ts.Node) => this.c.referencesOf(sym).some((r) => isInside(r, n));
    return this.c.referencesOf(sym).every((ref) => {
      if (!isInside(ref, loop)) return true;
      const p = ref.parent;
      if (ts.isPropertyAccessExpression(p) && p.expression === ref && p.name.text === 'push') {
        const call = p.parent;
        return ts.isCallExpression(call) && call.expression === p && call.arguments.length === 1 && ts.isExpressionStatement(call.parent);
      }
      if (!ts.isElementAccessExpression(p) || p.expression !== ref) return false;
      const assign = p.parent;
      return ts.isBinaryExpression(assign) && assign.left === p && assign.operatorToken.kind === ts.SyntaxKind.EqualsToken
        && ts.isExpressionStatement(assign.parent) && !mentions(assign.right) && !mentions(p.argumentExpression);
    });
  }
}

function outerOf(loop: ts.Statement): ts.Statement {
  let s = loop;
  while (ts.isLabeledStatement(s.parent)) s = s.parent;
  return s;
}

export function emitWrite(e: EmitContext, w: LoggedWrite): void {
  if (w.kind === 'push') {
    e.edits.before(range(w.value), `${e.rt}.logPush(${w.loop.log}, ${w.array.text}, `);
    e.edits.after(range(w.value), ')');
    return;
  }
  const arg = w.access.argumentExpression;
  e.edits.before(range(arg), `${w.key} = (`);
  e.edits.after(range(arg), ')');
  e.edits.before(range(w.assign.right), `${e.rt}.logStore(${w.loop.log}, ${w.array.text}, ${w.key}, `);
  e.edits.after(range(w.assign.right), ')');
}

/** The statement that settles a loop's log: joins every entry in order, throws the first failure. */
export function loopJoin(rt: string, st: LoopPlan): string {
  return isAsyncContext(st.ctx) ? `await ${rt}.joinLoopAsync(${st.log});` : `${rt}.joinLoop(${st.log});`;
}

/**
 * `{ const log = []; try { <loop> } catch (e) { joinLoop(log); throw e; } joinLoop(log); }`: something else in the
 * loop that throws still joins the log first, so a failed fork made before it comes first.
 */
export function emitLoop(e: EmitContext, st: LoopPlan): void {
  if (!st.log) return;
  const joins = loopJoin(e.rt, st);
  const decls = `const ${st.log}${e.typed ? ': any[]' : ''} = []; `
    + (st.keys.length > 0 ? `let ${st.keys.map((k) => (e.typed ? `${k}: any` : k)).join(', ')}; ` : '');
  e.edits.before(range(st.outer), `{ ${decls}try { `);
  e.edits.after(range(st.outer), ` } catch (${st.caught}) { ${joins} throw ${st.caught}; } ${joins} }`);
}
