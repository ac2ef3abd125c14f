// Telling which library action created an event from its command as a transcript shows it: the
// full line, or the `events` listing's form (braces dropped, cut at 70 characters plus `...`,
// spec §4). Listing texts here follow the spec's examples, not our own output.
import { describe, expect, it } from 'vitest';
import { matchEventCommand, type MatchableAction } from '../../../shared/sessions/actionMatch';

const CODE = '65488B042588010000488B80B8000000480550040000C3';
const SCRIPT =
  'printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $core, $context, f, dq($pname), dq($pname+8));';

const code: MatchableAction = {
  id: 'code-1909',
  name: 'ImageFileName (code)',
  kind: 'code',
  codeHex: CODE,
  script: null,
  fields: ['ImageFileName'],
};
const log: MatchableAction = {
  id: 'log',
  name: 'ImageFileName (log)',
  kind: 'log',
  codeHex: null,
  // As saved in the library: lines and a comment, flattened when it goes into a command.
  script: `// the process name\n${SCRIPT}\n`,
  fields: ['ImageFileName'],
};
const counter: MatchableAction = {
  id: 'counter',
  name: 'Counter',
  kind: 'code',
  codeHex: '4831C0C3',
  script: null,
  fields: [],
};
const twin: MatchableAction = {
  ...code,
  id: 'twin',
  name: 'Twin with other fields',
  fields: ['Name'],
};

describe('matching an event command to a library action', () => {
  it('finds a code action by its bytes in a full command line (any case, spacing)', () => {
    const m = matchEventCommand(
      `!syscall buffer 18 code { ${CODE.toLowerCase()} }`,
      false,
      [log, code],
      null,
    );
    expect(m).toEqual({ action: code, how: 'its code bytes' });
  });

  it('finds a log action by its flattened script, in the line and in the listing form', () => {
    expect(
      matchEventCommand(`!syscall script { ${SCRIPT} }`, false, [code, log], null).action,
    ).toBe(log);
    // The listing drops the braces and keeps the inner spaces (spec §4 example form).
    expect(matchEventCommand(`!syscall script  ${SCRIPT}  `, false, [code, log], null).action).toBe(
      log,
    );
  });

  it('matches a cut listing by the start it shows, and says so', () => {
    const listed = `!syscall buffer 18 code ${CODE}`.slice(0, 48);
    const m = matchEventCommand(`${listed}...`, true, [code, counter], null);
    expect(m.action).toBe(code);
    expect(m.how).toBe('its code bytes (the start the events listing shows)');
    // Too short a start picks nothing.
    expect(
      matchEventCommand('!syscall buffer 18 code 6548...', true, [code], null).action,
    ).toBeNull();
  });

  it('prefers the code action on a target that returns buffers, the log action on a stock one', () => {
    const both = `!syscall buffer 18 code {${CODE}} script {${SCRIPT}}`;
    expect(matchEventCommand(both, false, [log, code], true).action).toBe(code);
    expect(matchEventCommand(both, false, [code, log], false).action).toBe(log);
  });

  it('says why there is no match: no block, no such action, no schema, or ambiguous', () => {
    expect(matchEventCommand('!syscall 55 pid 4', false, [code], null)).toEqual({
      action: null,
      how: 'its command has no code or script block',
    });
    expect(matchEventCommand('!syscall code {9090}', false, [code], null).how).toBe(
      'no library action has its code or script',
    );
    expect(matchEventCommand('!cpuid code {4831C0C3}', false, [counter], null).how).toBe(
      'Counter matches but has no buffer schema',
    );
    const amb = matchEventCommand(`!syscall code {${CODE}}`, false, [code, twin], null);
    expect(amb).toEqual({
      action: null,
      how: 'ambiguous: ImageFileName (code), Twin with other fields all match; choose one',
    });
    // Twins with the same fields decode alike: either will do.
    const same = matchEventCommand(
      `!syscall code {${CODE}}`,
      false,
      [code, { ...code, id: 'copy' }],
      null,
    );
    expect(same.action?.id).toBe('code-1909');
    expect(same.how).toBe('its code bytes (2 actions with the same fields match)');
  });
});
