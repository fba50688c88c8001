// Public types of the transformer core (docs/internals.md "Transformer core API").
import type { SourceMap } from 'magic-string';

export type { SourceMap };

/** The JSDoc tag (or decorator) that marks a function. The *Fork kinds make every call a fork. */
export type MarkerKind = 'cpuBoundFork' | 'ioBoundFork' | 'cpuBound' | 'ioBound' | 'unsafe';

/** A marked function of a module, as scanMarkers and transformModule report it. */
export interface MarkedFunction {
  name: string;
  kind: MarkerKind;
  exported: boolean;
  /** declared `async`: its forks are joined as promises are (awaited), never by a blocking join */
  async?: boolean;
  /** number of declared parameters (a rest parameter not counted); used by `xs.map(f)` */
  params?: number;
  /** the name the module's worker module exports it under (differs from `name` for `export { a as b }`) */
  workerExport?: string;
}

export interface TransformOptions {
  /** absolute path (or a virtual path in the playground) */
  fileName: string;
  /** output format of the rewritten module and of its worker modules */
  moduleFormat: 'esm' | 'cjs';
  /** module the generated code imports fork/join/hoist from; default 'tsfork' */
  runtimeSpecifier?: string;
  /** cross-file markers: is `importedName` of module `specifier` marked? (a scanMarkers entry or just its kind) */
  markedImports?: (specifier: string, importedName: string) => MarkerKind | MarkedFunction | undefined;
  /** TS front end only: why the static type of this node (a node of `sourceFile`) cannot be structured-cloned */
  checkCloneable?: (node: unknown) => string | undefined;
  /** the absolute URL (a string value) hoist() gets for a worker module; default: next to the module */
  workerUrl?: (workerFileName: string) => string;
  /** like workerUrl but returns a JavaScript expression (e.g. a variable holding a blob: URL); wins over workerUrl */
  workerUrlExpression?: (workerFileName: string) => string;
  /**
   * In worker modules, import marked functions of other project modules from *their* worker modules
   * (`./lib.js` -> `./lib.tsfork-worker.js`), so a worker never runs those modules' top-level code. Only when
   * the worker modules are emitted next to their modules (tspc, tsfork build, Babel); default false.
   */
  workerImportsFromWorkers?: boolean;
  /**
   * Report the parser's errors (TypeScript's own TS1xxx codes and texts, e.g. `TS1109: Expression expected.`) as
   * diagnostics, and leave a module with syntax errors otherwise untouched. For front ends with no parser of their
   * own in front of the core: register, `tsfork run`, the playground. tsc reports them itself and Babel's parser
   * throws first, so those leave it off. Default false.
   */
  syntaxErrors?: boolean;
  /** TS front end only: the program's parsed file (parent pointers set) and its checker, instead of a local parse */
  sourceFile?: unknown;
  checker?: unknown;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  code: number;
  message: string;
  start: number;
  length: number;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

export interface WorkerModule {
  fileName: string;
  code: string;
  map: SourceMap;
}

export interface TransformResult {
  code: string;
  map: SourceMap;
  workers: WorkerModule[];
  diagnostics: Diagnostic[];
  marked: MarkedFunction[];
}
