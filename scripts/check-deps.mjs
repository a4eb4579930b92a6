// Fails if the internal package graph has a cycle or points the wrong way:
// vcpu <- dsm <- node-agent <- coordinator <- bench.
import { readFileSync } from 'node:fs';

const order = ['vcpu', 'dsm', 'node-agent', 'coordinator', 'bench'];
let bad = 0;
for (const [i, pkg] of order.entries()) {
  const deps = Object.keys(JSON.parse(readFileSync(new URL(`../${pkg}/package.json`, import.meta.url))).dependencies ?? {});
  for (const dep of deps.filter((d) => d.startsWith('@unum/'))) {
    const j = order.indexOf(dep.slice('@unum/'.length));
    if (j < 0 || j >= i) {
      console.error(`dependency points the wrong way: @unum/${pkg} -> ${dep}`);
      bad++;
    }
  }
}
if (bad > 0) process.exit(1);
console.log(`package graph ok: ${order.join(' <- ')}`);
