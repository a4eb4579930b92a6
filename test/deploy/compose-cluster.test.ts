/**
 * The top-level docker-compose.yml on a real engine with docker-compose v1:
 * `up -d --scale agent=3`, wait until healthy, run a guest from the host
 * through the loopback-published API and through the one-shot `client`
 * service, then `down -v` leaves nothing. The env file is generated in a temp
 * folder and passed with --env-file, so a developer's own .env is untouched.
 * Slow: runs with UNUM_SLOW=1; skips with the printed reason otherwise.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT, UNUM_JS, buildTestImage, clusterCliProblem, composeV1Problem, engineProblem, skipReason, slowProblem,
} from './support/docker-env.js';
import { hartNodes, hartsPerNode } from './support/run-output.js';

const reason = skipReason('test/deploy/compose-cluster.test.ts', slowProblem, engineProblem, composeV1Problem, clusterCliProblem);
const PROJECT = `unumtest${process.pid}`; // per run, so two test runs on one engine never share a project

/** A port that was free on 127.0.0.1 a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

describe.skipIf(!!reason)('docker-compose.yml with docker-compose v1', () => {
  // Made when the suite runs: a skipped suite's body still runs, its hooks do not.
  let dir = '';
  let envFile = '';
  const token = randomBytes(24).toString('hex');
  let apiPort = 0;
  let dashboardPort = 0;
  const compose = (args: string[], timeout = 180_000) => spawnSync('docker-compose',
    ['-f', join(REPO_ROOT, 'docker-compose.yml'), '--project-directory', REPO_ROOT, '--env-file', envFile, '-p', PROJECT, ...args],
    { encoding: 'utf8', timeout });
  const docker = (args: string[]) => spawnSync('docker', args, { encoding: 'utf8', timeout: 30_000 });
  const projectContainers = (service?: string) => docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${PROJECT}`,
    ...(service ? ['--filter', `label=com.docker.compose.service=${service}`] : [])]).stdout.split('\n').filter(Boolean);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'unum-compose-'));
    envFile = join(dir, 'env');
    const image = await buildTestImage();
    apiPort = await freePort();
    dashboardPort = await freePort();
    writeFileSync(envFile, [
      `UNUM_TOKEN=${token}`, `UNUM_IMAGE=${image}`, 'UNUM_NODE_MEM=256M', 'UNUM_AGENT_MEM_LIMIT=512m', 'UNUM_AGENT_CORES=1',
      `UNUM_API_PORT=${apiPort}`, `UNUM_DASHBOARD_PORT=${dashboardPort}`, '',
    ].join('\n'));
    const up = compose(['up', '-d', '--scale', 'agent=3']);
    if (up.status !== 0) throw new Error(`compose up failed: ${up.stderr}`);
    const deadline = Date.now() + 300_000;
    for (;;) {
      const ids = projectContainers('agent');
      const health = ids.map((id) => docker(['inspect', '-f', '{{.State.Health.Status}}', id]).stdout.trim());
      if (ids.length === 3 && health.every((h) => h === 'healthy')) break;
      if (Date.now() > deadline) throw new Error(`agents not healthy in 300 s: ${health.join(',')}\n${compose(['logs', '--tail', '20']).stdout}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }, 900_000);

  afterAll(() => {
    const down = compose(['down', '-v', '--remove-orphans']);
    if (dir) rmSync(dir, { recursive: true, force: true });
    expect(down.status, down.stderr).toBe(0);
    expect(projectContainers()).toEqual([]);
    expect(docker(['network', 'ls', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`]).stdout.trim()).toBe('');
  }, 120_000);

  it('scales to 3 healthy agents with the memory limit, API published on 127.0.0.1 only', () => {
    for (const id of projectContainers('agent')) {
      expect(docker(['inspect', '-f', '{{.HostConfig.Memory}}', id]).stdout.trim()).toBe(String(512 * 2 ** 20));
    }
    const [coordinator] = projectContainers('coordinator');
    expect(docker(['port', coordinator!, '7700']).stdout.trim()).toBe(`127.0.0.1:${apiPort}`);
  });

  it('serves the dashboard on 127.0.0.1, to token holders only (the request crosses the container network)', async () => {
    const url = `http://127.0.0.1:${dashboardPort}/`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(`${url}?token=${token}`)).status).toBe(200);
  });

  it('runs a guest from the host over the published API, harts on 3 agents', () => {
    const run = spawnSync(process.execPath, [UNUM_JS, 'run', join(REPO_ROOT, 'guest/bin/hello.elf'),
      '--cluster', `127.0.0.1:${apiPort}`, '--vcpus', '3', '--placement', 'rr', '--mem', '64M'],
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, UNUM_TOKEN: token } });
    expect(run.status, run.stderr).toBe(0);
    expect(new Set(hartNodes(run.stdout).values()).size).toBe(3);
    // One hart on each of the 3 scaled agents (named agent-<container id>).
    const perNode = hartsPerNode(run.stderr);
    const agentNames = projectContainers('agent').map((id) => `agent-${id.slice(0, 12)}`).sort();
    expect([...perNode.keys()].sort()).toEqual(agentNames);
    expect([...perNode.values()].map((h) => h.length)).toEqual([1, 1, 1]);
  }, 150_000);

  it('runs a guest through the one-shot client service', () => {
    const run = compose(['run', '--rm', '-T', 'client', 'run', '/guest/hello.elf',
      '--cluster', 'coordinator:7700', '--vcpus', '3', '--placement', 'rr', '--mem', '64M']);
    expect(run.status, run.stderr).toBe(0);
    const nodes = hartNodes(run.stdout);
    expect([...nodes.keys()].sort()).toEqual([0, 1, 2]);
    expect(new Set(nodes.values()).size).toBe(3);
  }, 200_000);
});
