// The console box: output of the parallel run and of the sequential run, and whether they match.
import type { RunRecord } from './run/pool';

export type ConsoleTab = 'parallel' | 'sequential';

export interface ConsoleState {
  parallel?: RunRecord;
  sequential?: RunRecord;
  consoleTab: ConsoleTab;
  /** The user stopped the run: the two outputs are not compared. */
  stopped: boolean;
  notice?: { level: 'error' | 'info'; text: string };
}

function line(className: string, text: string): HTMLElement {
  const node = document.createElement('div');
  node.className = `line ${className}`;
  node.textContent = text;
  return node;
}

function sameText(a: RunRecord, b: RunRecord): boolean {
  return JSON.stringify(a.console.map((l) => l.text)) === JSON.stringify(b.console.map((l) => l.text));
}

export function renderConsole(tabsHost: HTMLElement, host: HTMLElement, state: ConsoleState, select: (tab: ConsoleTab) => void): void {
  const tabs: { id: ConsoleTab; label: string }[] = [
    { id: 'parallel', label: 'Output' },
    { id: 'sequential', label: 'Sequential run' },
  ];
  const buttons = tabs.map(({ id, label }) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.role = 'tab';
    button.className = 'tab';
    button.textContent = label;
    button.setAttribute('aria-selected', String(state.consoleTab === id));
    button.addEventListener('click', () => select(id));
    return button;
  });
  const badge = document.createElement('span');
  badge.className = 'badge';
  const { parallel, sequential } = state;
  if (!state.stopped && parallel?.endedAt !== undefined && sequential?.endedAt !== undefined) {
    const same = sameText(parallel, sequential) && parallel.ok === sequential.ok;
    badge.textContent = same ? '✓ same output as sequential' : '✗ differs from sequential';
    badge.dataset.same = String(same);
  }
  tabsHost.replaceChildren(...buttons, badge);

  const record = state.consoleTab === 'parallel' ? parallel : sequential;
  const lines: HTMLElement[] = [];
  if (state.notice) lines.push(line(`notice ${state.notice.level}`, state.notice.text));
  if (!record) {
    if (!state.notice) lines.push(line('placeholder', state.consoleTab === 'parallel' ? 'Console output appears here when you Run.' : 'The sequential run starts after the parallel one.'));
  } else {
    for (const entry of record.console) {
      const lane = record.lanes.find((l) => l.id === entry.from);
      const from = entry.from === 'program' ? '' : `[${lane?.label ?? entry.from}] `;
      lines.push(line(`level-${entry.level}${from ? ' from-worker' : ''}`, `${from}${entry.text}`));
    }
    if (record.ok === false && record.error) lines.push(line('level-error uncaught', record.error));
    if (record.endedAt !== undefined && record.startedAt !== undefined) {
      const ms = Math.round(record.endedAt - record.startedAt);
      lines.push(line('footer', record.stopped ? `— stopped after ${ms} ms` : record.ok ? `— finished in ${ms} ms` : `— ended with an error after ${ms} ms`));
    }
  }
  const atBottom = host.scrollTop + host.clientHeight >= host.scrollHeight - 4;
  host.replaceChildren(...lines);
  if (atBottom) host.scrollTop = host.scrollHeight;
}
