// transformModule: analyze and plan the module once (plan/module.ts), then render the plan twice: the rewritten
// module (emit/main.ts) and its worker module (emit/worker.ts).
import MagicString from 'magic-string';
import ts from 'typescript';
import type { Report } from './analysis.js';
import { moduleFormat, workerFileNameOf } from './emit/format.js';
import { emitMain } from './emit/main.js';
import { emitWorker } from './emit/worker.js';
import { checkerFor, parse, programFor } from './parse.js';
import { planModule, type Planned } from './plan/module.js';
import { printPlan } from './plan/print.js';
import type { Diagnostic, MarkedFunction, TransformOptions, TransformResult } from './types.js';

export { workerFileNameOf };

export function transformModule(source: string, options: TransformOptions): TransformResult {
  const { planned, diagnostics } = plan(source, options);
  const { fileName } = options;
  const p = planned?.plan;
  if (!p) return unchanged(source, fileName, diagnostics, planned?.marked ?? []);
  const format = moduleFormat(options, p.names.rt);
  const s = new MagicString(source);
  emitMain(p, source, format).apply(source, s);
  const result: TransformResult = {
    code: s.toString(),
    map: s.generateMap({ source: fileName, file: fileName, includeContent: true, hires: true }),
    workers: [],
    diagnostics,
    marked: planned.marked,
  };
  if (p.functions.length === 0) return result;
  const workerFileName = workerFileNameOf(fileName);
  const ws = new MagicString(source);
  emitWorker(p, source, format, options).apply(source, ws);
  result.workers.push({
    fileName: workerFileName,
    code: ws.toString(),
    map: ws.generateMap({ source: fileName, file: workerFileName, includeContent: true, hires: true }),
  });
  return result;
}

/** The module's plan and its diagnostics; no plan for a module with syntax errors (when asked to check). */
export function plan(source: string, options: TransformOptions): { planned?: Planned; diagnostics: Diagnostic[] } {
  const { fileName } = options;
  const sf = (options.sourceFile as ts.SourceFile | undefined) ?? parse(source, fileName);
  const diagnostics: Diagnostic[] = [];
  const reportAt = (start: number, length: number, severity: 'error' | 'warning', code: number, message: string) => {
    const lc = sf.getLineAndCharacterOfPosition(start);
    diagnostics.push({ severity, code, message, start, length, line: lc.line + 1, column: lc.character + 1 });
  };
  const report: Report = (node, severity, code, message) => {
    const start = node.getStart(sf);
    reportAt(start, node.end - start, severity, code, message);
  };
  let program: ts.Program | undefined;
  if (options.syntaxErrors && !options.sourceFile) {
    program = programFor(sf);
    for (const d of program.getSyntacticDiagnostics(sf)) {
      const start = d.start ?? 0;
      const lc = sf.getLineAndCharacterOfPosition(start);
      diagnostics.push({
        severity: 'error', code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
        start, length: d.length ?? 0, line: lc.line + 1, column: lc.character + 1,
      });
    }
    // The analysis assumes a well-formed tree: on a broken one it would only add confusing errors.
    if (diagnostics.length > 0) return { diagnostics };
  }
  const checker = () => (options.checker as ts.TypeChecker | undefined) ?? program?.getTypeChecker() ?? checkerFor(sf);
  return { planned: planModule(sf, options, checker, report, reportAt), diagnostics };
}

function unchanged(source: string, fileName: string, diagnostics: Diagnostic[], marked: MarkedFunction[]): TransformResult {
  const s = new MagicString(source);
  return { code: source, map: s.generateMap({ source: fileName, file: fileName, includeContent: true, hires: true }), workers: [], diagnostics, marked };
}

/** The plan of a module as text (plan/print.ts), or undefined when there is nothing to rewrite. */
export function explainModule(source: string, options: TransformOptions): string | undefined {
  const p = plan(source, options).planned?.plan;
  return p && printPlan(p);
}
