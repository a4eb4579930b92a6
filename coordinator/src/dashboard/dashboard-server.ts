/**
 * The dashboard: HTTP (the page, its assets, uPlot from node_modules,
 * /metrics, /api/vms) and a WebSocket (/ws?vm=ID) per browser, served by
 * the coordinator. Binds 127.0.0.1 by default; any other address needs the
 * cluster token (see access.ts). One VmMonitor per VM it is shown.
 *
 * @example
 *   const dash = await DashboardServer.start({ address: '127.0.0.1:7780', vms: () => [telemetry], logger });
 *   process.stderr.write(`unum: dashboard at ${dash.url}\n`);
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { MachineError } from '../machine-error.js';
import { VmMetrics } from '../metrics/vm-metrics.js';
import { DashboardAccess, isLoopback } from './access.js';
import { HostCheck } from './host-check.js';
import { Session } from './session.js';
import { VmMonitor } from './vm-monitor.js';
import type { VmTelemetry } from '../telemetry/vm-telemetry.js';
import { splitAddress } from './dashboard-address.js';

export interface DashboardOptions {
  /** HOST:PORT (port 0: any free port). */
  address: string;
  /** The cluster token; required when `address` is not loopback. */
  token?: string;
  /** The VMs to show (polled every second; newest last). */
  vms: () => VmTelemetry[];
  logger: Logger;
  /** Cluster members and VMs for /api/status (a standing coordinator). */
  status?: () => unknown;
  /** Host names the dashboard answers to besides loopback and its bound host (see host-check.ts). */
  allowedHosts?: string[];
}

/** Source folder of the page (the same from src/ and dist/). */
const STATIC_DIR = fileURLToPath(new URL('../../src/dashboard/static/', import.meta.url));
const require = createRequire(import.meta.url);
const UPLOT_DIR = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: path.join(STATIC_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  '/app.js': { file: path.join(STATIC_DIR, 'app.js'), type: 'text/javascript; charset=utf-8' },
  '/page-map.js': { file: path.join(STATIC_DIR, 'page-map.js'), type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: path.join(STATIC_DIR, 'app.css'), type: 'text/css; charset=utf-8' },
  '/vendor/uPlot.iife.min.js': { file: path.join(UPLOT_DIR, 'uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  '/vendor/uPlot.min.css': { file: path.join(UPLOT_DIR, 'uPlot.min.css'), type: 'text/css; charset=utf-8' },
};
const POLL_MS = 1000;

export class DashboardServer {
  readonly metrics = new VmMetrics();
  private readonly monitors = new Map<string, VmMonitor>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly poll: NodeJS.Timeout;
  port = 0;

  private constructor(private readonly o: DashboardOptions, private readonly http: Server, private readonly access: DashboardAccess,
    private readonly host: string, private readonly hosts: HostCheck) {
    this.poll = setInterval(() => this.refresh(), POLL_MS);
    this.refresh();
  }

  static async start(o: DashboardOptions): Promise<DashboardServer> {
    const { host, port } = splitAddress(o.address);
    const loopback = isLoopback(host);
    if (!loopback && !o.token) throw new MachineError('bad-config', `the dashboard on ${o.address} (beyond loopback) needs the cluster token: set UNUM_TOKEN`);
    const http = createServer();
    const d = new DashboardServer(o, http, new DashboardAccess(o.token, loopback), host, new HostCheck(host, o.allowedHosts));
    http.on('request', (req, res) => void d.request(req, res));
    http.on('upgrade', (req, socket, head) => {
      if (!d.hosts.allows(req.headers.host)) {
        o.logger.warn({ remote: req.socket.remoteAddress, host: req.headers.host }, 'dashboard refused a WebSocket: Host is not this server (DNS rebinding?)');
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      if (!d.access.allowsSocket(req)) {
        o.logger.warn({ remote: req.socket.remoteAddress }, 'dashboard refused a WebSocket: no cluster token or foreign origin');
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        return;
      }
      d.wss.handleUpgrade(req, socket, head, (ws) => d.connect(ws, req));
    });
    d.port = await new Promise<number>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, host, () => resolve((http.address() as { port: number }).port));
    });
    o.logger.info({ address: `${host}:${d.port}`, token: !loopback }, 'dashboard listening');
    return d;
  }

  /** The address to open (with the token in the query when one is needed). */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${this.port}/${this.access.loopbackOnly ? '' : '?token=<UNUM_TOKEN>'}`;
  }

  private refresh(): void {
    for (const vm of this.o.vms()) {
      const id = vm.info().id;
      if (this.monitors.has(id)) continue;
      const mon = new VmMonitor(vm, this.o.logger);
      mon.onTick((_f, _c, snap) => this.metrics.update(snap));
      this.monitors.set(id, mon);
    }
  }

  private monitor(id: string | null): VmMonitor | undefined {
    this.refresh();
    if (id) return this.monitors.get(id);
    return [...this.monitors.values()].at(-1);
  }

  private async request(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!this.hosts.allows(req.headers.host)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('unum dashboard: the Host header does not name this server (add names with --dashboard-host)\n');
      return;
    }
    if (!this.access.allows(req)) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('unum dashboard: open it with ?token=<the cluster token>\n');
      return;
    }
    const cookie = this.access.cookieFor(req);
    if (cookie) res.setHeader('set-cookie', cookie);
    try {
      if (url.pathname === '/metrics') {
        res.writeHead(200, { 'content-type': this.metrics.contentType }).end(await this.metrics.text());
      } else if (url.pathname === '/api/status' && this.o.status) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.o.status()));
      } else if (url.pathname === '/api/vms') {
        const vms = [...this.monitors.values()].map((m) => m.vm.info());
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(vms));
      } else if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end();
      } else if (ASSETS[url.pathname] && req.method === 'GET') {
        const a = ASSETS[url.pathname]!;
        res.writeHead(200, { 'content-type': a.type, 'cache-control': 'no-cache' }).end(await readFile(a.file));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      }
    } catch (e) {
      this.o.logger.error({ err: e, path: url.pathname }, 'dashboard request failed');
      if (!res.headersSent) res.writeHead(500).end();
    }
  }

  private connect(ws: import('ws').WebSocket, req: IncomingMessage): void {
    const mon = this.monitor(new URL(req.url ?? '/', 'http://x').searchParams.get('vm'));
    if (!mon) {
      ws.close(4004, 'no such VM');
      return;
    }
    new Session(ws, mon, this.o.logger);
  }

  async close(): Promise<void> {
    clearInterval(this.poll);
    for (const m of this.monitors.values()) m.close();
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
  }
}
