// The plan of one module: every decision the transform makes, collected before any text is written. The emitters
// (emit/main.ts, emit/worker.ts) only render it; plan/print.ts shows it (test/fixtures/**/plan.txt).
import type ts from 'typescript';
import type { MarkerSite } from '../markers.js';
import type { Names } from './names.js';

/** A function a forked call runs, as seen from one module (the rewritten module or the worker module). */
export interface ForkTarget {
  /** the forked function, as the first argument of fork() */
  callee: string;
  /** hidden leading arguments (captured locals of a lifted nested function) */
  captures: string[];
  /** an async function: its value is a promise in the sequential program, so it is never joined for the caller */
  async: boolean;
}

/** A marked function of the module and what it is called where. */
export interface PlannedFunction {
  site: MarkerSite;
  /** its export name in the worker module: unique in that module whatever the user's names and nesting */
  workerName: string;
  /** captured locals, passed as hidden leading arguments, in this order */
  captures: string[];
  /** rewritten module: the hoisted stand-in a call forks when there are captures (`__tsfork_g`) */
  standIn?: string;
  /** rewritten module: the fork wrapper an exported forking function is exported as (`__tsfork_fork_f`) */
  wrapper?: string;
  /** nested in a function the worker module keeps whole: not lifted (reported) */
  notLifted: boolean;
  /** `export { f as g }` specifiers naming it (they export the fork wrapper instead) */
  exportedVia: { exported: string; specifier: ts.ExportSpecifier }[];
  /** worker module: its recursive calls, which pass its captures along */
  selfCalls: ts.CallExpression[];
  /** worker module: its name and the references to it, renamed to workerName (a lifted function whose name is taken) */
  workerRenames: ts.Identifier[];
}

/** What the worker module keeps of the module's top-level statements. */
export interface WorkerContents {
  /** top-level statements kept whole */
  keep: Set<ts.Statement>;
  /** top-level statements blanked except for the marked nested functions inside them */
  containers: Map<ts.Statement, MarkerSite[]>;
  /** classes it shares with the rewritten module (registered there, exported here) */
  classes: ts.ClassDeclaration[];
  /** imported classes its code uses: re-exported, and registered after their import by the rewritten module */
  importedClasses: { statement: ts.ImportDeclaration; names: string[] }[];
}

/** A deferred loop: its forks stay in flight until it ends, joined through one ordered log (runtime/loop-joins.ts). */
export interface LoopPlan {
  loop: ts.IterationStatement;
  /** the loop with its labels: what the try/joinLoop block wraps */
  outer: ts.Statement;
  ctx: ts.Node;
  /** the log's name, once something in the loop is logged */
  log?: string;
  /** the catch binding of the wrapping try */
  caught?: string;
  /** one temp per store site: the key, evaluated once */
  keys: string[];
}

/** A push or store logged in a deferred loop, so a failure rolls back exactly what came after it. */
export type LoggedWrite =
  | { kind: 'push'; value: ts.Node; array: ts.Identifier; loop: LoopPlan }
  | { kind: 'store'; assign: ts.BinaryExpression; access: ts.ElementAccessExpression; array: ts.Identifier; loop: LoopPlan; key: string };

/** `const v = f(x)`: v holds the running call; each read joins it. */
export interface LazyVariable {
  name: string;
  symbol: ts.Symbol;
  statement: ts.VariableStatement;
  ctx: ts.Node;
  /** the deferred loop it belongs to (logged as pending), if any */
  loop?: LoopPlan;
  reads: LazyRead[];
}

export type LazyRead =
  | { id: ts.Identifier; how: 'join' | 'shorthand' | 'export' }
  | { id: ts.Identifier; how: 'logged'; write: LoggedWrite };

/** One expression's forks: all start before any join (each in a temp), except those in branches that may not run. */
export interface ExpressionGroup {
  root: ts.Node;
  ctx: ts.Node;
  members: { fork: ForkedCall; hoisted: boolean; temp?: string }[];
}

/** Where a forked call's value is joined. One strategy per module in joins/. */
export type JoinDecision =
  | { strategy: 'map'; over: ts.CallExpression; method: 'map' | 'forEach'; temp?: string }
  | { strategy: 'async' }
  | { strategy: 'lazy'; variable: LazyVariable }
  | { strategy: 'unused-run'; temp: string; runEnd: ts.Statement }
  | { strategy: 'unused-loop'; loop: LoopPlan }
  | { strategy: 'unused-inline' }
  | { strategy: 'push'; write: LoggedWrite & { kind: 'push' } }
  | { strategy: 'store'; write: LoggedWrite & { kind: 'store' } }
  | { strategy: 'expression'; group: ExpressionGroup };

export interface ForkedCall {
  call: ts.CallExpression;
  target: ForkTarget;
  join: JoinDecision;
  /** per capture: it holds a running fork here (a lazy variable), so it is joined before it is copied */
  joinCaptures: boolean[];
}

/** `xs.map(f)` with f a forked function: one argument per element, start all, then join all. */
export interface MapReference {
  map: ts.CallExpression;
  id: ts.Identifier;
  target: ForkTarget;
  param: string;
  joinCaptures: boolean[];
  /** the join-all's parameter (sync code), unless the target is async */
  temp?: string;
  joinAll: boolean;
}

/** Something that must be joined before an exit (return, throw, a jump out of its block or loop). */
export type PendingJoin = { kind: 'lazy'; variable: LazyVariable } | { kind: 'loop'; loop: LoopPlan };

/** Every forked call of one module and where it is joined. */
export interface CallPlan {
  forks: ForkedCall[];
  expressions: ExpressionGroup[];
  lazy: LazyVariable[];
  loops: LoopPlan[];
  /** loops that join each call at once: something in them (output, a call, an outer write) cannot wait or be undone */
  undeferred: Map<ts.IterationStatement, ts.Node>;
  /** pushes and stores of plain values into arrays a deferred loop fills */
  otherWrites: LoggedWrite[];
  /** the last statement of a run of unused forks -> the temps joined after it */
  unusedRuns: Map<ts.Statement, string[]>;
  /** function (or top-level statement) -> the temps declared there */
  temps: Map<ts.Node, string[]>;
  /** return/throw/break/continue -> what it joins first */
  exits: Map<ts.Statement, PendingJoin[]>;
  mapReferences: MapReference[];
}

export interface ModulePlan {
  sf: ts.SourceFile;
  typed: boolean;
  names: Names;
  functions: PlannedFunction[];
  worker: WorkerContents;
  /** forked calls of the rewritten module */
  main: CallPlan;
  /** forked calls inside the code the worker module keeps (nested forks) */
  workerCalls: CallPlan;
}
