/**
 * DNS rebinding defence: a request's Host header must name this server. A
 * web page on evil.example can make its own name resolve to 127.0.0.1 and
 * then talk to a loopback dashboard *as the same origin* (the Origin check
 * passes: `http://evil.example:PORT` is the page's own origin). What it
 * cannot change is the Host header, which stays `evil.example:PORT`. So the
 * dashboard answers only to names that are this server: localhost,
 * 127.0.0.1, [::1], the host it is bound to, and names the operator adds
 * (`unum coordinator --dashboard-host NAME`, e.g. behind a proxy). Bound to
 * every address (0.0.0.0, ::), any IP literal is also this server (an IP
 * cannot be rebound); other names must be added.
 *
 * @example
 *   const hosts = new HostCheck('127.0.0.1');
 *   hosts.allows('localhost:7780');        // true
 *   hosts.allows('evil.example:7780');     // false
 */
import { isIP } from 'node:net';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/** The name part of a Host header, lower case, without port, brackets or a trailing dot; undefined if malformed. */
export function hostName(header: string): string | undefined {
  const h = header.trim().toLowerCase();
  let name: string;
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0 || (end + 1 < h.length && !/^:\d{1,5}$/.test(h.slice(end + 1)))) return undefined;
    name = h.slice(1, end);
    if (isIP(name) !== 6) return undefined;
  } else {
    const m = /^([^:\s/@]+)(?::\d{1,5})?$/.exec(h);
    if (!m) return undefined;
    name = m[1]!.replace(/\.$/, '');
  }
  return name === '' ? undefined : name;
}

export class HostCheck {
  private readonly names: ReadonlySet<string>;
  private readonly anyIp: boolean;

  /** `boundHost`: the address the server listens on; `extra`: more names it answers to. */
  constructor(boundHost: string, extra: readonly string[] = []) {
    const bound = boundHost.replace(/^\[|\]$/g, '').toLowerCase();
    this.anyIp = WILDCARDS.has(bound);
    this.names = new Set([...LOOPBACK_NAMES, ...(this.anyIp ? [] : [bound]), ...extra.map((n) => hostName(n) ?? n.toLowerCase())]);
  }

  /** True when the Host header names this server (no header: false). */
  allows(header: string | undefined): boolean {
    if (header === undefined) return false;
    const name = hostName(header);
    if (name === undefined) return false;
    return this.names.has(name) || (this.anyIp && isIP(name) !== 0);
  }
}
