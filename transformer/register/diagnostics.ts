// Transform diagnostics as text: the same `file:line:col - error TS<code>: message` line tsc prints, so a bad
// capture reads the same from tspc, Babel and the register hook.
import { relative } from 'node:path';
import type { TransformResult } from './core.js';

export type Diagnostic = TransformResult['diagnostics'][number];

export function formatDiagnostic(fileName: string, d: Diagnostic): string {
  const where = relative(process.cwd(), fileName) || fileName;
  return `${where}:${d.line}:${d.column} - ${d.severity} TS${d.code}: ${d.message}`;
}

/** Thrown when a module has transform errors; its stack is the diagnostics alone, so Node prints just them. */
export class TransformError extends Error {
  constructor(readonly diagnostics: string[]) {
    super(diagnostics.join('\n'));
    this.name = 'TransformError';
    this.stack = this.message;
  }
}
