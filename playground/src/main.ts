// The page: editor on the left, the transform's output on the right, Run below.
import './style.css';
import type { EditorView } from '@codemirror/view';
import { compile, PROGRAM_FILE, workerUrlPlaceholder, type Compiled } from './compile';
import { createEditor, createViewer, markDiagnostics, replaceDoc } from './editor';
import { examples } from './examples';
import { decodeProgram, encodeProgram } from './hash';
import type { SourceMapInput } from '@jridgewell/remapping';
import { link, revoke, type Linked } from './run/link';
import { Run, type RunRecord } from './run/pool';
import { formatMs, renderTimeline, type Totals } from './timeline';
import { renderConsole, type ConsoleTab } from './console-view';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const ui = {
  example: $<HTMLSelectElement>('example'),
  run: $<HTMLButtonElement>('run'),
  stop: $<HTMLButtonElement>('stop'),
  share: $<HTMLButtonElement>('share'),
  status: $('status'),
  helpButton: $<HTMLButtonElement>('help-button'),
  help: $('help'),
  outputTabs: $('output-tabs'),
  output: $('output'),
  diagnostics: $('diagnostics'),
  consoleTabs: $('console-tabs'),
  console: $('console'),
  timing: $('timing'),
  timeline: $('timeline'),
};

type OutputTab = { kind: 'rewritten' } | { kind: 'worker'; fileName: string } | { kind: 'diagnostics' };

const state = {
  compiled: undefined as Compiled | undefined,
  tab: { kind: 'rewritten' } as OutputTab,
  run: undefined as Run | undefined,
  parallel: undefined as RunRecord | undefined,
  sequential: undefined as RunRecord | undefined,
  totals: {} as Totals,
  consoleTab: 'parallel' as ConsoleTab,
  notice: undefined as { level: 'error' | 'info'; text: string } | undefined,
  stopped: false,
};

let editor: EditorView;
const viewer = createViewer(ui.output);

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

// ---- transform, debounced as you type -------------------------------------------------------------
let compileTimer: ReturnType<typeof setTimeout> | undefined;
let hashTimer: ReturnType<typeof setTimeout> | undefined;

function onEdit(code: string): void {
  showExampleOf(code);
  clearTimeout(compileTimer);
  compileTimer = setTimeout(() => refresh(code), 250);
  clearTimeout(hashTimer);
  hashTimer = setTimeout(() => { void saveToHash(code); }, 400);
}

function refresh(code: string): Compiled {
  clearTimeout(compileTimer);
  const started = performance.now();
  const compiled = compile(code);
  const took = performance.now() - started;
  state.compiled = compiled;
  if (state.tab.kind === 'worker') {
    const name = state.tab.fileName;
    if (!compiled.workers.some((w) => w.fileName === name)) state.tab = { kind: 'rewritten' };
  }
  markDiagnostics(editor, compiled.diagnostics);
  renderOutput();
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = compiled.diagnostics.length - errors;
  const parts = [
    compiled.crash ? 'transform failed' : `transformed in ${formatMs(took)}`,
    `${compiled.marked.length} marked`,
    `${compiled.workers.length} worker module${compiled.workers.length === 1 ? '' : 's'}`,
  ];
  if (errors) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  if (!state.run) setStatus(parts.join(' · '), errors || compiled.crash ? 'error' : 'idle');
  return compiled;
}

function renderOutput(): void {
  const compiled = state.compiled;
  if (!compiled) return;
  const tabs: { tab: OutputTab; label: string; title: string; className?: string }[] = [
    { tab: { kind: 'rewritten' }, label: 'Rewritten main.ts', title: 'Your module after the transform' },
    ...compiled.workers.map((w) => ({
      tab: { kind: 'worker' as const, fileName: w.fileName },
      label: baseName(w.fileName),
      title: `Worker module ${w.fileName}: what a worker loads to run the marked function`,
      className: 'worker-tab',
    })),
  ];
  const problems = compiled.diagnostics.length + (compiled.crash ? 1 : 0);
  const worst = compiled.crash || compiled.diagnostics.some((d) => d.severity === 'error') ? 'has-errors' : problems ? 'has-warnings' : '';
  tabs.push({ tab: { kind: 'diagnostics' }, label: `Diagnostics (${problems})`, title: 'Errors and warnings from the transform', className: `diagnostics-tab ${worst}` });
  ui.outputTabs.replaceChildren(...tabs.map(({ tab, label, title, className }) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.role = 'tab';
    button.className = `tab ${className ?? ''}`;
    button.textContent = label;
    button.title = title;
    const active = tab.kind === state.tab.kind && (tab.kind !== 'worker' || (state.tab.kind === 'worker' && state.tab.fileName === tab.fileName));
    button.setAttribute('aria-selected', String(active));
    if (tab.kind === 'worker') button.dataset.worker = tab.fileName;
    button.addEventListener('click', () => { state.tab = tab; renderOutput(); });
    return button;
  }));

  const showDiagnostics = state.tab.kind === 'diagnostics';
  ui.diagnostics.hidden = !showDiagnostics;
  ui.output.hidden = showDiagnostics;
  if (showDiagnostics) {
    renderDiagnostics(compiled);
    return;
  }
  let text: string;
  if (state.tab.kind === 'worker') {
    const name = state.tab.fileName;
    text = forDisplay(compiled.workers.find((w) => w.fileName === name)?.code ?? '');
  } else {
    text = compiled.crash ? `// The transform failed:\n// ${compiled.crash.split('\n').join('\n// ')}` : compiled.code;
  }
  if (viewer.state.doc.toString() !== text) replaceDoc(viewer, text);
}

/** Worker modules keep the module's line layout (blank where a statement was left out): drop the padding. */
function forDisplay(code: string): string {
  return code.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function renderDiagnostics(compiled: Compiled): void {
  const items: HTMLElement[] = [];
  if (compiled.crash) {
    const item = document.createElement('div');
    item.className = 'diagnostic error';
    item.textContent = `The transformer threw: ${compiled.crash}`;
    items.push(item);
  }
  for (const d of compiled.diagnostics) {
    const item = document.createElement('button');
    item.type = 'button';
    item.className = `diagnostic ${d.severity}`;
    const where = document.createElement('span');
    where.className = 'where';
    where.textContent = `main.ts:${d.line}:${d.column}`;
    const text = document.createElement('span');
    text.textContent = ` ${d.severity} TS${d.code}: ${d.message}`;
    item.append(where, text);
    item.title = 'Show in the editor';
    item.addEventListener('click', () => {
      const at = Math.min(d.start, editor.state.doc.length);
      editor.dispatch({ selection: { anchor: at, head: Math.min(editor.state.doc.length, at + d.length) }, scrollIntoView: true });
      editor.focus();
    });
    items.push(item);
  }
  if (items.length === 0) {
    const none = document.createElement('p');
    none.className = 'empty';
    none.textContent = 'No diagnostics: every marked function can fork.';
    items.push(none);
  }
  ui.diagnostics.replaceChildren(...items);
}

// ---- status, console, timeline ----------------------------------------------------------------------
function setStatus(text: string, level: 'idle' | 'busy' | 'error' | 'ok'): void {
  ui.status.textContent = text;
  ui.status.dataset.level = level;
}

// While a run is on, redraw a few times a second: on a 2-core machine a redraw every frame would take
// time from the workers being measured.
let redraw: ReturnType<typeof setTimeout> | undefined;
function renderRun(): void {
  if (redraw !== undefined) return;
  redraw = setTimeout(renderRunNow, state.run ? 200 : 0);
}

function renderRunNow(): void {
  clearTimeout(redraw);
  redraw = undefined;
  renderConsole(ui.consoleTabs, ui.console, state, (tab) => { state.consoleTab = tab; renderRun(); });
  renderTimeline(ui.timeline, state.parallel, state.totals);
  const { parallel, sequential } = state.totals;
  ui.timing.textContent = parallel !== undefined && sequential !== undefined
    ? `speed-up over sequential: ${(sequential / parallel).toFixed(2)}×`
    : '';
  if (state.run) renderRun();
}

// ---- run ---------------------------------------------------------------------------------------------
/** One CPU worker per core (at least 2); `?workers=N` in the page URL overrides it (1 to 16). */
function workerCount(): number {
  const asked = Number(new URLSearchParams(location.search).get('workers'));
  if (Number.isInteger(asked) && asked >= 1 && asked <= 16) return asked;
  return Math.max(2, navigator.hardwareConcurrency || 2);
}

/** Seconds a run may take before it is stopped: 120; `?limit=N` in the page URL sets it (1 to 3600). */
function timeLimit(): number {
  const asked = Number(new URLSearchParams(location.search).get('limit'));
  return Number.isInteger(asked) && asked >= 1 && asked <= 3600 ? asked : 120;
}

async function runOnce(mode: 'parallel' | 'sequential', linked: Linked): Promise<RunRecord> {
  const ioWorkers = mode === 'parallel' && state.compiled?.marked.some((m) => m.kind === 'ioBoundFork' || m.kind === 'ioBound') ? 2 : 0;
  const run = new Run(mode, mode === 'parallel' ? workerCount() : 0, renderRun, ioWorkers, linked.mapStack);
  state.run = run;
  if (mode === 'parallel') state.parallel = run.record;
  else state.sequential = run.record;
  const limit = timeLimit();
  const timeout = setTimeout(() => run.stop(`stopped after ${limit} s (the time limit)`), limit * 1000);
  try {
    return await run.start(linked.entry);
  } finally {
    clearTimeout(timeout);
    revoke(linked);
  }
}

function total(record: RunRecord): number | undefined {
  return record.startedAt !== undefined && record.endedAt !== undefined ? record.endedAt - record.startedAt : undefined;
}

async function run(): Promise<void> {
  if (state.run) return;
  const compiled = refresh(editor.state.doc.toString());
  state.notice = undefined;
  state.parallel = state.sequential = undefined;
  state.totals = {};
  state.consoleTab = 'parallel';
  state.stopped = false;
  if (!crossOriginIsolated) {
    state.notice = { level: 'error', text: 'Run needs SharedArrayBuffer, so the page must be cross-origin isolated (COOP/COEP headers). Start it with `npm run playground`.' };
    renderRun();
    return;
  }
  if (compiled.crash || compiled.diagnostics.some((d) => d.severity === 'error')) {
    state.notice = { level: 'error', text: 'The transform reported errors (see Diagnostics); fix them before running.' };
    state.tab = { kind: 'diagnostics' };
    renderOutput();
    renderRun();
    return;
  }
  ui.run.disabled = true;
  ui.stop.disabled = false;
  renderRunNow(); // the previous run's output and badge go at once
  try {
    setStatus('running in parallel…', 'busy');
    const parallel = await runOnce('parallel', link({
      main: { fileName: PROGRAM_FILE, code: compiled.code, map: compiled.map as SourceMapInput },
      workers: compiled.workers.map((w) => ({ ...w, map: w.map as SourceMapInput })),
      workerUrlPlaceholder,
    }));
    state.totals.parallel = total(parallel);
    if (state.stopped) return;
    if (parallel.stopped) return timedOut(parallel, 'not run');
    // The serial elision: the same source without the transform (the markers are comments).
    setStatus('running sequentially…', 'busy');
    state.totals.sequentialState = 'running';
    const sequential = await runOnce('sequential', link({ main: { fileName: PROGRAM_FILE, code: compiled.source }, workers: [] }));
    // Stopped while it ran: stop() has said so; an aborted run has no verdict and no time to compare.
    if (state.stopped) return;
    if (sequential.stopped) return timedOut(sequential, 'stopped');
    state.totals.sequential = total(sequential);
    state.totals.sequentialState = sequential.ok ? 'done' : 'failed';
    const same = sameOutput(parallel, sequential);
    setStatus(same ? 'done: same output as the sequential program' : 'done: output differs from the sequential program', same ? 'ok' : 'error');
  } catch (error) {
    state.notice = { level: 'error', text: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    setStatus('run failed', 'error');
  } finally {
    state.run = undefined;
    ui.run.disabled = false;
    ui.stop.disabled = true;
    renderRunNow();
  }
}

/** The time limit stopped a run: like Stop, no verdict and no speed-up, and the status says why. */
function timedOut(record: RunRecord, sequentialState: 'stopped' | 'not run'): void {
  state.stopped = true;
  state.totals.sequentialState = sequentialState;
  setStatus(record.error ?? 'stopped', 'error');
}

export function sameOutput(a: RunRecord, b: RunRecord): boolean {
  const text = (r: RunRecord) => JSON.stringify([r.console.map((l) => l.text), r.ok, r.error?.split('\n')[0]]);
  return text(a) === text(b);
}

function stop(reason = 'stopped by you'): void {
  if (!state.run) return;
  state.stopped = true;
  state.run.stop(reason);
  const totals = state.totals;
  if (totals.sequentialState === 'running') totals.sequentialState = 'stopped';
  else if (totals.sequentialState !== 'done') totals.sequentialState = 'not run';
  setStatus('stopped', 'error');
  renderRun();
}

// ---- hash and examples ------------------------------------------------------------------------------
/** The hash this page last wrote: a hashchange to it is the page's own, not a link to load. */
let writtenHash = '';

async function saveToHash(code: string): Promise<void> {
  writtenHash = await encodeProgram(code);
  history.replaceState(null, '', writtenHash);
}

/** Puts another program in the editor; a program still running is stopped first, as Stop does. */
function load(code: string): void {
  if (state.run) stop('stopped: another program was loaded');
  replaceDoc(editor, code);
}

/** A program link opened in this tab changes only the hash: load the program it holds. */
async function loadFromHash(): Promise<void> {
  const hash = location.hash;
  if (hash === writtenHash) return;
  try {
    const code = await decodeProgram(hash);
    if (code === undefined || code === editor.state.doc.toString()) return;
    writtenHash = hash;
    load(code);
  } catch (error) {
    state.notice = { level: 'error', text: (error as Error).message };
    renderRun();
  }
}

/** The menu names the example being shown, or "Your program" once it is edited (or came from a link). */
function showExampleOf(code: string): void {
  const example = examples.find((e) => e.code === code);
  let custom = ui.example.querySelector<HTMLOptionElement>('option[value="custom"]');
  if (!example && !custom) {
    custom = new Option('Your program', 'custom');
    ui.example.add(custom, 0);
  }
  ui.example.value = example?.id ?? 'custom';
}

function loadExample(id: string): void {
  const example = examples.find((e) => e.id === id) ?? examples[0]!;
  ui.example.value = example.id;
  load(example.code);
}

async function start(): Promise<void> {
  for (const example of examples) ui.example.add(new Option(example.title, example.id));
  let initial = examples[0]!.code;
  try {
    const fromHash = await decodeProgram(location.hash);
    if (fromHash !== undefined) initial = fromHash;
  } catch (error) {
    state.notice = { level: 'error', text: (error as Error).message };
  }
  editor = createEditor($('editor'), initial, onEdit, () => { void run(); });
  showExampleOf(initial);
  ui.example.addEventListener('change', () => { if (ui.example.value !== 'custom') loadExample(ui.example.value); });
  ui.run.addEventListener('click', () => { void run(); });
  ui.stop.addEventListener('click', () => stop());
  window.addEventListener('hashchange', () => { void loadFromHash(); });
  ui.share.addEventListener('click', async () => {
    await saveToHash(editor.state.doc.toString());
    try {
      await navigator.clipboard.writeText(location.href);
      setStatus('link copied', 'ok');
    } catch {
      setStatus('link in the address bar', 'ok');
    }
  });
  ui.helpButton.addEventListener('click', () => {
    ui.help.hidden = !ui.help.hidden;
    ui.helpButton.setAttribute('aria-expanded', String(!ui.help.hidden));
  });
  refresh(initial);
  renderRun();
}

// Errors anywhere in the page are shown in it, not only in the browser console.
window.addEventListener('error', (event) => {
  state.notice = { level: 'error', text: `Page error: ${event.message}` };
  renderRun();
});
window.addEventListener('unhandledrejection', (event) => {
  const reason = event.reason as unknown;
  state.notice = { level: 'error', text: `Page error: ${reason instanceof Error ? reason.message : String(reason)}` };
  renderRun();
});

void start();
