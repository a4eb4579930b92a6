// DNS rebinding: a page on evil.example whose name resolves to 127.0.0.1
// reaches a loopback dashboard with `Host: evil.example:PORT` and a matching
// Origin. The dashboard must refuse it, over HTTP (421) and WebSocket (403),
// and still serve the names that are this server.
import { request } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardServer } from './dashboard-server.js';
import { HostCheck, hostName } from './host-check.js';

const logger = pino({ level: 'silent' });

/** One HTTP request to 127.0.0.1:port with the given headers: the status and, for an upgrade, 101. */
function send(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, setHost: false }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => { body += b.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve({ status: res.statusCode ?? 0, body: '' }); });
    req.on('error', reject);
    req.end();
  });
}

const upgrade = (host: string): Record<string, string> => ({
  host, origin: `http://${host}`, connection: 'Upgrade', upgrade: 'websocket',
  'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
});

describe('dashboard Host check (DNS rebinding)', () => {
  let dash: DashboardServer;
  let port: number;
  beforeAll(async () => {
    dash = await DashboardServer.start({ address: '127.0.0.1:0', vms: () => [], logger, status: () => ({ members: [] }) });
    port = dash.port;
  });
  afterAll(() => dash.close());

  it('HTTP: a foreign Host gets 421, the API does not answer', async () => {
    const r = await send(port, '/api/status', { host: `evil.example:${port}` });
    expect(r.status).toBe(421);
    expect(r.body).not.toContain('members');
    expect((await send(port, '/', { host: `evil.example:${port}` })).status).toBe(421);
    const bare = await send(port, '/api/status', {}); // Node itself answers 400 to HTTP/1.1 without Host
    expect([400, 421], 'no Host header at all').toContain(bare.status);
  });

  it('HTTP: localhost, 127.0.0.1 and [::1] are served', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
      const r = await send(port, '/api/status', { host });
      expect(r.status, host).toBe(200);
      expect(r.body).toContain('members');
    }
  });

  it('WebSocket: a foreign Host with a matching Origin is refused (403), the loopback name upgrades (101)', async () => {
    expect((await send(port, '/ws', upgrade(`evil.example:${port}`))).status).toBe(403);
    expect((await send(port, '/ws', upgrade(`localhost:${port}`))).status).toBe(101);
  });

  it('names given by the operator (--dashboard-host) are served, others still refused', async () => {
    const named = await DashboardServer.start({ address: '127.0.0.1:0', vms: () => [], logger, allowedHosts: ['unum.lan'] });
    try {
      expect((await send(named.port, '/api/vms', { host: `unum.lan:${named.port}` })).status).toBe(200);
      expect((await send(named.port, '/ws', upgrade(`unum.lan:${named.port}`))).status).toBe(101);
      expect((await send(named.port, '/api/vms', { host: `evil.example:${named.port}` })).status).toBe(421);
    } finally {
      await named.close();
    }
  });
});

describe('HostCheck', () => {
  it('parses Host headers: name, port, brackets, case, trailing dot; malformed is undefined', () => {
    expect(hostName('Example.COM.:80')).toBe('example.com');
    expect(hostName('[::1]:7780')).toBe('::1');
    expect(hostName('[::1]x')).toBeUndefined();
    expect(hostName('a b')).toBeUndefined();
    expect(hostName('user@evil:80')).toBeUndefined();
    expect(hostName('')).toBeUndefined();
  });

  it('bound to one address: loopback names and that address; bound to all: any IP literal, but no other name', () => {
    const one = new HostCheck('10.0.0.5');
    expect(one.allows('10.0.0.5:7780')).toBe(true);
    expect(one.allows('127.0.0.1')).toBe(true);
    expect(one.allows('10.0.0.6:7780')).toBe(false);
    expect(one.allows('evil.example')).toBe(false);
    const all = new HostCheck('0.0.0.0', ['box.lan']);
    expect(all.allows('192.168.1.20:7780')).toBe(true);
    expect(all.allows('[fe80::1]:7780')).toBe(true);
    expect(all.allows('box.lan:7780')).toBe(true);
    expect(all.allows('evil.example:7780')).toBe(false);
    expect(all.allows(undefined)).toBe(false);
  });
});
