import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The generated wire types in protos/src/gen are committed; this fails when a
// .proto changed and `npm run gen:protos` was not run (CI installs protoc).
const hasProtoc = spawnSync('protoc', ['--version']).status === 0;
if (!hasProtoc) console.warn('skipping the generated-code freshness check: protoc is not installed (apt-get install protobuf-compiler)');

describe('generated protocol code', () => {
  it.skipIf(!hasProtoc)('matches protos/*.proto', () => {
    const out = execFileSync(process.execPath, ['scripts/gen-protos.mjs', '--check'], { encoding: 'utf8' });
    expect(out).toContain('up to date');
  });
});
