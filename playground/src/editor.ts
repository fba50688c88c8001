// CodeMirror 6: the program editor (left) and the read-only viewer for the transform's output (right).
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic as LintDiagnostic } from '@codemirror/lint';
import { EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers,
} from '@codemirror/view';
import type { Diagnostic } from './compile';

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, "JetBrains Mono", "DejaVu Sans Mono", Menlo, monospace', lineHeight: '1.5' },
  '.cm-gutters': { background: '#f6f7f9', borderRight: '1px solid #e3e6ea', color: '#9aa1ab' },
  '.cm-activeLine': { background: '#f3f6fb' },
  '.cm-activeLineGutter': { background: '#e8edf5' },
});

function common(): Extension[] {
  return [lineNumbers(), drawSelection(), syntaxHighlighting(defaultHighlightStyle, { fallback: true }), javascript({ typescript: true }), theme];
}

export function createEditor(parent: HTMLElement, doc: string, onChange: (code: string) => void, onRun: () => void): EditorView {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        ...common(),
        highlightActiveLine(),
        highlightActiveLineGutter(),
        history(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        lintGutter(),
        keymap.of([
          { key: 'Mod-Enter', run: () => { onRun(); return true; } },
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...historyKeymap,
          indentWithTab,
        ]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
}

export function replaceDoc(view: EditorView, doc: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: doc } });
}

/** Marks the transform's diagnostics in the editor (underline + gutter), positions clamped to the document. */
export function markDiagnostics(view: EditorView, diagnostics: Diagnostic[]): void {
  const size = view.state.doc.length;
  const marks: LintDiagnostic[] = diagnostics.map((d) => {
    const from = Math.min(Math.max(0, d.start), size);
    return {
      from,
      to: Math.min(size, from + Math.max(1, d.length)),
      severity: d.severity,
      message: `TS${d.code}: ${d.message}`,
    };
  });
  view.dispatch(setDiagnostics(view.state, marks));
}

export function createViewer(parent: HTMLElement): EditorView {
  return new EditorView({
    parent,
    // Wrapped: the transform puts its imports on the first line, to keep every other line where it was.
    state: EditorState.create({ doc: '', extensions: [...common(), EditorView.lineWrapping, EditorState.readOnly.of(true), EditorView.editable.of(false)] }),
  });
}
