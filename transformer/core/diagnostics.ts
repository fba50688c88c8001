// Every diagnostic the transform reports, in one place: stable codes, one text, the same from every front end.
import type { TagSlip } from './markers.js';

export const DiagnosticCode = {
  ReassignedCapture: 97001,
  UnhoistableCapture: 97002,
  ThisInForked: 97003,
  ArgumentsInForked: 97004,
  UncloneableCapture: 97005,
  WritesModuleState: 97006,
  ReadsModuleState: 97007,
  MarkerPlacement: 97008,
  GeneratorMarked: 97009,
  CapturingNonForkMarker: 97010,
  NestedInWorkerCode: 97011,
  UnknownMarker: 97012,
  MutatorOnModuleState: 97013,
  ReadsMutatedModuleState: 97014,
  ChangesArgument: 97015,
  PrintsInWorker: 97016,
  NearMissMarker: 97017,
  MarkerInComment: 97018,
} as const;

export type DiagnosticCodeValue = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

/** The message texts. Each names the function and the variable concerned, and says how to fix it. */
export const messages = {
  reassignedCapture: (fn: string, v: string) =>
    `'${fn}' runs in a worker and captures '${v}', which is reassigned: a worker gets a copy of each captured variable at every call, so it must never change. Declare '${v}' const, or copy it into a const before '${fn}'.`,
  unhoistableCapture: (fn: string, v: string) =>
    `'${fn}' runs in a worker and captures '${v}', a function or class declared inside a function, which cannot be sent to a worker. Move '${v}' to module level, or mark it @cpuBoundFork without captures of its own.`,
  thisInForked: (fn: string) =>
    `'${fn}' runs in a worker, where 'this' has no value: pass what it needs as arguments.`,
  argumentsInForked: (fn: string) =>
    `'${fn}' runs in a worker and uses 'arguments', which cannot be carried there: use a rest parameter (...args).`,
  uncloneableCapture: (fn: string, v: string, why: string) =>
    `'${fn}' runs in a worker and captures '${v}', whose type cannot be structured-cloned to a worker: ${why}.`,
  writesModuleState: (fn: string, v: string) =>
    `'${fn}' runs in a worker and writes module-level variable '${v}': a worker has its own copy of the module, so the write would be lost. Return the value instead.`,
  changesModuleState: (fn: string, v: string) =>
    `'${fn}' runs in a worker and changes module-level '${v}' (a property or element of it): a worker has its own copy of the module, so the change would be lost. Return the value instead.`,
  mutatorOnModuleState: (fn: string, v: string, method: string) =>
    `'${fn}' runs in a worker and calls ${method}() on module-level '${v}': if that changes '${v}', the change stays in the worker's own copy and this module never sees it. Return the value instead.`,
  readsMutatedModuleState: (fn: string, v: string, line: number) =>
    `'${fn}' runs in a worker and reads module-level '${v}', which this module changes at line ${line}: a worker module has only the declaration of '${v}', so workers see it without that change. Pass '${v}' as an argument.`,
  changesArgument: (fn: string, p: string) =>
    `'${fn}' runs in a worker and changes its parameter '${p}': a worker gets a copy of each argument, so the caller's value stays as it was. Return what changed instead.`,
  printsInWorker: (fn: string, what: string) =>
    `'${fn}' runs in a worker and prints (${what}): its lines appear when the worker runs them, so they can land in a different order among your program's own lines than in the sequential program. Return the text and print it where the result is used.`,
  readsModuleState: (fn: string, v: string) =>
    `'${fn}' runs in a worker and reads module-level variable '${v}', which this module reassigns: workers see the value it had when the module loaded.`,
  markerPlacement: (tag: string, what: string) =>
    `@${tag} marks a function declaration, a const bound to an arrow function or function expression, or (as a decorator) a static method; here it is on ${what}.`,
  generatorMarked: (fn: string, tag: string) =>
    `'${fn}' is a generator, and a generator cannot run in a worker: remove @${tag}.`,
  capturingNonForkMarker: (fn: string, tag: string, v: string) =>
    `'${fn}' is marked @${tag} for explicit fork() calls but captures '${v}': only @cpuBoundFork and @ioBoundFork functions get their captures passed as hidden arguments. Use @${tag}Fork, or move '${fn}' to module level.`,
  nestedInWorkerCode: (fn: string, outer: string) =>
    `'${fn}' is marked inside '${outer}', which itself runs in workers: nested markers are supported inside ordinary functions only. Move '${fn}' to module level.`,
  unknownMarker: (tag: string, close: string) =>
    `Unknown tsfork marker @${tag}: did you mean @${close}?`,
  nearMissMarker: (tag: string, close: string) =>
    `@${tag} is not a tsfork marker, so nothing is marked here and the code stays sequential: did you mean @${close}?`,
  markerInComment: (tag: string, close: string, comment: '//' | '/*') =>
    `@${tag} in a ${comment === '//' ? '//' : '/* */'} comment marks nothing: tsfork reads markers from JSDoc comments only. Write /** @${close} */.`,
};

/** The diagnostic for a tag that looks like a marker but marks nothing: a case slip fails, the others warn. */
export function slipDiagnostic(slip: TagSlip): { severity: 'error' | 'warning'; code: number; message: string } {
  if (slip.how === 'case') return { severity: 'error', code: DiagnosticCode.UnknownMarker, message: messages.unknownMarker(slip.tag, slip.close) };
  if (slip.how === 'near') return { severity: 'warning', code: DiagnosticCode.NearMissMarker, message: messages.nearMissMarker(slip.tag, slip.close) };
  return { severity: 'warning', code: DiagnosticCode.MarkerInComment, message: messages.markerInComment(slip.tag, slip.close, slip.comment ?? '//') };
}
