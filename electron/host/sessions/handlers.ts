// Contract handlers of the `sessions` domain: thin calls into the sessions service and the job
// registry (progress and cancel of imports and exports). Host side.
import type { DomainHandlers } from '../../../shared/contract/dispatch';
import type { sessionsMethods } from '../../../shared/contract/sessions';
import type { Jobs } from './jobs';
import type { SessionsService } from './sessionsService';

export function sessionsHandlers(
  sessions: SessionsService,
  jobs: Jobs,
): DomainHandlers<typeof sessionsMethods> {
  return {
    'sessions:list': () => sessions.list(),
    'sessions:show': ({ id }) => sessions.show(id),
    'sessions:open': ({ id }) => sessions.open(id),
    'sessions:close': ({ id }) => {
      sessions.close(id);
      return null;
    },
    'sessions:delete': ({ ids }) => sessions.delete(ids),
    'sessions:get-retention': () => sessions.getRetention(),
    'sessions:set-retention': ({ policy }) => sessions.setRetention(policy),
    'sessions:upload-begin': ({ fileName, bytes }) => sessions.uploadsStore.begin(fileName, bytes),
    'sessions:upload-chunk': ({ uploadId, offset, data }) =>
      sessions.uploadsStore.chunk(uploadId, offset, data),
    'sessions:upload-discard': ({ uploadId }) => {
      sessions.uploadsStore.discard(uploadId);
      return null;
    },
    'sessions:import-scan': (input) => sessions.scan(input),
    'sessions:import': (input) => sessions.import(input),
    'sessions:cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
  };
}
