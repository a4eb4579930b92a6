// Fails if the internal package graph has a cycle or points the wrong way:
// protos, machine <- vcpu <- dsm <- node-agent <- coordinator <- lab <- cli <- bench.
// Checks both the declared dependencies and the `@unum/*` imports actually
// written in src/ (and that no relative import leaves its package). A
// package folder not created yet is skipped.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

const order = ['protos', 'machine', 'vcpu', 'dsm', 'node-agent', 'coordinator', 'lab', 'cli', 'bench'];
const root = new URL('..', import.meta.url).pathname;
const present = order.filter((p) => existsSync(join(root, p, 'package.json')));

function* sources(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (/\.(ts|mts)$/.test(e.name)) yield p;
  }
}

let bad = 0;
function check(pkg, dep, where) {
  const i = order.indexOf(pkg);
  const j = order.indexOf(dep);
  if (j < 0 || j >= i) {
    console.error(`dependency points the wrong way: @unum/${pkg} -> @unum/${dep} (${where})`);
    bad++;
  }
}
for (const pkg of present) {
  const manifest = JSON.parse(readFileSync(join(root, pkg, 'package.json'), 'utf8'));
  for (const dep of Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith('@unum/'))) {
    check(pkg, dep.slice('@unum/'.length), 'package.json');
  }
  for (const file of sources(join(root, pkg, 'src'))) {
    const text = readFileSync(file, 'utf8');
    // `from '@unum/x'`, `import '@unum/x'` and `import('@unum/x')`
    for (const m of text.matchAll(/(?:from\s+|import\s*\(?\s*)['"]@unum\/([\w-]+)/g)) {
      check(pkg, m[1], file.slice(root.length));
    }
    // A relative import may not leave its package (that would go around the order above).
    for (const m of text.matchAll(/(?:from\s+|import\s*\(?\s*)['"](\.\.?\/[^'"]+)['"]/g)) {
      if (!resolve(dirname(file), m[1]).startsWith(join(root, pkg) + sep)) {
        console.error(`import leaves @unum/${pkg}: '${m[1]}' (${file.slice(root.length)})`);
        bad++;
      }
    }
  }
}
if (bad > 0) process.exit(1);
console.log(`package graph ok: ${present.join(' <- ')}`);
