/**
 * What the deploy tests need from this machine, each as "why not" (a string)
 * or undefined, so a suite can skip with a printed reason instead of passing
 * silently; and the one image build they share.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const UNUM_JS = `${REPO_ROOT}cli/bin/unum.js`;
/** Tag the tests build and run; never the user's unum:dev. */
export const TEST_IMAGE = 'unum:test';
const LOCAL_BASE = 'unum-base:local';

function run(cmd: string, args: string[], timeout = 30_000) {
  return spawnSync(cmd, args, { encoding: 'utf8', timeout, cwd: REPO_ROOT });
}
const firstLine = (s: string | null | undefined): string => (s ?? '').trim().split('\n')[0] ?? '';

export function slowProblem(): string | undefined {
  return process.env.UNUM_SLOW ? undefined : 'slow suite: set UNUM_SLOW=1 (npm run test:slow) to run it';
}

export function engineProblem(): string | undefined {
  const r = run('docker', ['info', '--format', '{{.ServerVersion}}']);
  if (r.error) return `no docker client (${r.error.message})`;
  if (r.status !== 0) return `no Docker engine answers: ${firstLine(r.stderr)}`;
  return undefined;
}

export function composeV1Problem(): string | undefined {
  const r = run('docker-compose', ['version', '--short']);
  if (r.error) return `docker-compose (v1) not installed`;
  if (r.status !== 0) return `docker-compose version failed: ${firstLine(r.stderr)}`;
  return undefined;
}

/**
 * The cluster commands of the architecture contract, probed with `--help` on
 * the built CLI. commander answers an unknown subcommand's --help with the
 * top-level help and status 0, so each probe looks for the command's own usage line and flag.
 */
const CLUSTER_COMMANDS: [command: string, mustShow: string][] = [
  ['coordinator', '--listen'], ['agent', '--join'], ['health', ''], ['run', '--cluster'],
];
export function clusterCliProblem(): string | undefined {
  const missing: string[] = [];
  for (const [cmd, flag] of CLUSTER_COMMANDS) {
    const r = run(process.execPath, [UNUM_JS, cmd, '--help']);
    if (r.error || r.status !== 0) missing.push(`unum ${cmd} (${firstLine(r.stderr) || `exit ${r.status}`})`);
    else if (!r.stdout.includes(`Usage: unum ${cmd}`)) missing.push(`unum ${cmd}`);
    else if (!r.stdout.includes(flag)) missing.push(`unum ${cmd} ${flag}`);
  }
  return missing.length ? `cluster CLI missing: ${missing.join(', ')} (not yet in cli/src)` : undefined;
}

/** The first problem of those given, printed as the skip reason of `suite`. */
export function skipReason(suite: string, ...checks: (() => string | undefined)[]): string | undefined {
  for (const check of checks) {
    const why = check();
    if (why) {
      console.warn(`[skip] ${suite}: ${why}`);
      return why;
    }
  }
  return undefined;
}

/**
 * Runs `body` while holding a lock directory, so suites in parallel vitest
 * workers build the image one after another (the later ones then hit the
 * layer cache). A lock whose owner process is gone is taken over.
 */
async function withLock<T>(dir: string, maxWaitMs: number, body: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(`${dir}/pid`, String(process.pid));
      break;
    } catch {
      let owner = 0;
      try { owner = Number(readFileSync(`${dir}/pid`, 'utf8')); } catch { /* being created */ }
      const alive = owner > 0 && (() => { try { process.kill(owner, 0); return true; } catch { return false; } })();
      if (owner > 0 && !alive) rmSync(dir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${dir} held by pid ${owner} for ${maxWaitMs} ms`);
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Builds TEST_IMAGE from deploy/Dockerfile with testcontainers (layer cache
 * on, so an unchanged tree costs seconds). The base is UNUM_BASE_IMAGE or
 * unum-base:local, made by deploy/make-base-image.sh when missing. The build
 * stage is tagged TEST_IMAGE-build so it stays as the cache, and the untagged
 * leftovers of earlier builds (each ~0.5 GB) are pruned.
 */
export async function buildTestImage(): Promise<string> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true'; // the reaper image cannot be pulled here
  const base = process.env.UNUM_BASE_IMAGE ?? LOCAL_BASE;
  return withLock('/tmp/unum-test-image.lock', 15 * 60_000, async () => {
    if (base === LOCAL_BASE && run('docker', ['image', 'inspect', LOCAL_BASE]).status !== 0) {
      const made = run('bash', [`${REPO_ROOT}deploy/make-base-image.sh`, LOCAL_BASE], 300_000);
      if (made.status !== 0) throw new Error(`deploy/make-base-image.sh failed: ${made.stderr}`);
    }
    const { GenericContainer } = await import('testcontainers');
    await GenericContainer.fromDockerfile(REPO_ROOT, 'deploy/Dockerfile')
      .withBuildArgs({ BASE_IMAGE: base })
      .withCache(true)
      .build(TEST_IMAGE, { deleteOnExit: false });
    const keep = run('docker', ['build', '-q', '-f', 'deploy/Dockerfile', '--build-arg', `BASE_IMAGE=${base}`,
      '--target', 'build', '-t', `${TEST_IMAGE}-build`, '.'], 300_000); // all cached: only names the stage
    if (keep.status !== 0) throw new Error(`tagging the build stage failed: ${keep.stderr}`);
    run('docker', ['image', 'prune', '-f', '--filter', 'label=unum.stage']);
    return TEST_IMAGE;
  });
}
