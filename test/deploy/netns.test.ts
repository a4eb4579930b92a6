/**
 * deploy/netns: namespaces joined by veths to a bridge, shaped with tc, torn
 * down without leftovers. Needs root and iproute2 (skipped with the reason
 * otherwise). Traffic goes only between addresses these scripts create inside
 * their own namespaces.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { clusterCliProblem, REPO_ROOT, skipReason, UNUM_JS } from './support/docker-env.js';
import { hartNodes, hartsPerNode } from './support/run-output.js';

const UP = `${REPO_ROOT}deploy/netns/up.sh`;
const DOWN = `${REPO_ROOT}deploy/netns/down.sh`;
const PROBE = `${REPO_ROOT}deploy/netns/probe.mjs`;
const prefix = `ut${process.pid % 100000}`;
const sh = (cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(cmd, args, { encoding: 'utf8', timeout: 90_000, env });

function rootProblem(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root for ip netns';
  if (sh('ip', ['netns', 'list']).status !== 0) return 'ip netns does not work here (iproute2 missing or no permission)';
  if (sh('tc', ['-V']).status !== 0) return 'tc (iproute2) missing';
  return undefined;
}

/** Why this kernel cannot emulate latency with netem, or undefined when it can. */
function netemProblem(): string | undefined {
  const ns = `${prefix}-probe`;
  sh('ip', ['netns', 'add', ns]);
  const r = sh('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms']);
  sh('ip', ['netns', 'del', ns]);
  return r.status === 0 ? undefined : `kernel has no sch_netem (${r.stderr.trim()})`;
}

const ourNamespaces = () => sh('ip', ['netns', 'list']).stdout.split('\n').filter((l) => l.startsWith(`${prefix}-`));
const rootLinks = () => sh('ip', ['-o', 'link', 'show']).stdout.split('\n').map((l) => l.split(':')[1]?.trim()).sort();

function up(...args: string[]) {
  const r = sh(UP, ['--prefix', prefix, ...args]);
  if (r.status !== 0) throw new Error(`up.sh ${args.join(' ')} failed: ${r.stderr}`);
  return r;
}

/** An echo server in PREFIX-h1 for the duration of `body`, probed from PREFIX-h2. */
async function withEchoServer<T>(body: (probe: (mode: 'rtt' | 'bulk', n: number) => any) => T): Promise<Awaited<T>> {
  const server = spawn('ip', ['netns', 'exec', `${prefix}-h1`, process.execPath, PROBE, 'serve', '10.77.0.11', '9000', '60'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout.once('data', () => resolve());
      server.once('exit', (code) => reject(new Error(`echo server exited ${code}`)));
    });
    return await body((mode, n) => {
      const r = sh('ip', ['netns', 'exec', `${prefix}-h2`, process.execPath, PROBE, mode, '10.77.0.11', '9000', String(n)]);
      if (r.status !== 0) throw new Error(`probe ${mode}: ${r.stderr}`);
      return JSON.parse(r.stdout);
    });
  } finally {
    server.kill('SIGTERM');
  }
}

const reason = skipReason('test/deploy/netns.test.ts', rootProblem);
describe.skipIf(!!reason)('deploy/netns', () => {
  const linksBefore = reason ? [] : rootLinks();
  afterEach(() => {
    sh(DOWN, ['--prefix', prefix]);
    expect(ourNamespaces()).toEqual([]);
    expect(existsSync(`/run/unum-netns/${prefix}`)).toBe(false);
    expect(rootLinks()).toEqual(linksBefore); // nothing was ever added to the root namespace
  });

  it('links two namespaces over a bridge; tc --rate caps throughput until removed', async () => {
    up('--hosts', '2', '--no-start', '--rate', '4mbit');
    expect(ourNamespaces().map((l) => l.split(' ')[0]).sort())
      .toEqual([`${prefix}-c`, `${prefix}-h1`, `${prefix}-h2`, `${prefix}-sw`]);
    await withEchoServer((probe) => {
      const rtt = probe('rtt', 20);
      expect(rtt.rttMs).toHaveLength(20);
      expect(rtt.medianMs).toBeLessThan(20); // small packets are not held back by a rate cap
      // 512 KiB at 4 Mbit/s is ~1.05 s each way (pipelined); the 16 KiB burst saves little.
      const shaped = probe('bulk', 512 * 1024);
      expect(shaped.seconds).toBeGreaterThan(0.8);
      expect(shaped.mbitPerS).toBeLessThan(4.5);
      for (const h of ['h1', 'h2']) sh('ip', ['netns', 'exec', `${prefix}-${h}`, 'tc', 'qdisc', 'del', 'dev', 'eth0', 'root']);
      const free = probe('bulk', 512 * 1024);
      expect(free.seconds).toBeLessThan(shaped.seconds / 3);
    });
    const down = sh(DOWN, ['--prefix', prefix]);
    expect(down.stdout).toMatch(/removed 4 namespaces/);
  });

  const netem = netemProblem();
  if (netem) console.warn(`[skip] netem latency measurement: ${netem}; checking that up.sh refuses --delay cleanly instead`);

  it.skipIf(!!netem)('netem --delay 20ms shows as >= 40 ms RTT between two hosts', async () => {
    up('--hosts', '2', '--no-start', '--delay', '20ms');
    await withEchoServer((probe) => {
      const rtt = probe('rtt', 10);
      expect(rtt.medianMs).toBeGreaterThanOrEqual(40);
      expect(rtt.medianMs).toBeLessThan(200);
    });
  });

  it.skipIf(!netem)('without kernel netem, --delay fails with one clear line and makes nothing', () => {
    const r = sh(UP, ['--prefix', prefix, '--hosts', '2', '--no-start', '--delay', '20ms']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^netns\/up: this kernel cannot do 'tc qdisc netem delay 20ms'/);
    expect(ourNamespaces()).toEqual([]);
  });

  it('refuses bad options before touching anything', () => {
    for (const [args, msg] of [
      [['--subnet', '192.168.1'], /--subnet must be a private 10\.x\.y/],
      [['--hosts', '0'], /--hosts must be 1\.\.50/],
      [['--prefix', 'Bad-Name'], /--prefix must be/],
      [['--jitter', '1ms'], /--jitter needs --delay/],
      [['--frobnicate'], /unknown option '--frobnicate'/],
    ] as const) {
      const r = sh(UP, [...(args[0] === '--prefix' ? [] : ['--prefix', prefix]), ...args, '--no-start']);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    expect(sh(UP, ['--prefix', prefix, '--hosts', '1']).stderr, 'start without token')
      .toMatch(/set UNUM_TOKEN/);
    expect(ourNamespaces()).toEqual([]);
  });

  const cli = clusterCliProblem();
  if (cli) console.warn(`[skip] netns cluster run: ${cli}`);
  it.skipIf(!!cli)('runs a coordinator and 2 agents in namespaces; a guest spans both', () => {
    const env = { ...process.env, UNUM_TOKEN: randomBytes(16).toString('hex') };
    const r = sh(UP, ['--prefix', prefix, '--hosts', '2', '--node-mem', '128M'], env);
    expect(r.status, r.stderr).toBe(0);
    const run = sh('ip', ['netns', 'exec', `${prefix}-c`, process.execPath, UNUM_JS, 'run', `${REPO_ROOT}guest/bin/hello.elf`,
      '--cluster', '10.77.0.2:7700', '--vcpus', '2', '--placement', 'rr', '--mem', '64M'], env);
    expect(run.status, run.stderr).toBe(0);
    const nodes = hartNodes(run.stdout);
    expect([...nodes.keys()].sort()).toEqual([0, 1]);
    expect(new Set(nodes.values()).size).toBe(2);
    // The run summary names the namespaced agents, one hart on each (node order = join order).
    const perNode = hartsPerNode(run.stderr);
    expect([...perNode.keys()].sort()).toEqual([`${prefix}-h1`, `${prefix}-h2`]);
    expect([...perNode.values()].flat().sort()).toEqual([0, 1]);
  }, 120_000);
});
