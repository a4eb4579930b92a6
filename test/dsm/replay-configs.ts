/**
 * What both conformance replays share (model -> code and code -> model):
 * the model's configurations with the replay's run lengths, the seed count,
 * whether spin is here, and a two-at-a-time job pool.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelDir } from '../../dsm/src/testing/model-replay.js';

export interface ReplayConfig { name: string; defines: Record<string, number> }

interface ConfigsFile {
  configs: ReplayConfig[];
  replay: { seeds: number; slowSeeds: number; codeSeeds: number; slowCodeSeeds: number; ops: Record<string, number>; evicts: number };
}
const spec = JSON.parse(readFileSync(join(modelDir, 'configs.json'), 'utf8')) as ConfigsFile;

export const noSpin = spawnSync('spin', ['-V'], { encoding: 'utf8' }).error ? 'spin is not installed (apt-get install spin)' : undefined;

/** The configurations `keep` accepts, with longer runs than the exhaustive search affords. */
export function replayedConfigs(keep: (c: ReplayConfig) => boolean = () => true): ReplayConfig[] {
  return spec.configs.filter(keep).map((c) => ({
    name: c.name,
    defines: { ...c.defines, OPS: spec.replay.ops[String(c.defines.N)], ...(c.defines.EVICTS ? { EVICTS: spec.replay.evicts } : {}) },
  }));
}

/** Seeds per configuration for one direction, more with UNUM_SLOW=1. */
export function replaySeeds(direction: 'model' | 'code'): number {
  const slow = !!process.env.UNUM_SLOW;
  if (direction === 'model') return slow ? spec.replay.slowSeeds : spec.replay.seeds;
  return slow ? spec.replay.slowCodeSeeds : spec.replay.codeSeeds;
}

/** Runs `fn` over `items` two at a time (spin is a child process; the machine is shared). */
export async function pool<T, R>(items: T[], fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}
