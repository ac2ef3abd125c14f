// The one control-character module, checked against Unicode's own classes (JavaScript's \p{...}
// property escapes), not against a list of our own: Cc is C0, DEL and C1; Zl and Zp are the
// line and paragraph separators; Bidi_Control is the bidirectional formatting characters. And
// every place that takes a one-line value refuses the same set.
import { describe, expect, it } from 'vitest';
import { actionNameSchema, tagSchema } from '../../../shared/model/action';
import { profileDraftSchema } from '../../../shared/model/actionTarget';
import { parseBufferSchemaText } from '../../../shared/model/bufferSchema';
import { decodeRecord } from '../../../shared/model/bufferSchemaDecode';
import {
  breaksOneLine,
  describeRefused,
  escapeControls,
  findLineBreaker,
  isBidiControl,
  isLineSeparator,
  isTerminalControl,
  ONE_LINE,
  replaceTerminalControls,
} from '../../../shared/text/controlChars';
import { checkCommandLine } from '../../../electron/host/session/commandLine';
import { checkConsoleLine } from '../../../renderer/src/console/consoleLine';
import { checkDraft, type EditorDraft } from '../../../renderer/src/editor/editorDraft';

const CC = /^\p{Cc}$/u;
const SEPARATOR = /^[\p{Zl}\p{Zp}]$/u;
const BIDI = /^\p{Bidi_Control}$/u;

/** Every code point of the Basic Multilingual Plane that is not a surrogate. */
const BMP = Array.from({ length: 0x10000 }, (_, c) => c).filter((c) => c < 0xd800 || c > 0xdfff);

describe('control characters', () => {
  it('classifies every BMP code point as Unicode does', () => {
    const wrong: string[] = [];
    for (const c of BMP) {
      const ch = String.fromCharCode(c);
      const refused = CC.test(ch) || SEPARATOR.test(ch) || BIDI.test(ch);
      if (
        isTerminalControl(c) !== CC.test(ch) ||
        isLineSeparator(c) !== SEPARATOR.test(ch) ||
        isBidiControl(c) !== BIDI.test(ch) ||
        breaksOneLine(c) !== refused ||
        ONE_LINE.test(`a${ch}b`) === refused ||
        findLineBreaker(`ab${ch}`) !== (refused ? 2 : -1)
      )
        wrong.push(`U+${c.toString(16).padStart(4, '0')}`);
    }
    expect(wrong).toEqual([]);
  });

  it('escapes what it refuses so it can be shown, and nothing else', () => {
    expect(escapeControls('a\x1b[2J\x07')).toBe('a\\x1b[2J\\x07');
    expect(escapeControls('\u0085 \u202etxt.exe \u2028')).toBe('\\x85 \\u202etxt.exe \\u2028');
    expect(escapeControls('C:\\x1b')).toBe('C:\\\\x1b');
    expect(escapeControls('explorer.exe ünï 中文')).toBe('explorer.exe ünï 中文');
    expect(replaceTerminalControls('a\nb\x9bc\u202e')).toBe('a b c\u202e');
  });

  it('says what kind of character it refused', () => {
    expect(describeRefused(0x03)).toBe('a control character (U+0003)');
    expect(describeRefused(0x0a)).toMatch(/line break/);
    expect(describeRefused(0x2029)).toMatch(/line separator \(U\+2029\)/);
    expect(describeRefused(0x202e)).toMatch(/bidirectional formatting character \(U\+202E\)/);
  });
});

describe('every one-line value refuses the same characters', () => {
  /** One of each kind: C0, DEL, C1 (NEL, CSI), a line separator, a bidi override and isolate. */
  const HOSTILE = ['\x03', '\x7f', '\u0085', '\u009b', '\u2028', '\u202e', '\u2066'];
  const cli = 'C:\\HyperDbg\\hyperdbg-cli.exe';
  const profile = (over: Record<string, unknown>) =>
    profileDraftSchema.safeParse({
      name: 'p',
      cliPath: cli,
      connection: { kind: 'local' },
      ...over,
    });

  it('action names and tags, paths and pipe names, command lines', () => {
    for (const ch of HOSTILE) {
      const what = `U+${ch.charCodeAt(0).toString(16)}`;
      expect(actionNameSchema.safeParse(`name${ch}x`).success, what).toBe(false);
      expect(tagSchema.safeParse(`tag${ch}x`).success, what).toBe(false);
      expect(profile({ cliPath: `${ch}${cli}` }).success, what).toBe(false);
      expect(profile({ name: `p${ch}q` }).success, what).toBe(false);
      expect(
        profile({ connection: { kind: 'namedPipe', pipe: `\\\\.\\pipe\\a${ch}b` } }).success,
        what,
      ).toBe(false);
      expect(checkCommandLine(`events${ch}`).ok, what).toBe(false);
      expect(checkConsoleLine(`events${ch}`).ok, what).toBe(false);
    }
    expect(actionNameSchema.safeParse('Current process ImageFileName (ünï)').success).toBe(true);
    expect(profile({}).success).toBe(true);
  });

  it('the editor refuses such a name on its field before the host sees it', () => {
    const base: EditorDraft = {
      kind: 'break',
      name: 'x',
      description: '',
      tags: '',
      eventKinds: [],
      codeSource: '',
      conditionEnabled: false,
      conditionSource: '',
      logFormOwn: false,
      logFormLength: '',
      logFormWords: '',
      script: '',
      bufferSize: '',
      schema: [],
    };
    for (const ch of HOSTILE) {
      const r = checkDraft({ ...base, name: `evil${ch}name` });
      expect(!r.ok && r.error.name).toMatch(/one line without control characters/);
    }
  });

  it('the command line names a C1 or bidi character as what it is', () => {
    const r = checkCommandLine('events\u202e');
    expect(!r.ok && r.error).toMatch(
      /bidirectional formatting character \(U\+202E\) at position 7/,
    );
    const c = checkConsoleLine('events\u009b');
    expect(!c.ok && c.error).toMatch(/control character \(U\+009B\) at position 7/);
  });

  it('shows such characters escaped where a record or a schema quotes them', () => {
    const bytes = new Uint8Array([0x61, 0x00, 0x2e, 0x20, 0x62, 0x00, 0x00, 0x00]);
    const d = decodeRecord([{ name: 'W', offset: 0, type: 'wstr[4]' }], bytes);
    expect(d.fields[0]?.display).toBe('a\\u202eb');
    const s = parseBufferSchemaText('a\u202eb: u8 @ 0', 8);
    expect(!s.ok && s.error[0]?.message).toContain('\\u202e');
  });
});
