// Rewrites the module specifiers of emitted JavaScript (import/export from, import(), require()), keeping the
// line structure so the inline source map at the end stays valid.
import { Parser } from 'acorn';
import { simple } from 'acorn-walk';
import MagicString from 'magic-string';
import type { ModuleFormat } from './source-files.js';

/** `./lib.tsfork-worker.js` -> `./lib.js`: the module whose worker module a specifier names, or undefined. */
export function workerModuleOf(specifier: string): string | undefined {
  const m = /^(\.{1,2}\/.*)\.tsfork-worker(\.[cm]?[jt]sx?)?$/.exec(specifier);
  return m ? m[1]! + (m[2] ?? '') : undefined;
}

/** `code` with each string specifier for which `rewrite` returns a value replaced by that value. */
export function rewriteSpecifiers(code: string, format: ModuleFormat, rewrite: (specifier: string) => string | undefined): string {
  const ast = Parser.parse(code, {
    ecmaVersion: 'latest',
    sourceType: format === 'esm' ? 'module' : 'script',
    allowReturnOutsideFunction: true,
    allowHashBang: true,
  });
  const text = new MagicString(code);
  const visit = (node: { type: string; value?: unknown; start: number; end: number } | null | undefined) => {
    if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
    const replacement = rewrite(node.value);
    if (replacement !== undefined) text.overwrite(node.start, node.end, JSON.stringify(replacement));
  };
  simple(ast, {
    ImportDeclaration: (n) => visit(n.source),
    ExportNamedDeclaration: (n) => visit(n.source),
    ExportAllDeclaration: (n) => visit(n.source),
    ImportExpression: (n) => visit(n.source as never),
    CallExpression: (n) => {
      if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments.length === 1) {
        visit(n.arguments[0] as never);
      }
    },
  });
  return text.toString();
}
