// Join strategy "async": a call of an async marked function is a promise-like value in both builds; the fork
// replaces the call and the user's own `await` (or none) joins it.
import type ts from 'typescript';
import type { ForkTarget } from '../plan/types.js';
import { forkInPlace, type EmitContext } from './shared.js';

export function detectAsync(t: ForkTarget): boolean {
  return t.async;
}

export function emitAsync(e: EmitContext, call: ts.CallExpression, t: ForkTarget, joinCaptures: boolean[]): void {
  forkInPlace(e, call, t, joinCaptures);
}
