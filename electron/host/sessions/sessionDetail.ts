// One session described for `sessions:show` and `hyperdbg-studio sessions show`: its events with
// what the target delivered and lost per event and core, its actions, marks, transcripts, notes
// and the count tables it kept. A past session's loss is counted from its records (pastLoss.ts);
// the live session's comes from its own counters. Host side.
import type { SessionDetail, SessionSummary } from '../../../shared/contract/sessions';
import type { LogService } from '../log/logService';
import { eventLoss } from '../log/pastLoss';
import { pastEvents, type SessionLog } from '../log/sessionLog';
import { markRows } from '../store/records/recordReports';
import { RECORD_DB_VERSION } from '../store/records/recordSchema';
import { META, metaList, metaMap, metaText } from '../store/records/sessionMeta';

/** A past session (opened read-only) described, its loss counted from its records. */
export async function pastDetail(
  log: SessionLog,
  summary: SessionSummary,
  maxEvents: number,
  maxMarks: number,
): Promise<SessionDetail> {
  const meta = log.metaTable;
  const commands = metaMap(meta, META.commands);
  const stats = await log.getStats();
  const loss = await log.loss();
  const store = log.recordStore;
  return {
    ...summary,
    targetLost: loss.unknownBecause === null ? loss.targetLost : null,
    appVersion: metaText(meta, META.appVersion),
    events: pastEvents(store, meta, maxEvents).map((e) => {
      const l = eventLoss(loss, e.generation, e.eventId);
      return {
        generation: e.generation,
        eventId: e.eventId,
        records: e.count,
        actionName: e.actionName,
        command: commands.get(`${e.generation}:${e.eventId}`) ?? null,
        lost: l.lost,
        cores: l.cores,
      };
    }),
    sources: store.sources().map((s) => ({ actionId: s.actionId, actionName: s.actionName })),
    marks: markRows(store, maxMarks),
    transcripts: metaList(meta, META.transcripts),
    notes: metaList(meta, META.notes),
    unsequenced: stats.unsequenced,
    lossUnknown: stats.lossUnknown ?? null,
    layout: store.layout,
    countTables: log.targetCounts().tables,
  };
}

/** The live session described from its own counters (its tables are being written). */
export function liveDetail(
  live: LogService,
  summary: SessionSummary,
  maxEvents: number,
): SessionDetail {
  const stats = live.getStats();
  const meta = live.metaTable;
  const commands = metaMap(meta, META.commands);
  return {
    ...summary,
    appVersion: metaText(meta, META.appVersion),
    events: stats.events.slice(0, maxEvents).map((e) => ({
      generation: e.generation,
      eventId: e.eventId,
      records: e.count,
      actionName: e.actionName,
      command: commands.get(`${e.generation}:${e.eventId}`) ?? null,
      lost: e.lost,
      cores: live.coreLoss(e.generation, e.eventId),
    })),
    sources: stats.sources.map((s) => ({ actionId: s.actionId, actionName: s.actionName })),
    marks: stats.marks,
    transcripts: metaList(meta, META.transcripts),
    notes: metaList(meta, META.notes),
    unsequenced: stats.unsequenced,
    lossUnknown: null,
    layout: RECORD_DB_VERSION,
    countTables: live.targetCounts().tables,
  };
}
