import net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { HealthClient, HealthService } from '@unum/protos/cluster';
import { afterEach, describe, expect, it } from 'vitest';
import { listenGuarded, type GuardedListener } from './guarded-listen.js';

const IDLE = 300;

/** Open `n` sockets that never say a byte; resolves with the ms at which each closed (or -1 while still open). */
function idleSockets(port: number, n: number): { closedAt: number[]; all: net.Socket[] } {
  const t0 = Date.now();
  const closedAt = new Array<number>(n).fill(-1);
  const all = Array.from({ length: n }, (_, i) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    s.on('close', () => { closedAt[i] = Date.now() - t0; });
    return s;
  });
  return { closedAt, all };
}

const check = (c: HealthClient): Promise<string> => new Promise((res, rej) =>
  c.check({}, { deadline: Date.now() + 10_000 }, (e, r) => (e ? rej(e) : res(r!.role))));

describe('listenGuarded', () => {
  let server: grpc.Server | undefined;
  let door: GuardedListener | undefined;
  afterEach(() => { door?.close(); server?.forceShutdown(); });

  it(`closes ${IDLE} silent sockets (over the pending cap at once, the rest after firstByteMs) while a real client still works`, async () => {
    server = new grpc.Server();
    server.addService(HealthService, { check: (_c: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, { role: 'ok', name: 'x' }) });
    door = await listenGuarded(server, '127.0.0.1:0', { firstByteMs: 1000, maxPending: 64 });
    const { closedAt, all } = idleSockets(door.port, IDLE);
    const client = new HealthClient(`127.0.0.1:${door.port}`, grpc.credentials.createInsecure());
    try {
      // The pending cap is full now: a client may be turned away until the silent ones time out; it gets in within ~2 s.
      const t0 = Date.now();
      let role = '';
      while (!role && Date.now() - t0 < 15_000) role = await check(client).catch(() => '');
      expect(role).toBe('ok');
      const end = Date.now() + 15_000;
      while (closedAt.some((t) => t < 0) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(closedAt.filter((t) => t < 0)).toHaveLength(0);
      expect(Math.max(...closedAt)).toBeLessThan(10_000); // firstByteMs + slack for a loaded machine
      expect(door.turnedAway).toBeGreaterThanOrEqual(IDLE);
      expect(await check(client)).toBe('ok'); // an established channel is not disturbed
    } finally {
      client.close();
      for (const s of all) s.destroy();
    }
  });
});
