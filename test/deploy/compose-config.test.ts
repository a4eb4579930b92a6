/**
 * docker-compose.yml and .env.example, checked without an engine: the agent's
 * memory limit holds its --node-mem, published ports are loopback-only, the
 * agent service can scale, and (where docker-compose v1 is installed) the file
 * resolves with `docker-compose config`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { memoryRuleProblem } from './support/memory-rule.js';
import { REPO_ROOT, composeV1Problem } from './support/docker-env.js';

const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');
const exampleEnv = Object.fromEntries(
  readFileSync(join(REPO_ROOT, '.env.example'), 'utf8').split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

/** `${NAME:-default}` → [NAME, default]. */
function defaulted(text: string): [string, string] {
  const m = /^\$\{(\w+):-([^}]+)\}$/.exec(text);
  if (!m) throw new Error(`expected \${NAME:-default}, got ${text}`);
  return [m[1]!, m[2]!];
}

const file = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }); // the file uses << merge keys
const agent = file.services.agent;
const agentCommand: string = agent.command.join(' ');

describe('docker-compose.yml', () => {
  it('agent memory limit holds --node-mem, by default and in .env.example', () => {
    const [memVar, memDefault] = defaulted(/--node-mem (\S+)/.exec(agentCommand)![1]!);
    const [limitVar, limitDefault] = defaulted(agent.mem_limit);
    expect(agent.memswap_limit).toBe(agent.mem_limit); // no swap: the limit is real memory
    expect(agent.deploy.resources.limits.memory).toBe(agent.mem_limit); // compose v2's spelling of the same limit
    expect(memoryRuleProblem(memDefault, limitDefault, 'docker')).toBeUndefined();
    expect(memoryRuleProblem(exampleEnv[memVar]!, exampleEnv[limitVar]!, 'docker')).toBeUndefined();
    expect(memoryRuleProblem(memDefault, '512m', 'docker')).toMatch(/< --node-mem/);
  });

  it('agents scale (no fixed name or host port); coordinator ports are on 127.0.0.1 only', () => {
    expect(agent.container_name).toBeUndefined();
    expect(agent.ports).toBeUndefined();
    const ports: string[] = file.services.coordinator.ports;
    expect(ports.map((p) => p.split(':').slice(-1)[0])).toEqual(['7700', '7780']);
    for (const p of ports) expect(p).toMatch(/^127\.0\.0\.1:/);
  });

  it('every service runs the same image with the token from the env file, and health-checks with unum health', () => {
    for (const [name, svc] of Object.entries<any>(file.services)) {
      expect(svc.environment.UNUM_TOKEN, name).toMatch(/^\$\{UNUM_TOKEN:\?/);
      if (name === 'client') continue;
      expect(svc.healthcheck.test.slice(0, 3), name).toEqual(['CMD', 'unum', 'health']);
    }
    expect(file.services.agent.healthcheck.test[3]).toBe('127.0.0.1:7701');
    expect(agentCommand).toMatch(/--join coordinator:7700 /);
  });

  const composeProblem = composeV1Problem();
  if (composeProblem) console.warn(`[skip] docker-compose config check: ${composeProblem}`);
  describe.skipIf(!!composeProblem)('with docker-compose v1', () => {
    let dir = ''; // made when the suite runs (a skipped suite's body still runs, its hooks do not)
    beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'unum-compose-config-')); });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const config = (env: string) => {
      writeFileSync(join(dir, 'env'), env);
      return spawnSync('docker-compose', ['-f', COMPOSE_FILE, '--env-file', join(dir, 'env'), '-p', 'unumcfg', 'config'], { encoding: 'utf8' });
    };

    it('resolves with .env.example values', () => {
      const r = config(readFileSync(join(REPO_ROOT, '.env.example'), 'utf8'));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const resolved = parse(r.stdout);
      expect(resolved.services.agent.mem_limit).toBe(exampleEnv.UNUM_AGENT_MEM_LIMIT);
      expect(resolved.services.client.profiles).toEqual(['client']);
    });

    it('refuses to start without UNUM_TOKEN, saying where to set it', () => {
      const r = config('UNUM_NODE_MEM=256M\n');
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/set UNUM_TOKEN in \.env/);
    });
  });
});
