// The timeline: a lane per worker, a bar per task, and the total time against the sequential run.
import type { RunRecord, TaskRecord } from './run/pool';

export interface Totals {
  parallel?: number;
  sequential?: number;
  /** `stopped`: stopped while it ran; `not run`: the run was stopped before the sequential run began. */
  sequentialState?: 'waiting' | 'running' | 'done' | 'failed' | 'stopped' | 'not run';
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A lane's height per row of bars when there is room, and the least it shrinks to when there is not. */
const ROW_PX = 18;
const MIN_ROW_PX = 8;

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** Greedy interval packing: overlapping bars in one lane (I/O tasks run many at once) go to separate rows. */
function packRows(tasks: TaskRecord[], clock: number): Map<TaskRecord, number> {
  const rowEnds: number[] = [];
  const rows = new Map<TaskRecord, number>();
  for (const task of [...tasks].sort((a, b) => a.start! - b.start!)) {
    let row = rowEnds.findIndex((end) => end <= task.start!);
    if (row === -1) { row = rowEnds.length; rowEnds.push(0); }
    rowEnds[row] = task.end ?? clock;
    rows.set(task, row);
  }
  return rows;
}

export interface Tick { label: string; left: number; align: 'start' | 'center' | 'end' }

/**
 * The axis under the lanes: at most 7 round-numbered ticks, `left` in percent of the track. The first label starts
 * at its tick and a label in the last tenth ends at its tick, so no label reaches past either edge of the track.
 */
export function axisTicks(span: number): Tick[] {
  const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 60000];
  const step = steps.find((s) => span / s <= 6) ?? 60000;
  const out: Tick[] = [];
  for (let t = 0; t <= span; t += step) {
    const left = (t / span) * 100;
    out.push({ label: formatMs(t), left, align: t === 0 ? 'start' : left > 90 ? 'end' : 'center' });
  }
  return out;
}

export function renderTimeline(host: HTMLElement, run: RunRecord | undefined, totals: Totals): void {
  host.replaceChildren();
  if (!run || run.startedAt === undefined) {
    host.append(el('p', 'empty', run ? 'Starting workers…' : 'Press Run to see a lane per worker and a bar per task.'));
    return;
  }
  const clock = performance.timeOrigin + performance.now();
  const origin = run.startedAt;
  const end = run.endedAt ?? clock;
  const span = Math.max(1, end - origin);
  const pct = (t: number) => `${Math.max(0, Math.min(100, ((t - origin) / span) * 100)).toFixed(3)}%`;
  const width = (a: number, b: number) => `max(2px, ${Math.max(0, ((Math.min(b, end) - Math.max(a, origin)) / span) * 100).toFixed(3)}%)`;

  const lanes = el('div', 'lanes');
  const labelled: HTMLElement[] = [];
  for (const lane of run.lanes) {
    const row = el('div', `lane lane-${lane.kind}`);
    row.dataset.lane = lane.id;
    row.append(el('div', 'lane-label', lane.label));
    const track = el('div', 'lane-track');
    let rowCount = 1;
    if (lane.kind === 'program') {
      const bar = el('div', 'bar bar-program');
      bar.style.left = '0%';
      bar.style.width = width(origin, end);
      bar.title = `your program: ${formatMs(span)}`;
      track.append(bar);
      for (const wait of run.waits.filter((w) => w.lane === lane.id)) {
        const block = el('div', 'wait');
        block.style.left = pct(wait.start);
        block.style.width = width(wait.start, wait.end ?? clock);
        block.title = `blocked in a join: ${formatMs((wait.end ?? clock) - wait.start)}`;
        track.append(block);
      }
    } else {
      const tasks = run.tasks.filter((t) => t.lane === lane.id && t.start !== undefined);
      const rows = packRows(tasks, clock);
      rowCount = Math.max(1, ...[...rows.values()].map((r) => r + 1));
      for (const task of tasks) {
        const cut = task.end === undefined && run.endedAt !== undefined;
        const stateClass = cut ? 'stopped' : task.end === undefined ? 'running' : task.ok ? 'ok' : 'failed';
        const bar = el('div', `bar timeline-bar bar-${task.kind} ${stateClass}`);
        bar.style.left = pct(task.start!);
        bar.style.width = width(task.start!, task.end ?? clock);
        // Rows split the track's height, whatever height the lane was given.
        bar.style.top = `calc(${rows.get(task)!} * (100% - 2px) / ${rowCount} + 2px)`;
        bar.style.height = `calc((100% - 2px) / ${rowCount} - 2px)`;
        const took = (task.end ?? clock) - task.start!;
        bar.title = `${task.name}() on ${lane.label}: ${formatMs(took)}${task.ok === false ? ' (threw)' : cut ? ' (stopped)' : ''}`;
        if (took / span > 0.08) {
          bar.append(el('span', 'bar-name', task.name));
          labelled.push(bar);
        }
        track.append(bar);
      }
    }
    // Lanes share the box's height: each asks for ROW_PX a row and shrinks (flex-shrink, see style.css) down to
    // MIN_ROW_PX a row until lanes, axis and totals fit; only past that (many workers, a small window) it scrolls.
    row.style.flexBasis = `${rowCount * ROW_PX + 2}px`;
    row.style.minHeight = `${rowCount * MIN_ROW_PX + 2}px`;
    row.append(track);
    lanes.append(row);
  }

  const axis = el('div', 'lane axis');
  axis.append(el('div', 'lane-label', ''));
  const axisTrack = el('div', 'lane-track axis-track');
  for (const t of axisTicks(span)) {
    const tick = el('span', `tick tick-${t.align}`, t.label);
    tick.style.left = `${t.left}%`;
    axisTrack.append(tick);
  }
  axis.append(axisTrack);
  lanes.append(axis);
  host.append(lanes, renderTotals(totals));
  // A name fits only on a bar tall enough to read it.
  for (const bar of labelled) if (bar.clientHeight < 13) bar.replaceChildren();
}

function renderTotals(totals: Totals): HTMLElement {
  const box = el('div', 'totals');
  const longest = Math.max(totals.parallel ?? 0, totals.sequential ?? 0, 1);
  const row = (label: string, ms: number | undefined, className: string, pending: string) => {
    const line = el('div', `total ${className}`);
    line.append(el('span', 'total-label', label));
    const track = el('div', 'total-track');
    if (ms !== undefined) {
      const bar = el('div', 'total-bar');
      bar.style.width = `${(ms / longest) * 100}%`;
      track.append(bar);
    }
    line.append(track, el('span', 'total-ms', ms === undefined ? pending : formatMs(ms)));
    return line;
  };
  const state = totals.sequentialState ?? 'waiting';
  const pending = state === 'running' ? 'running…' : state === 'waiting' ? '–' : state;
  box.append(row('parallel', totals.parallel, 'total-parallel', '…'), row('sequential', totals.sequential, 'total-sequential', pending));
  return box;
}
