/**
 * Who may use the dashboard. Bound to loopback: anyone on this host (as for
 * any local port), but WebSocket upgrades from another origin are refused,
 * so a web page cannot drive the VM through the browser. Bound beyond
 * loopback: every request needs the cluster token, as `?token=` (which also
 * sets an HttpOnly cookie for the page's assets and socket), the
 * `unum_token` cookie, or `Authorization: Bearer`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'unum_token';

/** The addresses served without a token: 127.0.0.1, ::1, localhost (other 127.x addresses need it, as does anything else). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || h === '127.0.0.1';
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function tokenOf(req: IncomingMessage): string | undefined {
  const url = new URL(req.url ?? '/', 'http://x');
  const q = url.searchParams.get('token');
  if (q) return q;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export class DashboardAccess {
  constructor(private readonly token: string | undefined, readonly loopbackOnly: boolean) {}

  /** True when the request may go on. */
  allows(req: IncomingMessage): boolean {
    if (this.loopbackOnly) return true;
    const t = tokenOf(req);
    return t !== undefined && this.token !== undefined && timingSafeEqual(digest(t), digest(this.token));
  }

  /** WebSocket upgrades: the token rule, and the Origin (when sent) must be this server. */
  allowsSocket(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let host: string;
      try { host = new URL(origin).host; } catch { return false; }
      if (host !== req.headers.host) return false;
    }
    return this.allows(req);
  }

  /** Set-Cookie for a request that carried a valid `?token=` (the page's later requests then carry it). */
  cookieFor(req: IncomingMessage): string | undefined {
    if (this.loopbackOnly) return undefined;
    const q = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
    return q ? `${TOKEN_COOKIE}=${encodeURIComponent(q)}; HttpOnly; SameSite=Strict; Path=/` : undefined;
  }
}
