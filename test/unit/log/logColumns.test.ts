// The live log's column model: every column and its grid track, a stored layout read as hostile
// input, hiding never leaves the table without a column, the header click's sort cycle, and the
// details' hex dump lines (offsets, hex with a gap after 8 bytes, ASCII).
import { describe, expect, it } from 'vitest';
import { hexDumpLines } from '../../../renderer/src/log/format';
import {
  allColumns,
  DEFAULT_LAYOUT,
  gridTemplate,
  MAX_COLUMN_PX,
  MIN_COLUMN_PX,
  minRowWidth,
  nextSort,
  parseLayout,
  visibleColumns,
  withoutWidth,
  withToggled,
  withWidth,
} from '../../../renderer/src/log/logColumns';

describe('log columns', () => {
  const all = allColumns(['ImageFileName', 'Size']);

  it('lists the fixed columns, one per decoded field, then the bytes', () => {
    expect(all.map((c) => c.id)).toEqual([
      'time',
      'event',
      'core',
      'context',
      'action',
      'field:ImageFileName',
      'field:Size',
      'data',
    ]);
    expect(all.find((c) => c.id === 'data')?.sort).toBeNull();
    expect(all.find((c) => c.id === 'field:Size')?.sort).toBe('field:Size');
  });

  it('makes a dragged width a fixed track and counts it in the row’s minimum width', () => {
    const cols = visibleColumns(all, DEFAULT_LAYOUT);
    const wide = withWidth(DEFAULT_LAYOUT, 'action', 400);
    expect(gridTemplate(cols, wide).split(' ')).toContain('400px');
    expect(minRowWidth(cols, wide) - minRowWidth(cols, DEFAULT_LAYOUT)).toBe(400 - 110);
    expect(withWidth(DEFAULT_LAYOUT, 'core', 1).widths.core).toBe(MIN_COLUMN_PX);
    expect(withWidth(DEFAULT_LAYOUT, 'core', 1e9).widths.core).toBe(MAX_COLUMN_PX);
    expect(withoutWidth(wide, 'action').widths).toEqual({});
  });

  it('hides and shows columns, never the last one', () => {
    let layout = DEFAULT_LAYOUT;
    for (const c of all) layout = withToggled(layout, c.id, all);
    expect(visibleColumns(all, layout).map((c) => c.id)).toEqual(['data']);
    layout = withToggled(layout, 'core', all);
    expect(visibleColumns(all, layout).map((c) => c.id)).toEqual(['core', 'data']);
  });

  it('reads a stored layout as hostile input', () => {
    for (const bad of [null, '', 'not json', '42', '[]', '{"hidden":"core"}', 'null'])
      expect(parseLayout(bad), String(bad)).toEqual(DEFAULT_LAYOUT);
    expect(
      parseLayout(
        JSON.stringify({
          hidden: ['core', 'core', 7, '', 'x'.repeat(500)],
          widths: { action: 300, core: -5, time: 'wide', event: 1e12, [`${'y'.repeat(300)}`]: 100 },
        }),
      ),
    ).toEqual({
      hidden: ['core'],
      widths: { action: 300, core: MIN_COLUMN_PX, event: MAX_COLUMN_PX },
    });
  });

  it('cycles a header click: ascending, descending, arrival order', () => {
    expect(nextSort(null, 'core')).toEqual({ column: 'core', dir: 'asc' });
    expect(nextSort({ column: 'core', dir: 'asc' }, 'core')).toEqual({
      column: 'core',
      dir: 'desc',
    });
    expect(nextSort({ column: 'core', dir: 'desc' }, 'core')).toBeNull();
    expect(nextSort({ column: 'core', dir: 'desc' }, 'event')).toEqual({
      column: 'event',
      dir: 'asc',
    });
  });
});

describe('hexDumpLines', () => {
  it('gives offsets, hex with a gap after 8 bytes, and printable ASCII', () => {
    // Every line is as wide as a full one (16 x 3 - 1 + the gap = 48), so ASCII stays aligned.
    const hex = Array.from({ length: 20 }, (_, i) => (0x3c + i).toString(16)).join('');
    expect(hexDumpLines(hex, 16)).toEqual([
      {
        offset: '0000',
        hex: '3c 3d 3e 3f 40 41 42 43  44 45 46 47 48 49 4a 4b',
        ascii: '<=>?@ABCDEFGHIJK',
      },
      { offset: '0010', hex: `4c 4d 4e 4f${' '.repeat(37)}`, ascii: 'LMNO' },
    ]);
    expect(hexDumpLines('00ff7f20', 8)).toEqual([
      { offset: '0000', hex: `00 ff 7f 20${' '.repeat(12)}`, ascii: '... ' },
    ]);
    expect(hexDumpLines(hex, 16).map((l) => l.hex.length)).toEqual([48, 48]);
    expect(hexDumpLines('', 16)).toEqual([]);
  });
});
