// Atomics.waitAsync (ES2024; in V8 since Node 16) typed for our es2023 lib.
type WaitAsync = (a: Int32Array, index: number, value: number, timeout?: number) =>
  { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };

export const waitAsync: WaitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
