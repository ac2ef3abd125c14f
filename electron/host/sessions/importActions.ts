// The library's record actions in the shape an import matches and decodes with. Host side.
import type { RecordAction } from '../library/libraryService';
import type { ImportAction } from './importer';

export function importActionsOf(actions: readonly RecordAction[]): ImportAction[] {
  return actions.map((a) => ({
    id: a.id,
    name: a.name,
    kind: a.kind,
    codeHex: a.codeHex,
    script: a.script,
    fields: a.bufferSchema.map((f) => f.name),
    bufferSchema: a.bufferSchema,
  }));
}
