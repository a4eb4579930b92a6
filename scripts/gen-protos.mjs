// Generates the TypeScript for protos/*.proto with ts-proto (protoc plugin):
// one type per message, encode/decode, and grpc-js service definitions.
// The output is committed (a fresh clone builds without protoc);
// `--check` regenerates into a temp dir and fails when a committed file is stale.
//   node scripts/gen-protos.mjs          write protos/src/gen
//   node scripts/gen-protos.mjs --check  exit 1 on a difference, 2 without protoc
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
/** Every proto is generated into @unum/protos, the package at the bottom that every speaker imports. */
const targets = [{ protos: ['stats.proto', 'dsm.proto', 'dsm-bench.proto', 'cluster.proto'], out: 'protos/src/gen' }];
const options = [
  'outputServices=grpc-js', 'env=both', 'esModuleInterop=true', 'importSuffix=.js', 'oneof=unions-value',
  'forceLong=bigint', 'useOptionals=messages', 'outputJsonMethods=false',
  'outputTypeRegistry=false', 'exportCommonSymbols=false', 'fileSuffix=.gen',
].join(',');

const check = process.argv.includes('--check');
try {
  execFileSync('protoc', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('gen-protos: protoc not found (Debian: apt-get install protobuf-compiler)');
  process.exit(2);
}
const plugin = join(root, 'node_modules', '.bin', 'protoc-gen-ts_proto');
const work = mkdtempSync(join(tmpdir(), 'unum-protos-'));
let stale = 0;
try {
  for (const t of targets) {
    const out = join(work, t.out);
    mkdirSync(out, { recursive: true });
    execFileSync('protoc', [`--plugin=${plugin}`, `-I${join(root, 'protos')}`, `--ts_proto_out=${out}`, `--ts_proto_opt=${options}`, ...t.protos], { stdio: 'inherit' });
    for (const proto of t.protos) {
      const name = proto.replace(/\.proto$/, '.gen.ts');
      // The header names the generator's version; keep it, but drop protoc's (it varies by distro and says nothing about the output).
      const text = readFileSync(join(out, name), 'utf8').replace(/^\/\/ +protoc +v.*\n/m, '');
      const dest = join(root, t.out, name);
      if (check) {
        if (!existsSync(dest) || readFileSync(dest, 'utf8') !== text) {
          console.error(`gen-protos: ${t.out}/${name} is stale: run npm run gen:protos`);
          stale++;
        }
      } else {
        mkdirSync(join(root, t.out), { recursive: true });
        writeFileSync(dest, text);
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (stale > 0) process.exit(1);
console.log(check ? 'generated protocol code is up to date' : 'generated protocol code written');
