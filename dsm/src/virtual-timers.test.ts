import { describe, expect, it } from 'vitest';
import { VirtualTimers } from './virtual-timers.js';

describe('VirtualTimers', () => {
  it('fires only when advanced past the due time, in due then registration order', () => {
    const t = new VirtualTimers();
    const ran: string[] = [];
    t.after(2, () => ran.push('b'));
    t.after(1, () => ran.push('a'));
    t.after(2, () => ran.push('c'));
    expect(t.advance(0.5)).toBe(0);
    expect(ran).toEqual([]);
    expect(t.advance(2)).toBe(3);
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(t.now()).toBe(2);
    expect(t.waiting).toBe(0);
  });

  it('runs at most `max` due timers per advance, the earliest first', () => {
    const t = new VirtualTimers();
    const ran: string[] = [];
    t.after(1, () => ran.push('a'));
    t.after(2, () => ran.push('b'));
    expect(t.advance(5, 1)).toBe(1);
    expect(ran).toEqual(['a']);
    expect(t.advance(5, 1)).toBe(1);
    expect(ran).toEqual(['a', 'b']);
  });

  it('never goes backwards, and times new timers from the virtual now', () => {
    const t = new VirtualTimers();
    t.advance(10);
    t.advance(3);
    expect(t.now()).toBe(10);
    let fired = false;
    t.after(1, () => { fired = true; });
    t.advance(10.5);
    expect(fired).toBe(false);
    t.advance(11);
    expect(fired).toBe(true);
  });
});
