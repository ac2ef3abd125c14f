// The steps of importing a file from the renderer: upload a picked file in chunks (browser mode
// has no file paths), scan it, import it with the user's choices, following each job's progress
// and cancelling it. Renderer only; the UI is ImportDialog.
import type { HostClient } from '../../../shared/contract/client';
import type { AppErrorShape } from '../../../shared/contract/result';
import {
  UPLOAD_CHUNK_BYTES,
  type ImportPlan,
  type ImportResult,
  type JobProgress,
} from '../../../shared/contract/sessions';

export class ImportError extends Error {
  constructor(readonly error: AppErrorShape) {
    super(error.message);
  }
}

let jobsStarted = 0;

/** A fresh id for a job this window starts. */
export function newJobId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${(++jobsStarted).toString(36)}`;
}

/** Bytes as base64 in slices, so a 1 MiB chunk never becomes one giant argument list. */
export function toBase64(bytes: Uint8Array): string {
  const SLICE = 0x8000;
  let s = '';
  for (let i = 0; i < bytes.length; i += SLICE)
    s += String.fromCharCode(...bytes.subarray(i, i + SLICE));
  return btoa(s);
}

/** Where the file to import is: uploaded from the picker, or a path on the host's machine. */
export type ImportSource = { readonly uploadId: string } | { readonly path: string };

/** Uploads a picked file chunk by chunk; `cancelled()` stops it (the upload is discarded). */
export async function uploadFile(
  host: HostClient,
  file: File,
  progress: (done: number, of: number) => void,
  cancelled: () => boolean,
): Promise<ImportSource> {
  const begin = await host.call('sessions:upload-begin', {
    fileName: file.name,
    bytes: file.size,
  });
  if (!begin.ok) throw new ImportError(begin.error);
  const uploadId = begin.value.uploadId;
  for (let offset = 0; offset < file.size; offset += UPLOAD_CHUNK_BYTES) {
    if (cancelled()) {
      void host.call('sessions:upload-discard', { uploadId });
      throw new ImportError({ code: 'cancelled', message: 'the upload was cancelled' });
    }
    const slice = file.slice(offset, Math.min(file.size, offset + UPLOAD_CHUNK_BYTES));
    const data = toBase64(new Uint8Array(await slice.arrayBuffer()));
    const r = await host.call('sessions:upload-chunk', { uploadId, offset, data });
    if (!r.ok) {
      void host.call('sessions:upload-discard', { uploadId });
      throw new ImportError(r.error);
    }
    progress(r.value.received, file.size);
  }
  progress(file.size, file.size);
  return { uploadId };
}

/** Follows one job's progress messages until the returned function is called. */
export function followJob(
  host: HostClient,
  jobId: string,
  on: (p: JobProgress) => void,
): () => void {
  return host.subscribe('sessions:progress', (p) => {
    if (p.jobId === jobId) on(p);
  });
}

export async function scanFile(
  host: HostClient,
  jobId: string,
  source: ImportSource,
): Promise<ImportPlan> {
  const r = await host.call('sessions:import-scan', { jobId, ...source });
  if (!r.ok) throw new ImportError(r.error);
  return r.value;
}

export async function importFile(
  host: HostClient,
  jobId: string,
  source: ImportSource,
  mapping: readonly { generation: number; eventId: number; actionId: string | null }[],
  label: string,
): Promise<ImportResult> {
  const r = await host.call('sessions:import', {
    jobId,
    ...source,
    mapping: [...mapping],
    ...(label.trim() !== '' ? { label: label.trim() } : {}),
  });
  if (!r.ok) throw new ImportError(r.error);
  return r.value;
}
