// Deriving a code action's log form: the instructions executed with script expressions as values,
// the record they return as a RecordPayload whose words read the same memory; and the code no
// fixed list of expressions can stand for, refused with the reason.
import { describe, expect, it } from 'vitest';
import { assembleAction } from '../../../electron/host/asm/asmService';
import { decodeAll } from '../../../electron/host/asm/decode';
import { loadEngines } from '../../../electron/host/asm/engines';
import { deriveLogForm, recordLength } from '../../../electron/host/asm/scriptForm';
import { loadKnownBuilds } from '../../../electron/host/target/knownBuildsFile';
import { payloadToRecordScript } from '../../../shared/hyperdbg/recordScript';
import { tableEnvironment } from '../../../shared/model/knownBuilds';
import type { BufferSchema } from '../../../shared/model/bufferSchema';
import type { EventKind } from '../../../shared/model/eventKinds';

async function derive(
  source: string,
  bufferSize: number,
  schema: BufferSchema = [],
  eventKind: EventKind = '!syscall',
) {
  const fields = tableEnvironment(loadKnownBuilds(), 18363, 'test');
  const r = await assembleAction(source, {
    role: 'code',
    eventKind,
    bufferSize,
    target: 'sim',
    fields,
  });
  expect(r.ok).toBe(true);
  const e = await loadEngines();
  return deriveLogForm(decodeAll(e.iced, Buffer.from(r.bytesHex, 'hex')), {
    bufferSize,
    bufferSchema: schema,
    eventKind,
    fields,
  });
}

describe('the derived log form', () => {
  it("the seed's ImageFileName: two words at $proc + ImageFileName, the schema's 15 bytes", async () => {
    const d = await derive(
      'mov rax, qword ptr gs:[0x188]\nmov rax, qword ptr [rax+0xb8]\nadd rax, 0x450\nret',
      0x18,
      [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
    );
    expect(d).toEqual({
      ok: true,
      payload: { length: 15, words: ['dq($proc+0x450)', 'dq($proc+0x458)'], origin: 'derived' },
      notes: [
        'gs:[0x188] (KPCR.Prcb.CurrentThread) is $thread',
        '[$thread + 0xb8] (KTHREAD.ApcState.Process) is $proc',
      ],
    });
    if (d.ok)
      expect(payloadToRecordScript(d.payload)).toBe(
        // buffer-records §2a: the core's count in the action's buffer, then one HDBG2 line
        'eq($buffer + ($core & 3f) * 8, dq($buffer + ($core & 3f) * 8) + 1); ' +
          'printf("HDBG2 %x %x %llx %llx %x %llx %llx\\n", $event_id, $core, dq($buffer + ($core & 3f) * 8), $context, 0xf, dq($proc+0x450), dq($proc+0x458));',
      );
  });

  it('a KTHREAD offset that is not ApcState.Process stays a read of the thread', async () => {
    const d = await derive('mov rax, qword ptr gs:[0x188]\nmov rax, qword ptr [rax+0x220]\nret', 8);
    expect(d.ok && d.payload.words).toEqual(['dq(dq($thread+0x220))']);
  });

  it('the buffer as written: partial writes become masked, shifted pieces; unwritten bytes are 0', async () => {
    const d = await derive(
      'mov rax, qword ptr [rdx+0x40]\nmov dword ptr [rcx], eax\nmov byte ptr [rcx+6], 0x7f\nmov qword ptr [rcx+8], r8\nmov rax, rcx\nret',
      0x10,
    );
    expect(d.ok && d.payload.words).toEqual([
      '((@r8 & 0xffffffff) | 0x7f000000000000)',
      '$context',
    ]);
  });

  it('a pointer returned in RAX other than the buffer: the record is read there', async () => {
    const d = await derive('mov rax, qword ptr [rdx+0x20]\nret', 8, [], '!epthook');
    expect(d.ok && d.payload.words).toEqual(['dq(@rsp)']);
  });

  it('refuses, with the reason, what a fixed list of expressions cannot carry', async () => {
    const cases: [string, number, RegExp][] = [
      ['cmp r8, 0x55\njne Skip\nmov rax, rcx\nSkip:\nret', 8, /branches on a condition/],
      ['inc qword ptr [rcx]\nmov rax, rcx\nret', 8, /reads the safe buffer .* earlier triggers/],
      [
        'mov qword ptr [rdx+0x40], 0\nmov rax, rcx\nret',
        8,
        /changes Regs->r8 .* a log form only reads/,
      ],
      ['mov qword ptr [rcx], rbx\nmov rax, rcx\nret', 8, /the trampoline's rbx/],
      ['xor eax, eax\nret', 8, /returns 0/],
      ['nop\nret', 8, /RAX is not set/],
      ['mov rax, rcx\nret', 0, /requests no buffer/],
      ['mov rax, qword ptr [rdx+0x20]\nret', 8, /for !epthook2 holds Regs - sizeof\(GUEST_REGS\)/],
    ];
    for (const [source, size, why] of cases) {
      const d = await derive(
        source,
        size,
        [],
        source.includes('[rdx+0x20]') ? '!epthook2' : '!syscall',
      );
      expect(d.ok, source).toBe(false);
      if (!d.ok) expect(d.reason, source).toMatch(why);
    }
  });

  it('carries the schema’s extent, or the whole buffer without a schema', () => {
    expect(recordLength(0x18, [{ name: 'a', offset: 0, type: 'cstr[15]' }])).toBe(15);
    expect(recordLength(0x18, [{ name: 'a', offset: 0x10, type: 'u64' }])).toBe(0x18);
    expect(recordLength(0x18, [])).toBe(0x18);
  });
});
