// tsfork/babel: the tsfork transform as a Babel 7 plugin. It runs the one core analysis on the file's original
// text, swaps the program for the rewritten one, and writes the worker modules next to Babel's output.
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, relative } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { transformModule } from '../core/index.js';
import { formatDiagnostic, type Diagnostic } from '../register/diagnostics.js';
import { markedImportsFor } from '../register/marked-imports.js';
import { stripTypes } from '../register/strip-types.js';
import { rewriteSpecifiers, workerModuleOf } from '../register/specifiers.js';
import type { ModuleFormat } from '../register/source-files.js';
import { outputDirOf, type OutputOptions } from './output-dir.js';
import { checkDecorators, enableDecoratorSyntax, handlesDecorators, lowerDecorators, type BabelTypes, type Traversable } from './decorators.js';

export interface TsforkBabelOptions extends OutputOptions {
  /** output module format; default: 'cjs' when Babel converts modules to CommonJS, else 'esm' */
  moduleFormat?: ModuleFormat;
  /** where generated code imports fork/join/hoist from; default 'tsfork' */
  runtimeSpecifier?: string;
}

/** A worker module as written (or to be written) next to the output. */
export interface EmittedWorker {
  fileName: string;
  code: string;
}

// The small part of Babel's plugin API this plugin touches (Babel ships no types of its own).
interface BabelFile {
  code: string;
  opts: {
    filename?: string | null;
    sourceFileName?: string;
    parserOpts: Record<string, unknown>;
    plugins: { key: string }[];
    sourceType?: string;
  };
  ast: { comments?: unknown[] };
  path: Traversable & { replaceWith(node: unknown): unknown; node: unknown; scope: { crawl(): void } };
  inputMap: { toObject(): unknown } | null;
  metadata: Record<string, unknown>;
  buildCodeFrameError(node: unknown, message: string, ErrorClass?: new (message: string) => Error): Error;
}
interface PluginPass {
  file: BabelFile;
  opts: TsforkBabelOptions;
}

const requireHere = createRequire(import.meta.url);
let babelCore: { parseSync(code: string, options: Record<string, unknown>): { program: unknown; comments?: unknown[] } } | undefined;

function moduleFormatFor(file: BabelFile, options: TsforkBabelOptions): ModuleFormat {
  if (options.moduleFormat) return options.moduleFormat;
  const keys = new Set(file.opts.plugins.map((p) => p.key));
  for (const other of ['transform-modules-amd', 'transform-modules-systemjs', 'transform-modules-umd']) {
    if (keys.has(other)) throw new Error(`tsfork/babel: ${other} is not supported; use ES modules or CommonJS output.`);
  }
  return keys.has('transform-modules-commonjs') || file.opts.sourceType === 'script' ? 'cjs' : 'esm';
}

/** The worker's output name: its generated name with the extension that fixes its format (.mjs/.cjs). */
function workerOutputName(workerFileName: string, format: ModuleFormat): string {
  return basename(workerFileName, extname(workerFileName)) + (format === 'esm' ? '.mjs' : '.cjs');
}

/** Resolved at run time against the output module's own location, so the built folder can move. */
function workerUrlExpression(workerFileName: string, format: ModuleFormat): string {
  const name = JSON.stringify('./' + workerOutputName(workerFileName, format));
  return format === 'esm'
    ? `new URL(${name}, import.meta.url).href`
    : `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${name})).href`;
}

/** Imports of other modules' worker modules name the files as this plugin writes them (.mjs/.cjs). */
function withWorkerExtensions(code: string, format: ModuleFormat): string {
  return rewriteSpecifiers(code, format, (specifier) => {
    const ofModule = workerModuleOf(specifier);
    return ofModule === undefined ? undefined : ofModule.replace(/\.[cm]?[jt]sx?$/, '') + (format === 'esm' ? '.tsfork-worker.mjs' : '.tsfork-worker.cjs');
  });
}

function relativeName(fileName: string): string {
  return relative(process.cwd(), fileName) || fileName;
}

function throwDiagnostics(file: BabelFile, fileName: string, errors: Diagnostic[]): never {
  const first = errors[0]!;
  const loc = {
    start: { line: first.line, column: first.column - 1 },
    end: { line: first.line, column: first.column - 1 + Math.max(first.length, 1) },
  };
  const text = errors.map((d) => formatDiagnostic(fileName, d)).join('\n');
  throw file.buildCodeFrameError({ loc }, text, SyntaxError);
}

type Plugin = {
  name: string;
  manipulateOptions(opts: { plugins?: { key: string }[] }, parserOpts: { plugins: unknown[] }): void;
  pre(this: PluginPass, file: BabelFile): void;
};

export default function tsforkBabel(api: { types: BabelTypes }): Plugin {
  return {
    name: 'tsfork',
    // tsfork's decorators need no decorators plugin: parse them here, lower them in pre (decorators.ts).
    manipulateOptions: enableDecoratorSyntax,
    pre(file) {
      const fileName = file.opts.filename;
      if (!fileName) throw new Error('tsfork/babel needs the file name of each file it transforms (Babel option `filename`).');
      const format = moduleFormatFor(file, this.opts);
      const result = transformModule(file.code, {
        fileName,
        moduleFormat: format,
        runtimeSpecifier: this.opts.runtimeSpecifier,
        markedImports: markedImportsFor(fileName),
        workerUrlExpression: (workerFileName) => workerUrlExpression(workerFileName, format),
        workerImportsFromWorkers: true,
      });
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) throwDiagnostics(file, fileName, errors);
      const lower = !handlesDecorators(file.opts.plugins);
      if (lower) {
        checkDecorators(file.path, file.code, relativeName(fileName),
          (node, message) => { throw file.buildCodeFrameError(node, message, SyntaxError); },
          (d) => throwDiagnostics(file, fileName, [d]));
      }
      for (const warning of result.diagnostics.filter((d) => d.severity !== 'error')) {
        process.stderr.write(`${formatDiagnostic(fileName, warning)}\n`);
      }
      if (result.code !== file.code) {
        babelCore ??= requireHere('@babel/core');
        const parsed = babelCore!.parseSync(result.code, {
          filename: fileName,
          configFile: false,
          babelrc: false,
          parserOpts: file.opts.parserOpts,
        });
        file.path.replaceWith(parsed.program);
        file.ast.comments = parsed.comments;
        // Babel maps its output to the rewritten text; the core's map carries that back to the original file.
        const sourceName = file.opts.sourceFileName ?? basename(fileName);
        const coreMap = { ...(result.map as unknown as Record<string, unknown>), sources: [sourceName] };
        file.inputMap = { toObject: () => coreMap };
      }
      if (lower) {
        lowerDecorators(file.path, api.types);
        file.path.scope.crawl(); // the static blocks' references keep their imports (preset-typescript elides unused ones)
      }
      const outDir = outputDirOf(fileName, this.opts);
      const workers: EmittedWorker[] = result.workers.map((w) => {
        const outName = workerOutputName(w.fileName, format);
        const source = outDir ? relative(outDir, fileName) : basename(fileName);
        return {
          fileName: outDir ? join(outDir, outName) : join(dirname(fileName), outName),
          code: withWorkerExtensions(stripTypes(w.code, w.map, { fileName: w.fileName, format, source, rewriteTsImports: true }), format),
        };
      });
      // Tools that write outputs themselves (bundlers, transformSync callers) find the worker modules here.
      file.metadata.tsforkWorkers = workers;
      if (outDir) {
        for (const w of workers) {
          mkdirSync(dirname(w.fileName), { recursive: true });
          writeFileSync(w.fileName, w.code);
        }
      }
    },
  };
}
