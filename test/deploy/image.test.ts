/**
 * The image from deploy/Dockerfile (built on the registry-less base from
 * deploy/make-base-image.sh): runs a guest with `unum run` as the non-root
 * user, with the app read-only to it. Slow (an image build): UNUM_SLOW=1.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestImage, engineProblem, skipReason, slowProblem } from './support/docker-env.js';
import { hartNodes } from './support/run-output.js';

const reason = skipReason('test/deploy/image.test.ts', slowProblem, engineProblem);

describe.skipIf(!!reason)('deploy/Dockerfile image', () => {
  let image = '';
  const inImage = (args: string[]) =>
    spawnSync('docker', ['run', '--rm', '--network', 'none', image, ...args], { encoding: 'utf8', timeout: 120_000 });

  beforeAll(async () => {
    image = await buildTestImage();
  }, 900_000);

  it('runs hello.elf on 2 harts with unum from PATH', () => {
    const r = inImage(['unum', 'run', '/app/guest/bin/hello.elf', '--vcpus', '2', '--mem', '64M']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^hello: 2 harts, 64 MiB RAM/m);
    expect([...hartNodes(r.stdout).keys()].sort()).toEqual([0, 1]);
  }, 150_000);

  it('passes the guest exit code and one-line errors through', () => {
    const failing = inImage(['unum', 'run', '/app/test/machine/guests/fail.elf']);
    expect(failing.stdout).toBe('failing with 7\n');
    expect(failing.status).toBe(7);
    const notElf = inImage(['unum', 'run', '/app/package.json']);
    expect(notElf.stderr).toMatch(/^unum: [^\n]+\n$/);
    expect(notElf.status).toBe(2);
  }, 60_000);

  it('runs as uid 1000 and cannot change the app', () => {
    const r = inImage(['sh', '-c', 'id -u; touch /app/cli/bin/unum.js 2>&1 || echo read-only']);
    expect(r.stdout.split('\n').slice(0, 1)).toEqual(['1000']);
    expect(r.stdout).toMatch(/read-only/);
  }, 60_000);
});
