// Text edits over the original source. Edits nest: a replacement may render the edited text of a range inside
// it (a fork's arguments moved into a prefix), and a replacement consumes the edits inside its range. The outermost
// edits are applied with magic-string, so untouched text keeps its place and the source map stays exact.
import MagicString from 'magic-string';

export type Render = (start: number, end: number) => string;
export type EditText = string | ((render: Render) => string);

interface Replace { type: 'replace'; start: number; end: number; text: EditText; seq: number }
interface Insert { type: 'insert'; pos: number; text: EditText; bias: 'left' | 'right'; seq: number }
type Edit = Replace | Insert;

export class Edits {
  private readonly list: Edit[] = [];
  private seq = 0;

  /** Replaces [start, end); wins over every edit inside that range. */
  replace(start: number, end: number, text: EditText): void {
    if (end <= start) throw new Error(`internal: empty replace at ${start}`);
    this.list.push({ type: 'replace', start, end, text, seq: this.seq++ });
  }
  /** Inserts before the text at pos (travels with what follows: inside a replace that starts at pos). */
  before(pos: number, text: EditText): void {
    this.list.push({ type: 'insert', pos, text, bias: 'right', seq: this.seq++ });
  }
  /** Inserts after the text ending at pos (inside a replace that ends at pos). */
  after(pos: number, text: EditText): void {
    this.list.push({ type: 'insert', pos, text, bias: 'left', seq: this.seq++ });
  }

  /** A copy holding the same edits, to add edits for one output only (the rewritten module or a worker module). */
  fork(): Edits {
    const copy = new Edits();
    copy.list.push(...this.list);
    copy.seq = this.seq;
    return copy;
  }

  apply(source: string, s: MagicString): void {
    const replaces = (this.list.filter((e) => e.type === 'replace') as Replace[])
      .sort((a, b) => a.start - b.start || b.end - a.end || b.seq - a.seq);
    const inserts = (this.list.filter((e) => e.type === 'insert') as Insert[]).sort((a, b) => a.seq - b.seq);

    const insideReplace = (r: Replace, i: Insert) =>
      (i.pos > r.start && i.pos < r.end) || (i.pos === r.start && i.bias === 'right') || (i.pos === r.end && i.bias === 'left');

    // Edits directly inside [start, end): the outermost replaces there and the inserts not inside them.
    const within = (start: number, end: number, self?: Replace) => {
      const outer: Replace[] = [];
      for (const r of replaces) {
        if (r === self || r.start < start || r.end > end) continue;
        if (self && r.start === self.start && r.end === self.end && r.seq > self.seq) continue;
        const last = outer[outer.length - 1];
        if (last && r.start < last.end) {
          if (r.end > last.end) throw new Error(`internal: overlapping edits [${last.start},${last.end}) and [${r.start},${r.end})`);
          continue;
        }
        outer.push(r);
      }
      const ins = inserts.filter((i) => {
        const inRange = (i.pos > start && i.pos < end) || (i.pos === start && i.bias === 'right') || (i.pos === end && i.bias === 'left');
        if (!inRange || (start === end)) return false;
        return !outer.some((r) => insideReplace(r, i));
      });
      return { outer, ins };
    };

    const textOf = (t: EditText): string => (typeof t === 'string' ? t : t(render));

    const render: Render = (start, end) => {
      const { outer, ins } = within(start, end);
      // Build by walking positions: inserts (left before right at equal positions) and replaces in order.
      type Piece = { at: number; order: number; seq: number; text: () => string; skipTo?: number };
      const pieces: Piece[] = [];
      for (const i of ins) pieces.push({ at: i.pos, order: i.bias === 'left' ? 0 : 1, seq: i.seq, text: () => textOf(i.text) });
      for (const r of outer) pieces.push({ at: r.start, order: 2, seq: r.seq, text: () => textOf(r.text), skipTo: r.end });
      pieces.sort((a, b) => a.at - b.at || a.order - b.order || a.seq - b.seq);
      let out = '';
      let pos = start;
      for (const p of pieces) {
        if (p.at < pos) continue;
        out += source.slice(pos, p.at) + p.text();
        pos = p.skipTo ?? p.at;
      }
      return out + source.slice(pos, end);
    };

    const { outer, ins } = within(0, source.length);
    for (const r of outer) s.overwrite(r.start, r.end, textOf(r.text));
    for (const i of ins) {
      if (i.bias === 'left') s.appendLeft(i.pos, textOf(i.text));
      else s.appendRight(i.pos, textOf(i.text));
    }
  }
}

/** Blank text of the same shape: newlines kept, everything else a space, so lines and columns stay put. */
export function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}
