import { describe, expect, it } from 'vitest';
import { LinkLanes } from './link-lanes.js';

const drain = (l: LinkLanes<string>) => {
  const out: string[] = [];
  for (let f = l.shift(); f !== undefined; f = l.shift()) out.push(f);
  return out;
};

describe('LinkLanes', () => {
  it('sends a fault frame ahead of bulk frames queued before it', () => {
    const l = new LinkLanes<string>();
    for (let u = 1; u <= 64; u++) l.push(u, `prefetch ${u}`, 'bulk');
    l.push(0, 'page 0 (bulk reply)', 'bulk');
    l.push(100, 'page 100', 'fault');
    const out = drain(l);
    expect(out[0]).toBe('page 100');
    expect(out.slice(1)).toEqual([...Array.from({ length: 64 }, (_, i) => `prefetch ${i + 1}`), 'page 0 (bulk reply)']);
  });

  it('keeps per-unit order: a fault frame for a unit with bulk queued goes behind it', () => {
    const l = new LinkLanes<string>();
    l.push(5, 'invalidate 5 v1', 'fault');
    l.push(5, 'prefetch 5', 'bulk');
    l.push(5, 'invalidate 5 v2', 'fault');
    l.push(6, 'page 6', 'fault');
    expect(drain(l)).toEqual(['invalidate 5 v1', 'page 6', 'prefetch 5', 'invalidate 5 v2']);
  });

  it('a unit goes back to the fault lane once its bulk frames have left', () => {
    const l = new LinkLanes<string>();
    l.push(7, 'push 7', 'bulk');
    l.push(8, 'update 8', 'bulk');
    expect(l.shift()).toBe('push 7');
    l.push(7, 'page 7', 'fault');
    expect(drain(l)).toEqual(['page 7', 'update 8']);
    expect(l.length).toBe(0);
  });

  it('is FIFO when every frame takes one lane', () => {
    const l = new LinkLanes<string>();
    ['a', 'b', 'c'].forEach((f, i) => l.push(i % 2, f, 'fault'));
    expect(drain(l)).toEqual(['a', 'b', 'c']);
  });
});
