// Node 20 cannot strip types, so the register front end turns the core's rewritten TypeScript into
// JavaScript with TypeScript's own transpileModule, and chains the source maps back to the user's file.
import ts from 'typescript';
import remapping from '@jridgewell/remapping';
import { pathToFileURL } from 'node:url';
import type { ModuleFormat } from './source-files.js';

type SourceMapInput = Parameters<typeof remapping>[0] extends infer T ? Exclude<T, unknown[]> : never;

/**
 * JavaScript for `code` (TypeScript or JavaScript) in the given module format, with an inline source map that
 * points at `originalPath` through `map` (the core's map from `code` back to the original source).
 */
export function stripTypes(
  code: string,
  map: unknown,
  fileName: string,
  originalPath: string,
  format: ModuleFormat,
): string {
  const out = ts.transpileModule(code, {
    fileName,
    reportDiagnostics: false,
    compilerOptions: {
      module: format === 'esm' ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceMap: true,
      inlineSources: false,
      jsx: ts.JsxEmit.ReactJSX,
    },
  });
  const emitted = JSON.parse(out.sourceMapText ?? '{}') as SourceMapInput;
  const chained = map ? remapping([emitted, map as SourceMapInput], () => null) : remapping(emitted, () => null);
  // Absolute URL: the same module text is also served from the cache directory, far from the .ts file.
  chained.sources = [pathToFileURL(originalPath).href];
  const body = out.outputText.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
  const inline = Buffer.from(chained.toString()).toString('base64');
  return `${body}//# sourceMappingURL=data:application/json;charset=utf-8;base64,${inline}\n`;
}
