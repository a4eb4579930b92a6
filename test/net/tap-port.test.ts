/**
 * TapPort (node-agent/src/net/tap-port.ts) against a real TAP in a network
 * namespace this test creates (TapLab): a frame sent through it reaches the
 * namespace's stack (an ARP request for the TAP's host side) and the
 * stack's answer comes back through onFrame. Needs root and /dev/net/tun
 * (skipped with the reason otherwise); nothing leaves the namespace.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TapLab } from '@unum/lab';
import { TapError, TapPort } from '@unum/node-agent';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tap-arp.mjs');
const reason = TapLab.problem();
if (reason) console.warn(`test/net/tap-port.test.ts: the TAP case is skipped: ${reason}`);

describe('TapPort names', () => {
  it('refuses names the kernel would not take, before touching /dev/net/tun', () => {
    for (const bad of ['', 'a-name-that-is-too-long', 'tap 0', 'tap/0', '..']) {
      expect(() => TapPort.open(bad)).toThrow(TapError);
    }
  });
});

describe.skipIf(!!reason)('TapPort on a TAP in a namespace', () => {
  let lab: TapLab | undefined;
  afterAll(() => {
    lab?.close();
    expect(lab?.exists()).toBe(false);
  });

  it('sends an ARP request to the namespace stack and receives its reply', () => {
    lab = TapLab.open('tapport');
    const argv = lab.argv([process.execPath, FIXTURE, lab.ifname, lab.hostAddr]);
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual({ ok: true, sender: lab.hostAddr, to: '52:54:00:12:34:56', framesOut: 1 });
  });
});
