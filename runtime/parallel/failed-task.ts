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
  /** In JSON: the name, the arguments and the error's class name and message (an Error alone would give {}). */
  toJSON(): { failed: string; args: unknown[]; error: { name: string; message: string } } {
    return { failed: this.name, args: this.args, error: { name: this.error?.name, message: this.error?.message } };
  }
  toString(): string {
    return `FailedTask(${this.name}: ${this.error?.name}: ${this.error?.message})`;
  }
}
