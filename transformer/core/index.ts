// The one analysis and rewrite behind every tsfork front end (tspc, Babel, register, the playground).
// Imports nothing from node: so it also runs in a browser.
export { explainModule, transformModule } from './transform.js';
export { scanMarkers } from './scan.js';
export { mayMark } from './marker-names.js';
export { typescriptVersion } from './parse.js';
export { DiagnosticCode, messages } from './diagnostics.js';
export type {
  MarkerKind, MarkedFunction, TransformOptions, TransformResult, Diagnostic, WorkerModule, SourceMap,
} from './types.js';
