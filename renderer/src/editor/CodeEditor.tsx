// A CodeMirror 6 editor as a React component: controlled text, a language, and diagnostics
// pushed in from outside (the host's assembler or the script checker) shown inline at their
// line, in the gutter and on hover. Colours come from the theme variables.
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, indentOnInput, type Language } from '@codemirror/language';
import { lintGutter, lintKeymap, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { EditorState } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  placeholder as placeholderExt,
} from '@codemirror/view';
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { editorHighlighting } from './asmLanguage';

/** A problem at a 1-based line (and optional 1-based column), as the checkers report them. */
export interface LineDiagnostic {
  readonly line: number;
  readonly column?: number;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly source?: string;
}

export interface CodeEditorHandle {
  /** Puts the cursor on a 1-based line and scrolls it into view. */
  goToLine(line: number): void;
  focus(): void;
}

export interface CodeEditorProps {
  readonly value: string;
  onChange(value: string): void;
  readonly language: Language;
  readonly diagnostics: readonly LineDiagnostic[];
  readonly ariaLabel: string;
  readonly testId?: string;
  readonly placeholder?: string;
  readonly minLines?: number;
  /** Wrap long lines (scripts) instead of scrolling sideways (assembly keeps its columns). */
  readonly wrap?: boolean;
  readonly handleRef?: Ref<CodeEditorHandle>;
  /** Ctrl/Cmd+S inside the editor (the browser's own save must not open). */
  onSave?(): void;
}

const editorTheme = EditorView.theme({
  '&': {
    backgroundColor: 'var(--bg-2)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
    borderRadius: '4px',
    fontSize: '12.5px',
  },
  '&.cm-focused': { outline: '1px solid var(--accent)' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--fg)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-gutters': {
    backgroundColor: 'var(--bg-3)',
    color: 'var(--fg-muted)',
    borderRight: '1px solid var(--border)',
  },
  '.cm-activeLine': { backgroundColor: 'var(--line-active)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--line-active)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--selection) !important',
  },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--bg-3)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
  },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--err)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--warn)' },
  '.cm-panels': { backgroundColor: 'var(--bg-3)', color: 'var(--fg)' },
});

/** Diagnostics as CodeMirror wants them: positions in the current document, clamped to it. */
export function toCmDiagnostics(
  state: EditorState,
  diagnostics: readonly LineDiagnostic[],
): Diagnostic[] {
  const doc = state.doc;
  return diagnostics.map((d) => {
    const line = doc.line(Math.min(Math.max(1, d.line), doc.lines));
    const text = line.text;
    // The whole line without its indentation and trailing comment, so the mark sits on code.
    let from = line.from + (text.length - text.trimStart().length);
    let to = line.to;
    const comment = text.search(/\s*;/);
    if (comment > 0 && line.from + comment > from) to = line.from + comment;
    if (d.column !== undefined) {
      from = Math.min(line.to, line.from + Math.max(0, d.column - 1));
      to = Math.max(from, to);
    }
    if (to <= from) to = Math.min(line.to, from + 1);
    return { from, to, severity: d.severity, message: d.message, source: d.source };
  });
}

export function CodeEditor(props: CodeEditorProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  // The latest callbacks, read by listeners created once.
  const onChangeRef = useRef(props.onChange);
  const onSaveRef = useRef(props.onSave);
  useEffect(() => {
    onChangeRef.current = props.onChange;
    onSaveRef.current = props.onSave;
  });

  useEffect(() => {
    const parent = hostRef.current;
    if (parent === null) return;
    const view = new EditorView({
      parent,
      state: EditorState.create({
        doc: props.value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightSpecialChars(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          highlightSelectionMatches(),
          lintGutter(),
          props.language,
          editorHighlighting,
          editorTheme,
          props.wrap === true ? EditorView.lineWrapping : [],
          EditorView.contentAttributes.of({
            'aria-label': props.ariaLabel,
            spellcheck: 'false',
          }),
          props.placeholder !== undefined ? placeholderExt(props.placeholder) : [],
          keymap.of([
            {
              key: 'Mod-s',
              preventDefault: true,
              run: () => {
                onSaveRef.current?.();
                return true;
              },
            },
            ...defaultKeymap,
            ...historyKeymap,
            ...searchKeymap,
            ...lintKeymap,
          ]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChangeRef.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    viewRef.current = view;
    return () => {
      view.destroy();
      viewRef.current = null;
    };
    // The view is made once; value and diagnostics are pushed in by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.language]);

  // A value from outside (another action opened, a version restored): replace the text.
  useEffect(() => {
    const view = viewRef.current;
    if (view === null) return;
    const current = view.state.doc.toString();
    if (current !== props.value)
      view.dispatch({ changes: { from: 0, to: current.length, insert: props.value } });
  }, [props.value]);

  useEffect(() => {
    const view = viewRef.current;
    if (view === null) return;
    view.dispatch(setDiagnostics(view.state, toCmDiagnostics(view.state, props.diagnostics)));
  }, [props.diagnostics, props.value]);

  useImperativeHandle(
    props.handleRef,
    () => ({
      goToLine(line: number) {
        const view = viewRef.current;
        if (view === null) return;
        const l = view.state.doc.line(Math.min(Math.max(1, line), view.state.doc.lines));
        view.dispatch({ selection: { anchor: l.from }, scrollIntoView: true });
        view.focus();
      },
      focus: () => viewRef.current?.focus(),
    }),
    [],
  );

  return (
    <div
      ref={hostRef}
      className="code-editor"
      data-testid={props.testId}
      style={{ minHeight: `${(props.minLines ?? 6) * 1.5 + 0.6}em` }}
    />
  );
}
