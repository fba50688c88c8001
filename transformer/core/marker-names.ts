// The marker names and how close a tag is to one: plain string code without TypeScript, so a front end can tell
// whether a file might mark anything (mayMark) before anything is parsed or TypeScript is loaded.
import type { MarkerKind } from './types.js';

export const markerKinds: readonly MarkerKind[] = ['cpuBoundFork', 'ioBoundFork', 'cpuBound', 'ioBound', 'unsafe'];

/** Optimal-string-alignment distance (a swap of two neighbours counts as one edit), case-insensitive. */
function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The marker a tag is, or is close to. Near means at most 2 edits for the long names and 1 for the short ones
 * (`unsafe`, `ioBound`), so ordinary JSDoc tags (`@param`, `@returns`, `@deprecated`, `@async`...) stay far.
 */
export function closestMarker(tag: string): { kind: MarkerKind; how: 'exact' | 'case' | 'near' } | undefined {
  if ((markerKinds as readonly string[]).includes(tag)) return { kind: tag as MarkerKind, how: 'exact' };
  const lower = tag.toLowerCase();
  const sameLetters = markerKinds.find((k) => k.toLowerCase() === lower);
  if (sameLetters) return { kind: sameLetters, how: 'case' };
  let best: { kind: MarkerKind; how: 'near' } | undefined;
  let bestDistance = Infinity;
  for (const k of markerKinds) {
    if (Math.abs(k.length - tag.length) > 2) continue;
    const dist = editDistance(tag, k);
    if (dist <= (k.length >= 8 ? 2 : 1) && dist < bestDistance) {
      best = { kind: k, how: 'near' };
      bestDistance = dist;
    }
  }
  return best;
}

/**
 * Whether the text has a tag that is, or looks like, a marker (`@cpuBoundFork`, `@cpuboundfork`, `@cpuBoundFrok`,
 * also in a string): when false, the transform finds nothing to mark and nothing to warn about in the file.
 */
export function mayMark(text: string): boolean {
  for (const m of text.matchAll(/@([A-Za-z_$][\w$]*)/g)) if (closestMarker(m[1]!)) return true;
  return false;
}
