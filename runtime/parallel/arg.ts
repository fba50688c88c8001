// arg(...args): one map item passed exactly as given: no unpacking, no merging of extras.

export class Arg {
  readonly args: readonly unknown[];
  constructor(args: unknown[]) {
    this.args = Object.freeze(args.slice());
  }
}

/** Marks one map item as exactly this argument list (like Python's parallel.arg). */
export function arg(...args: unknown[]): Arg {
  return new Arg(args);
}
