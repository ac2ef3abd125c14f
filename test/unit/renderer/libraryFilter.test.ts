// The library pane's search and tag chips.
import { describe, expect, it } from 'vitest';
import type { ActionSummary } from '../../../shared/model/action';
import {
  EMPTY_FILTER,
  filterActions,
  freeName,
  tagCounts,
} from '../../../renderer/src/library/libraryFilter';

const a = (name: string, tags: string[], extra: Partial<ActionSummary> = {}): ActionSummary => ({
  id: name,
  name,
  kind: 'code',
  description: '',
  tags,
  eventKinds: [],
  version: 1,
  updatedAt: 0,
  assembled: true,
  builtin: null,
  deletedAt: null,
  ...extra,
});
const list = [
  a('Rewrite pool tag', ['seed', 'pool'], { eventKinds: ['!epthook2'] }),
  a('ImageFileName', ['seed', 'process'], { description: 'current process name' }),
  a('Old one', ['pool'], { deletedAt: 1 }),
  a('Break', [], { kind: 'break' }),
];

describe('filterActions', () => {
  it('matches every word anywhere (name, description, tags, kind, event kinds)', () => {
    const names = (text: string) =>
      filterActions(list, { ...EMPTY_FILTER, text }).map((x) => x.name);
    expect(names('')).toEqual(['Break', 'ImageFileName', 'Rewrite pool tag']);
    expect(names('process name')).toEqual(['ImageFileName']);
    expect(names('epthook2')).toEqual(['Rewrite pool tag']);
    expect(names('break')).toEqual(['Break']);
    expect(names('nothing here')).toEqual([]);
  });
  it('tag chips must all match; deleted ones only when asked, after the live ones', () => {
    expect(
      filterActions(list, { ...EMPTY_FILTER, tags: ['seed', 'pool'] }).map((x) => x.name),
    ).toEqual(['Rewrite pool tag']);
    expect(
      filterActions(list, { ...EMPTY_FILTER, tags: ['pool'], showDeleted: true }).map(
        (x) => x.name,
      ),
    ).toEqual(['Rewrite pool tag', 'Old one']);
  });
  it('counts tags of live actions, most used first', () => {
    expect(tagCounts(list)).toEqual([
      { tag: 'seed', count: 2 },
      { tag: 'pool', count: 1 },
      { tag: 'process', count: 1 },
    ]);
  });
  it('finds a free name', () => {
    expect(freeName('New', ['new', 'New 2'])).toBe('New 3');
    expect(freeName('Fresh', ['new'])).toBe('Fresh');
  });
});
