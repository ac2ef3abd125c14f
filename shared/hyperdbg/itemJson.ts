// The JSON form of parser items, as the headless CLI's `parse` and `capture` write them (one
// object per line): numbers that HyperDbg prints in hex become hex strings, bytes a hex string.
// Pure.
import { bytesToHex } from '../model/record';
import type { ParserItem } from './items';

export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };
export type ItemJson = { readonly type: ParserItem['type'] } & Readonly<Record<string, JsonValue>>;

const hex = (n: number | bigint): string => n.toString(16);

export function itemToJson(item: ParserItem): ItemJson {
  switch (item.type) {
    case 'record':
      return {
        type: 'record',
        eventId: hex(item.eventId),
        core: hex(item.core),
        // Version 2 lines number each record per event and core (buffer-records.md §2a).
        ...(item.seq !== undefined ? { seq: hex(item.seq) } : {}),
        context: hex(item.context),
        length: hex(item.length),
        bytes: bytesToHex(item.bytes),
      };
    case 'events-row':
      return {
        type: 'events-row',
        id: hex(item.id),
        enabled: item.enabled,
        command: item.command,
        truncated: item.truncated,
      };
    case 'prompt': {
      const { type, mode, text, core, pid, tid, state, arch, host, port } = item;
      return {
        type,
        mode,
        text,
        ...(core !== undefined ? { core: hex(core) } : {}),
        ...(pid !== undefined ? { pid: hex(pid) } : {}),
        ...(tid !== undefined ? { tid: hex(tid) } : {}),
        ...(state !== undefined ? { state } : {}),
        ...(arch !== undefined ? { arch } : {}),
        ...(host !== undefined ? { host } : {}),
        ...(port !== undefined ? { port } : {}),
      };
    }
    case 'pause': {
      const { eventId, breakpointId, ...rest } = item;
      return {
        ...rest,
        ...(eventId !== undefined ? { eventId: hex(eventId) } : {}),
        ...(breakpointId !== undefined ? { breakpointId: hex(breakpointId) } : {}),
      };
    }
    case 'disassembly': {
      const { address, bytes, branch, ...rest } = item;
      return {
        ...rest,
        address: hex(address),
        bytes: bytesToHex(bytes),
        ...(branch !== undefined ? { branch } : {}),
      };
    }
    case 'error':
    case 'status':
      return { type: item.type, code: item.code, text: item.text, args: [...item.args] };
    case 'banner':
    case 'kernel-log':
    case 'echo':
      return { ...item };
    case 'text':
      return { ...item };
  }
}
