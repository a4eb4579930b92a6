import type { DeliveryScheduler } from '../memory-transport.js';
import type { NodeTimers } from '../options.js';

/** mulberry32: a small, fast, seedable PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs every pending event (message delivery, handshake completion, deferred
 * work, vCPU step) one at a time in a seeded random order, so a seed is one
 * reproducible interleaving. Per-pair message order still holds because a
 * delivery event moves the *head* of its channel.
 */
export class SeededScheduler implements DeliveryScheduler {
  readonly random: () => number;
  private events: Array<() => void> = [];
  steps = 0;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  post(_channel: string, deliverNext: () => void): void {
    this.events.push(deliverNext);
  }

  add(fn: () => void): void {
    this.events.push(fn);
  }

  /** Timers for DsmNode: deferred work and hold timers become events too; each step is 10 µs of virtual time. */
  timers(): NodeTimers {
    return { defer: (fn) => this.add(fn), after: (_ms, fn) => this.add(fn), now: () => this.steps * 0.01 };
  }

  /** A revocation handshake that completes at a random later point. */
  handshake = (): Promise<void> => new Promise((resolve) => this.add(resolve));

  pending(): number {
    return this.events.length;
  }

  /** Runs one event and lets every promise chain it started settle. False when nothing is left. */
  async step(): Promise<boolean> {
    if (this.events.length === 0) return false;
    const i = Math.floor(this.random() * this.events.length);
    const fn = this.events[i];
    this.events[i] = this.events[this.events.length - 1];
    this.events.pop();
    this.steps++;
    fn();
    await new Promise((r) => setImmediate(r));
    return true;
  }
}
