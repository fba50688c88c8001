// Transform diagnostics as text: `file:line:col - error TS<code>: message`, the line tsc prints, so a bad
// capture reads the same from tspc, Babel and the register hook.
import { relative } from 'node:path';
import type { Diagnostic } from '../core/index.js';

export type { Diagnostic };

export function formatDiagnostic(fileName: string, d: Diagnostic): string {
  const where = relative(process.cwd(), fileName) || fileName;
  return `${where}:${d.line}:${d.column} - ${d.severity} TS${d.code}: ${d.message}`;
}

/** The offending line with a caret under the span, the way compilers show it. */
export function codeFrame(source: string, d: Diagnostic): string {
  const text = source.split(/\r?\n/)[d.line - 1] ?? '';
  const gutter = `${d.line} | `;
  const width = Math.max(1, Math.min(d.length, text.length - d.column + 1));
  return `${gutter}${text}\n${' '.repeat(gutter.length - 2)}| ${' '.repeat(d.column - 1)}${'^'.repeat(width)}`;
}

/**
 * Thrown when a module has transform errors, before any of the program runs. Its stack is the diagnostics and
 * one frame at the first of them: that is what Node prints for it, also after it crossed from the hooks thread.
 */
export class TransformError extends SyntaxError {
  constructor(fileName: string, source: string, errors: Diagnostic[]) {
    super(errors.map((d) => `${formatDiagnostic(fileName, d)}\n\n${codeFrame(source, d)}\n`).join('\n'));
    const first = errors[0]!;
    this.stack = `SyntaxError: ${this.message}\n    at ${fileName}:${first.line}:${first.column}`;
  }
}
