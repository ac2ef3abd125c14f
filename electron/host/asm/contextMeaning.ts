// What the Context value (R8 in custom code, RDX in condition code) means for an event kind, as
// the shared event catalog states it (spec §3.8, §11.2). Host side, pure.
import { eventKindInfo } from '../../../shared/model/eventCatalog';
import type { EventKind } from '../../../shared/model/eventKinds';

/** `Context (!syscall): RAX at the SYSCALL instruction: ...`, or a generic text without a kind. */
export function contextMeaning(kind: EventKind | null): string {
  return kind === null
    ? 'Context (its meaning depends on the event)'
    : `Context (${kind}): ${eventKindInfo(kind).context}`;
}
