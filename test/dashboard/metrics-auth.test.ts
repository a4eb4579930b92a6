/**
 * /metrics counters rise while a 2-node guest runs; bound beyond 127.0.0.1
 * (here 127.0.0.2) the dashboard refuses HTTP and WebSocket clients without
 * the cluster token and serves those with it; on 127.0.0.1 a WebSocket
 * from a foreign Origin is refused.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startDashboardRun, waitFor } from './dashboard-run.js';

/** Sum of a metric's samples (all label sets) in Prometheus text. */
function total(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(`${name}{`)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

/** Resolves with the first message, or rejects with the refusal (HTTP status). */
function firstMessage(url: string, headers: Record<string, string> = {}): Promise<{ type: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const timer = setTimeout(() => { ws.terminate(); reject(new Error('no answer')); }, 10_000);
    ws.on('message', (d) => { clearTimeout(timer); ws.close(); resolve(JSON.parse(String(d)) as { type: string }); });
    ws.on('unexpected-response', (_req, res) => { clearTimeout(timer); reject(new Error(`HTTP ${res.statusCode}`)); });
    ws.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

describe('dashboard /metrics and access', () => {
  it('counters rise while the guest runs', async () => {
    const run = await startDashboardRun('guest/bin/pingpong.elf', ['rounds=1000000']);
    try {
      const scrape = async (): Promise<string> => (await fetch(`${run.url}metrics`)).text();
      const first = await waitFor('a first sample', async () => {
        const t = await scrape();
        return total(t, 'unum_vcpu_instructions_total') > 0 ? t : undefined;
      });
      expect(first).toContain('# TYPE unum_dsm_fault_latency_seconds histogram');
      expect(first).toMatch(/unum_node_up\{vm="[0-9a-f]+",node="1",name="node1"\} 1/);
      expect(first).toMatch(/unum_vcpu_state\{[^}]*hart="1",state="\w+"\} 1/);
      const faults = (t: string): number => total(t, 'unum_dsm_read_faults_total') + total(t, 'unum_dsm_write_faults_total');
      const later = await waitFor('counters to rise', async () => {
        const t = await scrape();
        return faults(t) > faults(first) && total(t, 'unum_vcpu_instructions_total') > total(first, 'unum_vcpu_instructions_total')
          && total(t, 'unum_dsm_bytes_sent_total') > total(first, 'unum_dsm_bytes_sent_total') ? t : undefined;
      });
      expect(total(later, 'unum_dsm_fault_latency_seconds_count')).toBeGreaterThan(0);
    } finally {
      await run.stop();
    }
  }, 90_000);

  it('beyond 127.0.0.1 refuses clients without the cluster token', async () => {
    const token = 'dashboard-test-token-1234';
    const run = await startDashboardRun('guest/bin/echo.elf', [], { nodes: 1, vcpus: 1, dashboard: '127.0.0.2:0', env: { UNUM_TOKEN: token } });
    try {
      expect(run.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/\?token=<UNUM_TOKEN>$/);
      const base = run.url.replace(/\?token=.*$/, '');
      const wsUrl = `${base.replace('http', 'ws')}ws`;
      await expect(firstMessage(wsUrl)).rejects.toThrow('HTTP 401');
      await expect(firstMessage(`${wsUrl}?token=wrong-token-5678`)).rejects.toThrow('HTTP 401');
      expect((await fetch(`${base}metrics`)).status).toBe(401);
      expect((await fetch(base)).status).toBe(401);
      expect((await firstMessage(`${wsUrl}?token=${token}`)).type).toBe('hello');
      expect((await firstMessage(wsUrl, { cookie: `unum_token=${token}` })).type).toBe('hello');
      const page = await fetch(`${base}?token=${token}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('set-cookie')).toContain('HttpOnly');
      expect((await fetch(`${base}metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await run.stop();
    }
  }, 90_000);

  it('on 127.0.0.1 refuses a WebSocket from another origin', async () => {
    const run = await startDashboardRun('guest/bin/echo.elf', [], { nodes: 1, vcpus: 1 });
    try {
      const wsUrl = `${run.url.replace('http', 'ws')}ws`;
      await expect(firstMessage(wsUrl, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 401');
      expect((await firstMessage(wsUrl, { origin: run.url.replace(/\/$/, '') })).type).toBe('hello');
    } finally {
      await run.stop();
    }
  }, 90_000);
});
