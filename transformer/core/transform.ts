// Placeholder while the rewrite lands: returns the module unchanged with its markers.
import MagicString from 'magic-string';
import { scanMarkers } from './scan.js';
import type { TransformOptions, TransformResult } from './types.js';

export function transformModule(source: string, options: TransformOptions): TransformResult {
  const s = new MagicString(source);
  return {
    code: s.toString(),
    map: s.generateMap({ source: options.fileName, includeContent: true, hires: true }),
    workers: [],
    diagnostics: [],
    marked: scanMarkers(source, options.fileName),
  };
}
