// Text edits over the original source. Edits nest: a replacement may render the edited text of a range inside
// it (a fork's arguments moved into a prefix), and a replacement consumes the edits inside its range. The outermost
// edits are applied with magic-string, so untouched text keeps its place and the source map stays exact.
import type MagicString from 'magic-string';

export type Render = (start: number, end: number) => string;
export type EditText = string | ((render: Render) => string);
/** The source range an edit belongs to: a replacement of a range containing it consumes the edit. */
export interface Owner { pos: number; end: number }

interface Replace { type: 'replace'; start: number; end: number; text: EditText; seq: number; byPosition?: boolean }
interface Insert { type: 'insert'; start: number; end: number; pos: number; text: EditText; bias: 'left' | 'right'; seq: number }
type Edit = Replace | Insert;

function contains(r: Replace, x: Edit): boolean {
  if (r === x) return false;
  // A blanked range also swallows inserts that land inside it, whatever they belong to (a loop around a kept part).
  if (r.byPosition && x.type === 'insert' && x.start >= 0 && ((x.pos > r.start && x.pos < r.end)
    || (x.pos === r.start && x.bias === 'right') || (x.pos === r.end && x.bias === 'left'))) return true;
  if (r.start > x.start || x.end > r.end) return false;
  if (r.start === x.start && r.end === x.end) return r.seq > x.seq; // same range: the later replacement wins
  return true;
}

export class Edits {
  private readonly list: Edit[] = [];
  private seq = 0;

  /** Replaces [start, end); consumes every edit inside that range. */
  replace(start: number, end: number, text: EditText): void {
    if (end <= start) throw new Error(`internal: empty replace at ${start}`);
    this.list.push({ type: 'replace', start, end, text, seq: this.seq++ });
  }
  /** Blanks [start, end) (spaces, newlines kept), swallowing every edit that lands inside. */
  blank(source: string, start: number, end: number): void {
    if (end <= start) return;
    this.list.push({ type: 'replace', start, end, text: blank(source.slice(start, end)), seq: this.seq++, byPosition: true });
  }
  /** Inserts at owner.pos (before the owner's text), or at `at` when given. */
  before(owner: Owner, text: EditText, at = owner.pos): void {
    this.list.push({ type: 'insert', start: owner.pos, end: owner.end, pos: at, text, bias: 'right', seq: this.seq++ });
  }
  /** Inserts at owner.end (after the owner's text), or at `at` when given. */
  after(owner: Owner, text: EditText, at = owner.end): void {
    this.list.push({ type: 'insert', start: owner.pos, end: owner.end, pos: at, text, bias: 'left', seq: this.seq++ });
  }

  /** A copy holding the same edits, to add edits for one output only (the rewritten module or a worker module). */
  copy(): Edits {
    const c = new Edits();
    c.list.push(...this.list);
    c.seq = this.seq;
    return c;
  }

  apply(source: string, s: MagicString): void {
    const replaces = this.list.filter((e): e is Replace => e.type === 'replace');

    // Edits directly inside [start, end) (or everything, for the whole file), not consumed by another edit there.
    const within = (start: number, end: number, self?: Replace) => {
      const cands = this.list.filter((e) => e !== self && (!self || contains(self, e)) && e.start >= start && e.end <= end);
      const candReplaces = replaces.filter((r) => cands.includes(r));
      return cands.filter((e) => !candReplaces.some((r) => contains(r, e)));
    };

    const textOf = (t: EditText, self?: Replace): string =>
      (typeof t === 'string' ? t : t((a, b) => render(a, b, self)));

    const render = (start: number, end: number, self?: Replace): string => {
      const edits = within(start, end, self);
      const order = (e: Edit) => (e.type === 'replace' ? 2 : e.bias === 'left' ? 0 : 1);
      const at = (e: Edit) => (e.type === 'replace' ? e.start : e.pos);
      edits.sort((a, b) => at(a) - at(b) || order(a) - order(b) || a.seq - b.seq);
      let out = '';
      let pos = start;
      for (const e of edits) {
        const p = Math.max(at(e), pos);
        if (p > end) break;
        out += source.slice(pos, p) + textOf(e.text, e.type === 'replace' ? e : undefined);
        pos = e.type === 'replace' ? Math.max(pos, e.end) : p;
      }
      return out + source.slice(pos, end);
    };

    const top = within(-Infinity, Infinity);
    for (const e of top) if (e.type === 'replace') s.overwrite(e.start, e.end, textOf(e.text, e));
    for (const e of top) {
      if (e.type !== 'insert') continue;
      if (e.bias === 'left') s.appendLeft(e.pos, textOf(e.text));
      else s.appendRight(e.pos, textOf(e.text));
    }
  }
}

/** Blank text of the same shape: newlines kept, everything else a space, so lines and columns stay put. */
export function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}
