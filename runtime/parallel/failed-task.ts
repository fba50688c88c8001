// What silent mode puts in the slot of a task that threw.

export class FailedTask {
  /** Name of the function that failed. */
  readonly name: string;
  /** The arguments it was called with. */
  readonly args: unknown[];
  /** The error it threw, revived with its original class, message and stack. */
  readonly error: Error;
  constructor(name: string, args: unknown[], error: Error) {
    this.name = name;
    this.args = args;
    this.error = error;
  }
  toString(): string {
    return `FailedTask(${this.name}: ${this.error?.name}: ${this.error?.message})`;
  }
}
