// Files in and out of the browser sandbox: a hidden <input type=file> to read what the user
// picks, and a Blob download to save what the app exports. Works the same under Electron.
// Renderer only.
import { MAX_IMPORT_BYTES } from '../../../shared/model/actionExport';
import { decodeImportBytes } from '../../../shared/model/importText';

export interface PickedFile {
  readonly name: string;
  readonly content: string;
}

/**
 * Reads a File the user picked, refusing one too big to import before reading it, and one that
 * is not text, before it is sent: the host would refuse both, and a file far over the limit
 * would not even fit in one message to the web host.
 */
export async function readPickedFile(file: File): Promise<PickedFile> {
  if (file.size > MAX_IMPORT_BYTES)
    throw new Error(
      `${file.name} is ${(file.size / 1048576).toFixed(1)} MiB; the import limit is ${MAX_IMPORT_BYTES / 1048576} MiB`,
    );
  // Decoded strictly: File.text() would turn bytes that are not UTF-8 into U+FFFD silently.
  const decoded = decodeImportBytes(new Uint8Array(await file.arrayBuffer()));
  if (!decoded.ok) throw new Error(`${file.name}: ${decoded.message}`);
  return { name: file.name, content: decoded.text };
}

/** Offers `content` as a file download named `fileName`. */
export function downloadText(fileName: string, content: string, mime = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([content], { type: `${mime};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by the next task; the URL is no longer needed after that.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
