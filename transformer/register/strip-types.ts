// Node 20 cannot strip types, so the register front end turns the core's rewritten TypeScript into
// JavaScript with TypeScript's own transpileModule, and chains the source maps back to the user's file.
import ts from 'typescript';
import remapping from '@jridgewell/remapping';
import type { ModuleFormat } from './source-files.js';

type SourceMapInput = Parameters<typeof remapping>[0] extends infer T ? Exclude<T, unknown[]> : never;

export interface StripOptions {
  /** path of `code` (decides TS or TSX parsing) */
  fileName: string;
  format: ModuleFormat;
  /** what the source map names as its source: the original file, as the loader of the output finds it */
  source: string;
  /** './a.ts' -> './a.js' in relative imports (for outputs that sit beside other compiled outputs) */
  rewriteTsImports?: boolean;
}

/**
 * JavaScript for `code` (TypeScript or JavaScript) in the given module format, with an inline source map that
 * points at the original file through `map` (the core's map from `code` back to the original source).
 */
export function stripTypes(code: string, map: unknown, { fileName, format, source, rewriteTsImports }: StripOptions): string {
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
      rewriteRelativeImportExtensions: rewriteTsImports ?? false,
    },
  });
  const emitted = JSON.parse(out.sourceMapText ?? '{}') as SourceMapInput;
  const chained = map ? remapping([emitted, map as SourceMapInput], () => null) : remapping(emitted, () => null);
  chained.sources = [source];
  const body = out.outputText.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
  const inline = Buffer.from(chained.toString()).toString('base64');
  return `${body}//# sourceMappingURL=data:application/json;charset=utf-8;base64,${inline}\n`;
}
