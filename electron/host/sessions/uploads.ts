// Files the renderer uploads for import (browser mode has no file paths): written chunk by chunk
// in order under the sessions folder's `.uploads/`, bounded in size, removed once imported or
// discarded. Each host process has its own folder; folders of processes that are gone are
// removed at start. Host side.
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/result';
import { processAlive } from '../store/records/sessionMeta';

/** Largest upload, bytes: far above any real transcript, below filling a disk by mistake. */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024 * 1024;
/** Uploads in progress at once. */
const MAX_UPLOADS = 4;

interface Upload {
  readonly id: string;
  readonly fileName: string;
  readonly path: string;
  readonly bytes: number;
  received: number;
}

export class Uploads {
  private readonly uploads = new Map<string, Upload>();
  private readonly dir: string;

  constructor(root: string) {
    this.dir = join(root, String(process.pid));
    // Left by hosts that stopped mid-upload: nobody can finish them.
    try {
      for (const n of readdirSync(root))
        if (/^\d+$/.test(n) && (Number(n) === process.pid || !processAlive(Number(n))))
          rmSync(join(root, n), { recursive: true, force: true });
    } catch {
      // No uploads folder yet.
    }
  }

  begin(fileName: string, bytes: number): { uploadId: string } {
    if (bytes > MAX_UPLOAD_BYTES)
      throw new AppError(
        'invalid-input',
        `${fileName} is ${(bytes / 2 ** 30).toFixed(1)} GiB; imports take at most ${MAX_UPLOAD_BYTES / 2 ** 30} GiB`,
        'bytes',
      );
    if (this.uploads.size >= MAX_UPLOADS)
      throw new AppError('conflict', `${MAX_UPLOADS} uploads are running already`);
    mkdirSync(this.dir, { recursive: true });
    const id = `u${randomBytes(8).toString('hex')}`;
    const path = join(this.dir, `${id}.part`);
    rmSync(path, { force: true });
    appendFileSync(path, new Uint8Array(0));
    this.uploads.set(id, { id, fileName: fileName.slice(0, 255), path, bytes, received: 0 });
    return { uploadId: id };
  }

  chunk(uploadId: string, offset: number, base64: string): { received: number } {
    const u = this.get(uploadId);
    if (offset !== u.received)
      throw new AppError(
        'conflict',
        `upload ${uploadId} expects the chunk at ${u.received}, not ${offset}`,
        'offset',
      );
    const data = Buffer.from(base64, 'base64');
    if (u.received + data.length > u.bytes)
      throw new AppError('invalid-input', `upload ${uploadId} is longer than announced`, 'data');
    appendFileSync(u.path, data);
    u.received += data.length;
    return { received: u.received };
  }

  /** The complete upload's file and original name. */
  finished(uploadId: string): { path: string; name: string } {
    const u = this.get(uploadId);
    if (u.received !== u.bytes || statSync(u.path).size !== u.bytes)
      throw new AppError(
        'conflict',
        `upload ${uploadId} is incomplete (${u.received} of ${u.bytes} bytes)`,
        'uploadId',
      );
    return { path: u.path, name: u.fileName };
  }

  discard(uploadId: string): void {
    const u = this.uploads.get(uploadId);
    if (u === undefined) return;
    this.uploads.delete(uploadId);
    rmSync(u.path, { force: true });
  }

  private get(uploadId: string): Upload {
    const u = this.uploads.get(uploadId);
    if (u === undefined) throw new AppError('not-found', `no upload ${uploadId}`, 'uploadId');
    return u;
  }

  dispose(): void {
    for (const id of [...this.uploads.keys()]) this.discard(id);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
