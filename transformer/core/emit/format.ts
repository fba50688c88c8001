// What the module format and the front end's options decide about the generated text: how the runtime is
// imported, how each module finds the worker module's URL, where generated declarations go.
import ts from 'typescript';
import type { TransformOptions } from '../types.js';

export interface ModuleFormat {
  cjs: boolean;
  importRuntime: string;
  /** the rewritten module's expression for the worker module's URL */
  mainWorkerUrl: string;
  /** the worker module's expression for its own URL */
  ownUrl: string;
}

/** `dir/app.ts` -> `app.tsfork-worker.ts` (the generated worker module sits next to its module). */
export function workerFileNameOf(fileName: string): string {
  const m = /^(.*?)(\.[cm]?[jt]sx?)?$/.exec(fileName)!;
  return `${m[1]}.tsfork-worker${m[2] ?? '.js'}`;
}

/** The file name the worker module has once compiled to JavaScript. */
function emittedName(workerFileName: string): string {
  const base = workerFileName.replace(/^.*[\\/]/, '');
  return base.replace(/\.(m|c)?[jt]sx?$/, (_all, mc: string | undefined) => `.${mc ?? ''}js`);
}

export function moduleFormat(options: TransformOptions, rt: string): ModuleFormat {
  const cjs = options.moduleFormat === 'cjs';
  const str = JSON.stringify;
  const workerFileName = workerFileNameOf(options.fileName);
  const emitted = emittedName(workerFileName);
  const runtime = str(options.runtimeSpecifier ?? 'tsfork');
  return {
    cjs,
    importRuntime: cjs ? `const ${rt} = require(${runtime});` : `import * as ${rt} from ${runtime};`,
    mainWorkerUrl: options.workerUrlExpression?.(workerFileName)
      ?? (options.workerUrl ? str(options.workerUrl(workerFileName))
        : cjs ? `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${str(emitted)})).href`
          : `new URL(${str('./' + emitted)}, import.meta.url).href`),
    ownUrl: cjs ? 'require("node:url").pathToFileURL(__filename).href' : 'import.meta.url',
  };
}

/** Where generated imports go: after a #! line and the directive prologue ('use strict'). */
export function headPosition(sf: ts.SourceFile): number {
  let pos = 0;
  if (sf.text.startsWith('#!')) {
    const nl = sf.text.indexOf('\n');
    pos = nl < 0 ? sf.text.length : nl + 1;
  }
  for (const st of sf.statements) {
    if (ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)) pos = st.end;
    else break;
  }
  return pos;
}
