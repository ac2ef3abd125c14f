// The renderer's cache of log rows by position: fixed-size pages, least recently used evicted
// past a cap, so memory is bounded by what the user looks at, never by the session's length.
// Positions that were never sent (gaps) stay empty until a page fetch fills them. Pure.
import type { LogRow } from '../../../shared/contract/log';

/** Rows per page: two screenfuls; one fetch fills a page. */
export const PAGE_ROWS = 100;
/** Pages kept: ~6,000 rows (a few MB), plenty for scrolling back and forth. */
export const MAX_CACHED_PAGES = 60;

export class PageCache {
  private pages = new Map<number, (LogRow | undefined)[]>();

  constructor(
    readonly pageRows = PAGE_ROWS,
    readonly maxPages = MAX_CACHED_PAGES,
  ) {}

  get size(): number {
    return this.pages.size;
  }

  /** The row at a position, if cached (reading does not reorder; `touch` does). */
  get(pos: number): LogRow | undefined {
    const p = Math.floor(pos / this.pageRows);
    const page = this.pages.get(p);
    if (page === undefined) return undefined;
    return page[pos - p * this.pageRows];
  }

  /** Stores rows at positions offset.. (they may span pages), then evicts beyond the cap. */
  put(offset: number, rows: readonly LogRow[], keep?: (page: number) => boolean): void {
    for (let i = 0; i < rows.length; i++) {
      const pos = offset + i;
      const p = Math.floor(pos / this.pageRows);
      let page = this.pages.get(p);
      if (page === undefined) page = new Array<LogRow | undefined>(this.pageRows);
      else this.pages.delete(p); // re-inserted below: most recently used
      page[pos - p * this.pageRows] = rows[i];
      this.pages.set(p, page);
    }
    this.evict(keep);
  }

  /** Marks pages as recently used (the ones on screen), so eviction spares them. */
  touch(firstPage: number, lastPage: number): void {
    for (let p = firstPage; p <= lastPage; p++) {
      const page = this.pages.get(p);
      if (page !== undefined) {
        this.pages.delete(p);
        this.pages.set(p, page);
      }
    }
  }

  /** Whether every position in [from, to) is cached. */
  complete(from: number, to: number): boolean {
    for (let pos = from; pos < to; pos++) if (this.get(pos) === undefined) return false;
    return true;
  }

  clear(): void {
    this.pages = new Map();
  }

  private evict(keep?: (page: number) => boolean): void {
    if (this.pages.size <= this.maxPages) return;
    for (const p of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break;
      if (keep?.(p)) continue;
      this.pages.delete(p);
    }
  }
}
