/**
 * Network namespaces a test creates for itself: every name starts with
 * `unum-t<pid>-`, so a test removes exactly its own (also after a failure:
 * call `removeAll` in afterAll), and nothing is added to the root namespace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PREFIX = `unum-t${process.pid % 100000}-`;

export const sh = (cmd: string, args: string[], timeout = 30_000) => spawnSync(cmd, args, { encoding: 'utf8', timeout });

/** Why this host cannot run TAP tests in a namespace, or undefined when it can. */
export function netnsProblem(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (ip netns, a TAP)';
  if (!existsSync('/dev/net/tun')) return 'no /dev/net/tun';
  const probe = `${PREFIX}probe`;
  const r = sh('ip', ['netns', 'add', probe]);
  if (r.status !== 0) return `ip netns add failed: ${(r.stderr || r.error?.message || '').trim()}`;
  sh('ip', ['netns', 'del', probe]);
  return undefined;
}

/** A fresh namespace with its loopback up; its name. */
export function addNetns(tag: string): string {
  const name = `${PREFIX}${tag}`;
  sh('ip', ['netns', 'del', name]);
  const r = sh('ip', ['netns', 'add', name]);
  if (r.status !== 0) throw new Error(`ip netns add ${name}: ${r.stderr.trim()}`);
  inNetns(name, 'ip', ['link', 'set', 'lo', 'up']);
  return name;
}

/** Runs a command inside `ns`; throws with its stderr when it fails. */
export function inNetns(ns: string, cmd: string, args: string[], timeout = 30_000): string {
  const r = sh('ip', ['netns', 'exec', ns, cmd, ...args], timeout);
  if (r.status !== 0) throw new Error(`in ${ns}: ${cmd} ${args.join(' ')}: ${(r.stderr || r.error?.message || '').trim()}`);
  return r.stdout;
}

/** This process's namespaces that still exist. */
export const ourNetns = (): string[] =>
  sh('ip', ['netns', 'list']).stdout.split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(PREFIX));

/** Deletes every namespace this process made (their TAPs and veths go with them). */
export function removeAllNetns(): void {
  for (const ns of ourNetns()) sh('ip', ['netns', 'del', ns]);
}
