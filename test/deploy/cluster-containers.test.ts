/**
 * A standing cluster on a real Docker engine, driven with testcontainers: the
 * image built from deploy/Dockerfile, a coordinator and 3 agents (memory-limited
 * to the --node-mem rule) on a network this test creates, a guest whose harts
 * land on 3 containers, then an agent container killed under a running guest.
 * Slow: runs with UNUM_SLOW=1, and skips with the printed reason when no engine
 * or no cluster CLI is there.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import { buildTestImage, clusterCliProblem, engineProblem, skipReason, slowProblem } from './support/docker-env.js';
import { hartNodes, hartsPerNode } from './support/run-output.js';
import { AGENT_OVERHEAD, sizeBytes } from './support/memory-rule.js';
import { WatchedChild } from './support/watched-child.js';

process.env.TESTCONTAINERS_RYUK_DISABLED = 'true'; // the reaper image cannot be pulled here

const reason = skipReason('test/deploy/cluster-containers.test.ts', slowProblem, engineProblem, clusterCliProblem);
const NODE_MEM = '256M';
const AGENTS = ['agent-1', 'agent-2', 'agent-3'];

describe.skipIf(!!reason)('cluster on Docker containers (testcontainers)', () => {
  const token = randomBytes(24).toString('hex');
  let image = '';
  let network: StartedNetwork;
  let coordinator: StartedTestContainer;
  let agents: StartedTestContainer[] = [];

  /** `unum ARGS` in a one-shot client container on the test network (what `docker compose run client` does). */
  const client = (args: string[]): WatchedChild => new WatchedChild('docker', [
    'run', '--rm', '-i', '--network', network.getName(), '-e', 'UNUM_TOKEN', '--name', `unum-client-${randomBytes(4).toString('hex')}`,
    image, 'unum', ...args,
  ], { ...process.env, UNUM_TOKEN: token });

  beforeAll(async () => {
    const { GenericContainer, Network, Wait } = await import('testcontainers');
    image = await buildTestImage();
    network = await new Network().start();
    coordinator = await new GenericContainer(image)
      .withNetwork(network).withNetworkAliases('coordinator')
      .withEnvironment({ UNUM_TOKEN: token })
      .withCommand(['unum', 'coordinator', '--listen', '0.0.0.0:7700', '--dashboard', '0.0.0.0:7780'])
      .withWaitStrategy(Wait.forSuccessfulCommand('unum health 127.0.0.1:7700')).withStartupTimeout(180_000)
      .start();
    const limitGiB = (sizeBytes(NODE_MEM, 'unum') + AGENT_OVERHEAD) / 2 ** 30;
    agents = await Promise.all(AGENTS.map((name) => new GenericContainer(image)
      .withNetwork(network).withNetworkAliases(name)
      .withEnvironment({ UNUM_TOKEN: token })
      .withCommand(['unum', 'agent', '--join', 'coordinator:7700', '--listen', '0.0.0.0:7701',
        '--advertise', `${name}:7701`, '--name', name, '--node-mem', NODE_MEM, '--cores', '1'])
      .withResourcesQuota({ memory: limitGiB, cpu: 1 })
      .withWaitStrategy(Wait.forSuccessfulCommand('unum health 127.0.0.1:7701')).withStartupTimeout(180_000)
      .start()));
    // Healthy agents have joined once the coordinator lists all three.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const status = await coordinator.exec(['unum', 'status', '--cluster', '127.0.0.1:7700']);
      if (status.exitCode === 0 && AGENTS.every((a) => status.output.includes(a))) break;
      if (Date.now() > deadline) throw new Error(`agents never all joined: ${status.output}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 600_000);

  afterAll(async () => {
    await Promise.allSettled(agents.map((a) => a.stop({ timeout: 2_000 })));
    await coordinator?.stop({ timeout: 2_000 });
    await network?.stop();
  }, 60_000);

  it('runs hello.elf with its 3 harts on 3 different agent containers', async () => {
    const run = client(['run', '/app/guest/bin/hello.elf', '--cluster', 'coordinator:7700',
      '--vcpus', '3', '--placement', 'rr', '--mem', '64M']);
    expect(await run.exited(120_000), run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^hello: 3 harts, 64 MiB RAM/m);
    const nodes = hartNodes(run.stdout);
    expect([...nodes.keys()].sort()).toEqual([0, 1, 2]);
    expect(new Set(nodes.values()).size).toBe(3);
    // The run summary: one hart on each agent container.
    const perNode = hartsPerNode(run.stderr);
    expect([...perNode.keys()].sort()).toEqual(AGENTS);
    expect([...perNode.values()].map((h) => h.length)).toEqual([1, 1, 1]);
  }, 180_000);

  it('a client without the cluster token is refused', async () => {
    const run = new WatchedChild('docker', ['run', '--rm', '--network', network.getName(), image,
      'unum', 'run', '/app/guest/bin/hello.elf', '--cluster', 'coordinator:7700', '--vcpus', '1']);
    expect(await run.exited(60_000)).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^unum: .*(token|unauthenticated|refused)/im);
  }, 90_000);

  it('killing an agent container under a running guest stops the VM with an error naming it', async () => {
    const run = client(['run', '/app/guest/bin/echo.elf', '--cluster', 'coordinator:7700',
      '--vcpus', '3', '--placement', 'rr', '--mem', '64M']);
    await run.waitFor(/echo: ready/, 120_000);
    run.write('ping\n');
    await run.waitFor(/echo: ping/, 30_000); // the VM is live across the cluster
    const victim = agents[1]!;
    expect(spawnSync('docker', ['kill', victim.getId()]).status).toBe(0);
    const status = await run.exited(60_000);
    expect(status).not.toBe(0);
    const errorLine = run.stderr.split('\n').find((l) => l.includes('agent-2'));
    expect(errorLine, `stderr: ${run.stderr}`).toMatch(/^unum: /);
    // The coordinator itself outlives the lost agent.
    expect((await coordinator.exec(['unum', 'health', '127.0.0.1:7700'])).exitCode).toBe(0);
  }, 240_000);
});
