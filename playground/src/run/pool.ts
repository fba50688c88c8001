// The page's side of a run: the workers, the task queue, and the record the timeline is drawn from.
// Every fork (from the program or from a task) comes here as a message; a task's result goes straight back
// to whoever joins it through shared memory, so the page never sits between a join and its value.
import type { ConsoleLevel, ForkTask, PageMessage, RunMode, WorkerMessage } from '../runtime/messages';

export interface LaneRecord {
  id: string;
  label: string;
  kind: 'program' | 'cpu' | 'io';
}

export interface TaskRecord {
  id: string;
  name: string;
  kind: 'cpu' | 'io';
  lane?: string;
  queuedAt: number;
  start?: number;
  end?: number;
  ok?: boolean;
}

export interface WaitRecord {
  lane: string;
  start: number;
  end?: number;
}

export interface ConsoleLine {
  level: ConsoleLevel;
  text: string;
  from: string;
}

export interface RunRecord {
  mode: RunMode;
  lanes: LaneRecord[];
  tasks: TaskRecord[];
  waits: WaitRecord[];
  console: ConsoleLine[];
  startedAt?: number;
  endedAt?: number;
  ok?: boolean;
  error?: string;
  /** Set when the run was stopped (Stop, another program loaded, the time limit) rather than ending by itself. */
  stopped?: boolean;
}

interface Slot {
  lane: LaneRecord;
  worker: Worker;
  running: Set<string>;
  blocked: boolean;
  ready: Promise<void>;
}

/** Extra workers started when every worker is blocked in a join while tasks wait (nested forks). */
const MAX_EXTRA_WORKERS = 8;

function spawnTaskWorker(name: string): Worker {
  return new Worker(new URL('../runtime/task-worker.ts', import.meta.url), { type: 'module', name });
}

function spawnProgramWorker(name: string): Worker {
  return new Worker(new URL('../runtime/program-worker.ts', import.meta.url), { type: 'module', name });
}

export class Run {
  readonly record: RunRecord;
  #cpu: Slot[] = [];
  #io: Slot[] = [];
  #program: Slot;
  /** Forks waiting for a CPU worker; `nested` ones were forked by a task, whose worker may be blocked joining them. */
  #queue: { task: ForkTask; nested: boolean }[] = [];
  #tasks = new Map<string, TaskRecord>();
  #done: Promise<RunRecord>;
  #finish!: () => void;
  #programExited = false;
  #finished = false;
  #grace: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly mode: RunMode,
    private readonly cpuWorkers: number,
    private readonly onChange: () => void,
    ioWorkers = 0,
    /** Turns positions in the run's blob: modules into .ts positions (console text and errors). */
    private readonly mapStack: (text: string) => string = (text) => text,
  ) {
    this.record = { mode, lanes: [], tasks: [], waits: [], console: [] };
    this.#program = this.#spawn('program', 'program', 'program');
    for (let i = 0; i < cpuWorkers; i++) this.#cpu.push(this.#spawn(`cpu${i + 1}`, `worker ${i + 1}`, 'cpu'));
    // Started before the program when it has I/O-bound functions, so their start-up is not in the timing.
    for (let i = 0; i < ioWorkers; i++) this.#io.push(this.#spawn(`io${i + 1}`, `I/O worker ${i + 1}`, 'io'));
    this.#done = new Promise((resolve) => { this.#finish = () => { this.#finished = true; resolve(this.record); }; });
  }

  /** Resolves when the program has finished and no task it started is still running. */
  async start(entry: string): Promise<RunRecord> {
    await Promise.all([this.#program, ...this.#cpu, ...this.#io].map((slot) => slot.ready));
    this.#post(this.#program, { type: 'run', entry });
    return this.#done;
  }

  /** Ends the run at once; `failed` when a worker broke rather than someone stopping it. A finished run stays as it was. */
  stop(reason: string, kind: 'stopped' | 'failed' = 'stopped'): void {
    if (this.#finished) return;
    clearTimeout(this.#grace);
    this.record.endedAt = performance.timeOrigin + performance.now();
    this.record.ok = false;
    this.record.error = reason;
    this.record.stopped = kind === 'stopped';
    this.dispose();
    this.#finish();
  }

  dispose(): void {
    for (const slot of [this.#program, ...this.#cpu, ...this.#io]) slot.worker.terminate();
  }

  #spawn(id: string, label: string, kind: LaneRecord['kind']): Slot {
    const lane = { id, label, kind };
    this.record.lanes.push(lane);
    const worker = kind === 'program' ? spawnProgramWorker(`tsfork ${label}`) : spawnTaskWorker(`tsfork ${label}`);
    let ready!: () => void;
    const slot: Slot = { lane, worker, running: new Set(), blocked: false, ready: new Promise((r) => { ready = r; }) };
    worker.onmessage = (event: MessageEvent) => {
      const message = event.data as WorkerMessage;
      if (message.type === 'ready') ready();
      else this.#handle(slot, message);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.#log('error', `${label} failed to start: ${event.message || 'unknown error (see the browser console)'}`, id);
      this.stop(`${label} failed`, 'failed');
    };
    this.#post(slot, { type: 'init', workerId: id, mode: this.mode });
    return slot;
  }

  #post(slot: Slot, message: PageMessage): void {
    // A task's argument port moves on to the worker that runs it.
    const port = message.type === 'task' ? message.task.argsPort : undefined;
    slot.worker.postMessage(message, port ? [port] : []);
  }

  #log(level: ConsoleLine['level'], text: string, from: string): void {
    this.record.console.push({ level, text: this.mapStack(text), from });
    this.onChange();
  }

  #handle(slot: Slot, message: WorkerMessage): void {
    switch (message.type) {
      case 'console':
        this.#log(message.level, message.text, slot.lane.id);
        return;
      case 'fork': {
        const task = message.task;
        const record: TaskRecord = { id: task.id, name: task.name, kind: task.kind, queuedAt: performance.timeOrigin + performance.now() };
        this.#tasks.set(task.id, record);
        this.record.tasks.push(record);
        if (task.kind === 'io') this.#runIo(task);
        else this.#queue.push({ task, nested: slot.lane.kind !== 'program' });
        break;
      }
      case 'task-start': {
        const record = this.#tasks.get(message.id);
        if (record) { record.start = message.at; record.lane = slot.lane.id; }
        break;
      }
      case 'task-end': {
        const record = this.#tasks.get(message.id);
        if (record) { record.end = message.at; record.ok = message.ok; }
        slot.running.delete(message.id);
        break;
      }
      case 'blocked':
        slot.blocked = true;
        this.record.waits.push({ lane: slot.lane.id, start: message.at });
        break;
      case 'unblocked': {
        slot.blocked = false;
        const wait = [...this.record.waits].reverse().find((w) => w.lane === slot.lane.id && w.end === undefined);
        if (wait) wait.end = message.at;
        break;
      }
      case 'started':
        this.record.startedAt = message.at;
        break;
      case 'exit':
        this.#programExited = true;
        this.record.ok = message.ok;
        if (message.error) this.record.error = this.mapStack(message.error);
        this.record.endedAt = message.at;
        break;
    }
    this.#dispatch();
    this.#checkDone();
    this.onChange();
  }

  #runIo(task: ForkTask): void {
    // I/O-bound tasks mostly wait, so each I/O worker takes any number at once (async functions interleave);
    // several workers still help blocking ones. Twice the CPU workers, as xfork's I/O pool had.
    let io = this.#io.find((slot) => slot.running.size === 0);
    if (!io && this.#io.length < 2 * this.cpuWorkers) {
      io = this.#spawn(`io${this.#io.length + 1}`, `I/O worker ${this.#io.length + 1}`, 'io');
      this.#io.push(io);
    }
    io ??= this.#io.reduce((a, b) => (b.running.size < a.running.size ? b : a));
    io.running.add(task.id);
    this.#post(io, { type: 'task', task });
  }

  #dispatch(): void {
    // Keep as many workers computing as there are cores: a worker blocked in a join does not count.
    const computing = () => this.#cpu.filter((slot) => slot.running.size > 0 && !slot.blocked).length;
    while (this.#queue.length > 0 && computing() < this.cpuWorkers) {
      const idle = this.#cpu.find((slot) => slot.running.size === 0);
      if (!idle) break;
      const { task } = this.#take();
      idle.running.add(task.id);
      this.#post(idle, { type: 'task', task });
    }
    // Tasks wait, no worker is idle, and some are blocked in joins (nested forks): start another worker, as a
    // helping join would lend its own thread, or those joins could wait forever.
    const extras = this.#cpu.length - this.cpuWorkers;
    const idle = this.#cpu.some((slot) => slot.running.size === 0);
    if (this.#queue.length > 0 && !idle && computing() < this.cpuWorkers && extras < MAX_EXTRA_WORKERS) {
      const slot = this.#spawn(`cpu${this.#cpu.length + 1}`, `worker ${this.#cpu.length + 1}`, 'cpu');
      this.#cpu.push(slot);
      void slot.ready.then(() => { this.#dispatch(); });
    }
  }

  /** Newest nested fork first (it unblocks a waiting task soonest, like a helping join); else oldest fork. */
  #take(): { task: ForkTask; nested: boolean } {
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      if (this.#queue[i]!.nested) return this.#queue.splice(i, 1)[0]!;
    }
    return this.#queue.shift()!;
  }

  #checkDone(): void {
    if (!this.#programExited) return;
    const busy = [...this.#cpu, ...this.#io].some((slot) => slot.running.size > 0);
    if (this.record.ok === false) {
      // A program that failed is over, as a Node process would exit: its tasks get a moment to report
      // (their last messages may arrive after the program's), then the workers are stopped.
      if (busy) {
        this.#grace ??= setTimeout(() => this.#end(), 300);
        return;
      }
    } else if (busy || this.#queue.length > 0) {
      return;
    }
    this.#end();
  }

  #end(): void {
    clearTimeout(this.#grace);
    const lastTask = Math.max(0, ...this.record.tasks.map((t) => t.end ?? 0));
    this.record.endedAt = Math.max(this.record.endedAt ?? 0, lastTask);
    this.dispose();
    this.#finish();
  }
}
