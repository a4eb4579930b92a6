/**
 * The VM's DSM messages and bytes so far, summed over nodes, read from the
 * dashboard's /metrics (the agents' cumulative counters, at most 0.5 s old).
 * The VM runs in a network namespace, so the read runs there too (its
 * loopback is the namespace's own).
 */
import { spawn } from 'node:child_process';

export interface DsmCount { messages: number; bytes: number; at: number }

const FETCH = 'fetch(process.argv[1]).then((r) => r.text()).then((t) => process.stdout.write(t), () => process.exit(1))';

/** Sums `unum_dsm_messages_sent_total` and `unum_dsm_bytes_sent_total` over every label set. */
export function dsmCountOf(metrics: string, at: number): DsmCount {
  let messages = 0;
  let bytes = 0;
  for (const line of metrics.split('\n')) {
    const m = /^(unum_dsm_messages_sent_total|unum_dsm_bytes_sent_total)\{[^}]*\} (\d+(?:\.\d+)?(?:e\+?\d+)?)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'unum_dsm_messages_sent_total') messages += Number(m[2]);
    else bytes += Number(m[2]);
  }
  return { messages, bytes, at };
}

/** Reads the counters from `url` inside namespace `ns`. */
export function readDsmCount(ns: string, url: string): Promise<DsmCount> {
  const at = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', FETCH, url], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(dsmCountOf(out, at)) : reject(new Error(`reading ${url} in ${ns}: exit ${code}`))));
  });
}
