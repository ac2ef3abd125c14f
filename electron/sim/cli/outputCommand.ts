// `output`, `output create NAME file|namedpipe|tcp|module ADDRESS`, `output open NAME` and
// `output close NAME` (CommandOutput in output.cpp; docs/hyperdbg-v0.23.md §6.4), with v0.23's
// token-count rules, check order and messages. `create` connects at once. Simulator side.
import {
  connectPipeSink,
  connectTcpSink,
  loadModuleSink,
  openFileSink,
  type SinkConnection,
} from '../forwarding/sinkConnections';
import { MAX_OUTPUT_NAME_CHARS, type OutputSourceType } from '../forwarding/outputSources';
import type { Token } from '../protocol/tokenizer';
import type { Session } from './session';

const TYPES: Readonly<Record<string, OutputSourceType>> = {
  file: 'file',
  namedpipe: 'namedpipe',
  tcp: 'tcp',
  module: 'module',
};

const NOT_FOUND = 'err, the name you entered, not found\n';
const ALREADY_CLOSED = 'err, the name you entered was already closed\n';

/** ForwardingCreateOutputSource: the connection, or null once the CLI said why not. */
function connectSource(
  s: Session,
  type: OutputSourceType,
  address: string,
): Promise<SinkConnection | null> | SinkConnection | null {
  const print = (t: string) => s.print(t);
  switch (type) {
    case 'file':
      return openFileSink(address);
    case 'namedpipe':
      return connectPipeSink(address, print);
    case 'tcp':
      return connectTcpSink(address, print);
    case 'module':
      return loadModuleSink(print);
  }
}

async function create(s: Session, t: readonly Token[]): Promise<void> {
  const command = (t[0] as Token).text;
  if (t.length <= 4) {
    s.usage(command, 'output');
    return;
  }
  const typeToken = t[3] as Token;
  const type = TYPES[typeToken.lower];
  if (type === undefined) {
    s.print(`incorrect type near '${typeToken.text}'\n\n`);
    s.help('output');
    return;
  }
  const name = (t[2] as Token).text;
  // The name is stored in a CHAR[50]: 49 bytes and the NUL at most.
  if (Buffer.byteLength(name, 'utf8') >= MAX_OUTPUT_NAME_CHARS) {
    s.print(`name of the output cannot exceed form ${MAX_OUTPUT_NAME_CHARS} characters\n\n`);
    s.help('output');
    return;
  }
  if (s.outputs.find(name) !== undefined) {
    s.print('err, the name you entered, already exists, please choose another name\n');
    return;
  }
  const connection = await connectSource(s, type, (t[4] as Token).text);
  if (connection === null) {
    s.print('err, invalid address or cannot open or find the address\n');
    return;
  }
  s.outputs.add(name, type, connection);
}

function open(s: Session, name: string): void {
  switch (s.outputs.open(name)) {
    case 'not found':
      s.print(NOT_FOUND);
      break;
    case 'already closed':
      s.print(ALREADY_CLOSED);
      break;
    case 'already opened':
      s.print('err, the name you entered was already opened\n');
      break;
    case 'unknown error':
      s.print('err, unable to open the source\n');
      break;
    case 'done':
      break;
  }
}

function close(s: Session, name: string): void {
  switch (s.outputs.close(name)) {
    case 'not found':
      s.print(NOT_FOUND);
      break;
    case 'already closed':
      s.print(ALREADY_CLOSED);
      break;
    case 'already opened':
    case 'unknown error':
      // A source that was never opened cannot be closed (ForwardingCloseOutputSource).
      s.print('err, unable to close the source\n');
      break;
    case 'done':
      break;
  }
}

export async function outputCommand(s: Session, t: readonly Token[]): Promise<void> {
  const command = (t[0] as Token).text;
  // 1, 3, 4 or 5 tokens; `open`/`close` ignore anything after the name.
  if ((t.length !== 1 && t.length <= 2) || t.length >= 6) {
    s.usage(command, 'output');
    return;
  }
  if (t.length === 1) {
    s.print(s.outputs.listing());
    return;
  }
  const sub = (t[1] as Token).lower;
  const name = (t[2] as Token).text;
  if (sub === 'create') await create(s, t);
  else if (sub === 'open') open(s, name);
  else if (sub === 'close') close(s, name);
  else {
    // v0.23 quotes the command's own name here, not the option.
    s.print(`incorrect option at '${command}'\n\n`);
    s.help('output');
  }
}
