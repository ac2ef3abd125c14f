// The event binding schema: the shape of what one HyperDbg command can carry (spec §3.1).
import { describe, expect, it } from 'vitest';
import { eventBindingSchema } from '../../../shared/model/eventBinding';

describe('event binding schema', () => {
  it("accepts the issue's example and a full binding", () => {
    expect(
      eventBindingSchema.safeParse({
        kind: '!syscall',
        args: ['55'],
        pid: '4',
        buffer: '18',
        code: '65488B',
      }).success,
    ).toBe(true);
    expect(
      eventBindingSchema.safeParse({
        kind: '!monitor',
        args: ['rw', 'fffff801deadb000', 'l', '1000'],
        pid: 'all',
        core: '2',
        stage: 'post',
        sc: 'off',
        imm: 'yes',
        output: ['sink'],
        buffer: '40',
        condition: '4831C0',
        code: '90',
        script: 'print($context);',
      }).success,
    ).toBe(true);
  });

  it('refuses unknown fields, a second action and wrong types', () => {
    expect(eventBindingSchema.safeParse({ kind: '!syscall', code2: '90' }).success).toBe(false);
    expect(eventBindingSchema.safeParse({ kind: '!syscall', code: ['90', '90'] }).success).toBe(
      false,
    );
    expect(eventBindingSchema.safeParse({ kind: '!syscall', pid: 4 }).success).toBe(false);
    expect(eventBindingSchema.safeParse({ kind: '!syscall', stage: 'middle' }).success).toBe(false);
    expect(eventBindingSchema.safeParse({ kind: '!nosuch' }).success).toBe(false);
    expect(eventBindingSchema.safeParse({}).success).toBe(false);
  });
});
