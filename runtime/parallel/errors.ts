// Errors of map/par calls.

/** The call's timeout (milliseconds, whole call) ran out; unfinished tasks were stopped. */
export class TimeoutError extends Error {
  constructor(message: string) { super(message); this.name = 'TimeoutError'; }
}

/** An async handle was shut down before its tasks finished. */
export class ShutdownError extends Error {
  constructor(message: string) { super(message); this.name = 'ShutdownError'; }
}
