// Runs the transformer core on the editor's contents: the same transformModule the CLI and plugins call.
import { transformModule, type Diagnostic } from '@tsfork/core';

export type { Diagnostic };

export const PROGRAM_FILE = '/playground/main.ts';

export interface Compiled {
  source: string;
  code: string;
  /** Source maps from the rewritten module and each worker module back to `source`. */
  map?: object;
  workers: { fileName: string; code: string; map?: object }[];
  diagnostics: Diagnostic[];
  marked: { name: string; kind: string; exported: boolean }[];
  /** The transformer itself threw (a bug or unsupported input): shown in the page. */
  crash?: string;
}

/** What the rewritten program holds in place of a worker module's URL until the run makes blob URLs. */
export function workerUrlPlaceholder(fileName: string): string {
  return `tsfork-worker-url:${fileName}`;
}

export function compile(source: string): Compiled {
  try {
    // Worker modules become blob: URLs only when Run links them (run/link.ts); until then hoist() gets a
    // placeholder that linking replaces.
    const result = transformModule(source, { fileName: PROGRAM_FILE, moduleFormat: 'esm', workerUrl: workerUrlPlaceholder, syntaxErrors: true });
    return {
      source,
      code: result.code,
      map: result.map,
      workers: result.workers.map((w) => ({ fileName: w.fileName, code: w.code, map: w.map })),
      diagnostics: result.diagnostics,
      marked: result.marked,
    };
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { source, code: '', workers: [], diagnostics: [], marked: [], crash: text };
  }
}
