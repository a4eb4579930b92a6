#!/usr/bin/env node
// Model-checks the DSM protocols with spin (dsm/model/dsm.pml, configs in
// dsm/model/configs.json): for each configuration, spin -a, gcc, pan. Prints
// states, depth and time per configuration and exits 1 on any violation
// (with spin's counterexample as protocol events), 2 on bad input. pan is
// compiled with -O0: on these sizes gcc -O2 takes longer than the search.
//
//   node scripts/check-model.mjs                   every configuration but the slow set (safety; liveness where the config says so)
//   node scripts/check-model.mjs --slow            every configuration, the slow set too (bitstate runs of the bigger ones)
//   node scripts/check-model.mjs dynamic-3x2 ...   the named ones
//   node scripts/check-model.mjs --quick           the small configuration the default tests run
//   node scripts/check-model.mjs --bug BUG_ACK_EARLY   a seeded bug: exits 0 only if spin finds it
//   node scripts/check-model.mjs --no-liveness     skip the liveness (acceptance cycle) runs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const modelDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dsm', 'model');
const model = join(modelDir, 'dsm.pml');
const spec = JSON.parse(readFileSync(join(modelDir, 'configs.json'), 'utf8'));

function usage(why) {
  console.error(`check-model: ${why} (usage: check-model.mjs [--quick] [--slow] [--no-liveness] [--bug NAME] [config...]; configs: ${spec.configs.map((c) => c.name).join(', ')}; bugs: ${Object.keys(spec.bugs).join(', ')})`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { quick: false, slow: false, liveness: true, bug: undefined, names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--slow') opts.slow = true;
    else if (a === '--no-liveness') opts.liveness = false;
    else if (a === '--bug') {
      opts.bug = argv[++i];
      if (!opts.bug || !spec.bugs[opts.bug]) usage(`unknown bug "${opts.bug ?? ''}"`);
    } else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (!spec.configs.some((c) => c.name === a)) usage(`unknown configuration "${a}"`);
    else opts.names.push(a);
  }
  return opts;
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error) {
    console.error(`check-model: cannot run ${cmd}: ${r.error.message}${cmd === 'spin' ? ' (apt-get install spin)' : ''}`);
    process.exit(2);
  }
  return r;
}

const defineArgs = (defines) => Object.entries(defines).map(([k, v]) => `-D${k}=${v}`);

/** What pan printed: errors, states, depth, seconds, and for bitstate the hash factor (coverage). */
function panResult(out) {
  const num = (re) => Number(out.match(re)?.[1] ?? NaN);
  return {
    errors: num(/errors: (\d+)/),
    states: num(/(\d+) states, stored/),
    depth: num(/depth reached (\d+)/),
    seconds: num(/elapsed time ([\d.e+]+) seconds/),
    hashFactor: num(/hash factor: ([\d.e+]+)/),
    incomplete: /Search not completed|max search depth too small/.test(out),
    violation: out.match(/^pan:\d+: (.*)$/m)?.[1],
  };
}

/** spin's counterexample as protocol events (the EV lines the model prints with TRACE). */
function trail(dir, defines) {
  const r = run('spin', ['-t', '-k', join(dir, 'dsm.pml.trail'), ...defineArgs(defines), '-DTRACE', model], dir);
  const kinds = ['', 'fault', 'deliver', 'recv', 'drain', 'unhold', 'drop', 'ask', 'credit', 'push', 'giveup', 'access', 'choice', 'refault'];
  const lines = [];
  for (const line of r.stdout.split('\n')) {
    const ev = line.trim().match(/^EV (\d+) (\d+) (\d+) (\d+) (\d+)(?: (\w+))?$/);
    if (ev) {
      const [, k, n, p, u, a, m] = ev;
      const kind = kinds[Number(k)];
      const what = kind === 'access' ? `${a === '1' ? 'read' : 'write'} -> value ${p}` : kind === 'fault' ? (a === '1' ? 'read' : 'write') : m ? `${m} from node ${p}` : '';
      lines.push(`  node ${n} unit ${u}: ${kind} ${what}`.trimEnd());
    } else if (/assertion violated/.test(line)) lines.push(`  ${line.trim()}`);
  }
  return lines.join('\n');
}

/** One pan run: safety (assertions, invariants, deadlock) or liveness (acceptance cycles of the `live` claim, weak fairness). */
function check(name, defines, { bitstate = false, liveness = false, hashBits = 30 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'unum-model-'));
  try {
    const gen = run('spin', ['-a', ...defineArgs(defines), '-DTRACE', model], dir);
    if (gen.status !== 0) return { name, ok: false, mode: 'build', why: `spin -a failed:\n${gen.stdout}${gen.stderr}` };
    const cflags = liveness ? ['-DNFAIR=4', '-DCOLLAPSE'] : ['-DSAFETY', '-DNOCLAIM', bitstate ? '-DBITSTATE' : '-DCOLLAPSE'];
    const cc = run('gcc', ['-O0', '-w', ...cflags, '-o', 'pan', 'pan.c'], dir);
    if (cc.status !== 0) return { name, ok: false, mode: 'build', why: `gcc failed:\n${cc.stderr.slice(0, 2000)}` };
    const panArgs = liveness ? ['-a', '-f', '-N', 'live', '-m2000000'] : ['-q', '-m2000000', ...(bitstate ? [`-w${hashBits}`] : [])];
    const t0 = performance.now();
    const pan = run(join(dir, 'pan'), panArgs, dir);
    const r = panResult(pan.stdout);
    r.wall = (performance.now() - t0) / 1000;
    const ok = r.errors === 0 && !r.incomplete && pan.status === 0;
    return { name, ok, ...r, mode: liveness ? 'liveness' : bitstate ? 'bitstate' : 'exhaustive', counterexample: r.errors > 0 ? trail(dir, defines) : undefined, raw: ok ? undefined : pan.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(r) {
  // Holzmann: a hash factor (bits per state stored) of 100 or more makes the expected coverage of a bitstate search exceed 99.9%.
  const cov = r.mode === 'bitstate' ? ` hash factor ${r.hashFactor} (expected coverage ${r.hashFactor >= 100 ? 'above 99.9%' : 'below 99.9%: raise hashBits'})` : '';
  const line = `${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(28)} ${r.mode.padEnd(10)} states ${String(r.states).padStart(9)}  depth ${String(r.depth).padStart(5)}  ${r.wall?.toFixed(1)} s${cov}`;
  console.log(line);
  if (!r.ok) console.log(r.violation ? `  ${r.violation}\n${r.counterexample ?? ''}` : r.why ?? r.raw);
}

const opts = parseArgs(process.argv.slice(2));
if (opts.bug) {
  const bug = spec.bugs[opts.bug];
  const r = check(`bug ${opts.bug}`, { ...bug.config, [opts.bug]: 1 });
  console.log(`${opts.bug}: ${r.errors > 0 ? `caught (${bug.expect}) after ${r.states} states` : 'NOT caught'}`);
  if (r.violation) console.log(`  ${r.violation}\n${r.counterexample ?? ''}`);
  process.exit(r.errors > 0 ? 0 : 1);
}
const configs = opts.quick ? [spec.quickConfig] : spec.configs.filter((c) => (opts.names.length > 0 ? opts.names.includes(c.name) : !c.slow || opts.slow));
let failed = 0;
for (const c of configs) {
  const safety = check(c.name, c.defines, { bitstate: c.bitstate, hashBits: c.hashBits });
  report(safety);
  if (!safety.ok) failed++;
  if (opts.liveness && c.liveness) {
    const live = check(c.name, c.defines, { liveness: true });
    report(live);
    if (!live.ok) failed++;
  }
}
console.log(failed === 0 ? `model ok: ${configs.length} configurations` : `model FAILED: ${failed} runs`);
process.exit(failed === 0 ? 0 : 1);
