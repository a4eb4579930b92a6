/**
 * TapPort (node-agent/src/net/tap-port.ts) against a real TAP in a network
 * namespace this test creates (TapLab): a frame sent through it reaches the
 * namespace's stack (ARP requests for the TAP's host side) and the
 * stack's answers come back through onFrame, each in its own bytes. Needs root and /dev/net/tun
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

  it('sends ARP requests to the namespace stack and receives each reply, whole and its own', () => {
    lab = TapLab.open('tapport');
    const argv = lab.argv([process.execPath, FIXTURE, lab.ifname, lab.hostAddr]);
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    const net = lab.hostAddr.split('.').slice(0, 3).join('.');
    expect(JSON.parse(r.stdout.trim())).toEqual({
      ok: true, framesOut: 2,
      // a reply kept while the next is read keeps its bytes (TapPort hands out copies, not views of its read buffer)
      replies: [{ sender: lab.hostAddr, target: `${net}.2` }, { sender: lab.hostAddr, target: `${net}.3` }],
    });
  });
});
