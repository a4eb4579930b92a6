/**
 * Runs every benchmark suite (each folder under bench/src with a main.ts), or
 * only those named on the command line: `npm run bench -- vcpu dsm`.
 * Each suite runs in its own process so one suite's warm-up or crash cannot
 * skew another's numbers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const suites = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'main.js')))
  .map((d) => d.name)
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !suites.includes(w));
if (unknown.length > 0) {
  console.error(`unknown bench suite: ${unknown.join(', ')} (have: ${suites.join(', ')})`);
  process.exit(2);
}
let failed = 0;
for (const suite of wanted.length > 0 ? wanted : suites) {
  console.log(`\n=== bench: ${suite} ===`);
  const r = spawnSync(process.execPath, [join(here, suite, 'main.js')], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
