/**
 * Per-fault trace of one node as JSONL (the DSM's `trace` hook): one line
 * per resolved fault, `{"t":ms since the sink opened,"node","unit","access","us"}`.
 * Opt-in: the agent writes `<dir>/node<id>.jsonl` when UNUM_DSM_TRACE_DIR
 * names a directory (the protocol lab sets it per run; `unum agent`
 * inherits it from its environment).
 *
 * @example
 *   const sink = FaultTraceSink.fromEnv(node);   // undefined when not asked for
 *   new DsmNode({ ..., trace: (f) => sink?.write(f) });
 *   await sink?.close();
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { FaultTrace } from '@unum/dsm';

export const TRACE_DIR_ENV = 'UNUM_DSM_TRACE_DIR';

export class FaultTraceSink {
  private readonly t0 = performance.now();
  private constructor(private readonly out: WriteStream) {}

  static open(dir: string, node: number): FaultTraceSink {
    mkdirSync(dir, { recursive: true });
    return new FaultTraceSink(createWriteStream(join(dir, `node${node}.jsonl`)));
  }

  static fromEnv(node: number, env: NodeJS.ProcessEnv = process.env): FaultTraceSink | undefined {
    const dir = env[TRACE_DIR_ENV];
    return dir ? FaultTraceSink.open(dir, node) : undefined;
  }

  write(f: FaultTrace): void {
    const t = Math.round((performance.now() - this.t0) * 1000) / 1000;
    this.out.write(`{"t":${t},"node":${f.node},"unit":${f.unit},"access":"${f.access}","us":${Math.round(f.us * 10) / 10}}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(resolve));
  }
}
