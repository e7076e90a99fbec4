import { Lru } from '../../../domain/cache/lru';

describe('Lru', () => {
  it('evicts the least recently used entry, one at a time, past its capacity', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c'), lru.size]).toEqual([undefined, 2, 3, 2]);
  });

  it('keeps an entry that is read, evicting a colder one instead', () => {
    const lru = new Lru<string, number>(2);
    lru.set('hot', 1);
    lru.set('cold', 2);
    lru.get('hot');
    lru.set('new', 3);
    expect([lru.get('hot'), lru.get('cold'), lru.get('new')]).toEqual([1, undefined, 3]);
  });

  it('keeps a hot entry through a flood of new ones that it is read between', () => {
    const lru = new Lru<string, number>(100);
    lru.set('hot', 1);
    for (let i = 0; i < 10_000; i += 1) {
      lru.set(`flood-${i}`, i);
      if (i % 50 === 0) lru.get('hot');
    }
    expect(lru.get('hot')).toBe(1);
    expect(lru.size).toBe(100);
  });

  it('replaces a value without growing', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('a', 2);
    expect([lru.get('a'), lru.size]).toEqual([2, 1]);
  });

  it('deletes one entry, or every entry a predicate selects', () => {
    const lru = new Lru<string, { prefix: string }>(10);
    lru.set('k1', { prefix: 'p' });
    lru.set('k2', { prefix: 'p' });
    lru.set('k3', { prefix: 'q' });
    expect(lru.delete('k3')).toBe(true);
    lru.set('k3', { prefix: 'q' });
    lru.deleteWhere((v) => v.prefix === 'p');
    expect([lru.get('k1'), lru.get('k2'), lru.get('k3')]).toEqual([undefined, undefined, { prefix: 'q' }]);
  });

  it('refuses a capacity below one', () => {
    expect(() => new Lru(0)).toThrow(/capacity/);
  });
});
