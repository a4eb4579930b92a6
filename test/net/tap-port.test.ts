/**
 * TapPort (node-agent/src/net/tap-port.ts) against a real TAP in a network
 * namespace this test creates: a frame sent through it reaches the
 * namespace's stack (an ARP request) and the stack's answer comes back
 * through onFrame. Needs root and /dev/net/tun (skipped with the reason
 * otherwise); nothing leaves the namespace.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TapError, TapPort } from '@unum/node-agent';
import { addNetns, netnsProblem, ourNetns, removeAllNetns } from './support/netns.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tap-arp.mjs');
const reason = netnsProblem();
if (reason) console.log(`test/net/tap-port.test.ts skipped: ${reason}`);

describe('TapPort names', () => {
  it('refuses names the kernel would not take, before touching /dev/net/tun', () => {
    for (const bad of ['', 'a-name-that-is-too-long', 'tap 0', 'tap/0', '..']) {
      expect(() => TapPort.open(bad)).toThrow(TapError);
    }
  });
});

describe.skipIf(!!reason)('TapPort on a TAP in a namespace', () => {
  afterAll(() => {
    removeAllNetns();
    expect(ourNetns()).toEqual([]);
  });

  it('sends an ARP request to the namespace stack and receives its reply', () => {
    const ns = addNetns('tap');
    const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, FIXTURE, 'utap0', '10.78.0.1'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout.trim());
    expect(out).toEqual({ ok: true, sender: '10.78.0.1', to: '52:54:00:12:34:56', framesOut: 1 });
  });
});
