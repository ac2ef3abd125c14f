// Syntax highlighting for the action editor: Intel-syntax x86-64 assembly (as Keystone reads it)
// and HyperDbg scripts, as CodeMirror stream languages. Only colours: correctness comes from the
// assembler and the script checker. Renderer only.
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

const REGISTER =
  /^(?:[re]?[abcd]x|[abcd][lh]|[re]?(?:si|di|sp|bp|ip)|(?:si|di|sp|bp)l|r(?:[89]|1[0-5])[dwb]?|[c-gs]s|xmm\d+|ymm\d+|cr\d|dr\d)\b/i;
const SIZE = /^(?:byte|word|dword|qword|tbyte|xmmword|ptr|short|near|far)\b/i;
const NUMBER = /^(?:0x[0-9a-f]+|[0-9][0-9a-f]*h\b|\d+)/i;

export const asmLanguage = StreamLanguage.define<{ sawMnemonic: boolean }>({
  name: 'x86asm',
  startState: () => ({ sawMnemonic: false }),
  token(stream, state) {
    if (stream.sol()) state.sawMnemonic = false;
    if (stream.eatSpace()) return null;
    if (stream.peek() === ';' || stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match(/^[A-Za-z_.$@?][\w.$@?]*:/)) return 'labelName';
    if (stream.match(REGISTER)) return 'variableName.special';
    if (stream.match(SIZE)) return 'typeName';
    if (stream.match(NUMBER)) return 'number';
    if (stream.match(/^'[^']*'?/)) return 'string';
    if (stream.match(/^[A-Za-z_.][\w.]*/)) {
      if (!state.sawMnemonic) {
        state.sawMnemonic = true;
        return 'keyword';
      }
      return 'variableName';
    }
    stream.next();
    return 'operator';
  },
  languageData: { commentTokens: { line: ';' } },
});

const SCRIPT_KEYWORDS = /^(?:if|else|elsif|while|for|do|return|break|continue|true|false)\b/;

export const scriptLanguage = StreamLanguage.define<{ inComment: boolean }>({
  name: 'hyperdbg-script',
  startState: () => ({ inComment: false }),
  token(stream, state) {
    if (state.inComment) {
      if (stream.skipTo('*/')) {
        stream.match('*/');
        state.inComment = false;
      } else stream.skipToEnd();
      return 'comment';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('/*')) {
      state.inComment = true;
      return 'comment';
    }
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
    if (stream.match(/^[@$][A-Za-z_]\w*/)) return 'variableName.special';
    if (stream.match(SCRIPT_KEYWORDS)) return 'keyword';
    if (stream.match(/^(?:0x)?[0-9][0-9a-fA-F`]*/)) return 'number';
    if (stream.match(/^[A-Za-z_]\w*(?=\s*\()/)) return 'function(variableName)';
    if (stream.match(/^[A-Za-z_]\w*/)) return 'variableName';
    stream.next();
    return 'operator';
  },
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
});

/** Colours from the theme variables, so one style serves the dark and the light theme. */
export const editorHighlighting = syntaxHighlighting(
  HighlightStyle.define([
    { tag: t.comment, color: 'var(--syn-comment)', fontStyle: 'italic' },
    { tag: t.keyword, color: 'var(--syn-keyword)' },
    { tag: t.labelName, color: 'var(--syn-label)', fontWeight: 'bold' },
    { tag: t.special(t.variableName), color: 'var(--syn-register)' },
    { tag: t.typeName, color: 'var(--syn-type)' },
    { tag: t.number, color: 'var(--syn-number)' },
    { tag: t.string, color: 'var(--syn-string)' },
    { tag: t.function(t.variableName), color: 'var(--syn-function)' },
  ]),
);
