/**
 * vitest globalSetup: the suite leaves nothing behind in the temp directory.
 *
 * The run gets a temp directory of its own, `<tmp>/unum-suite-XXXXXX`, as
 * TMPDIR (the test workers, the CLIs and agents they spawn, QEMU: everything
 * that asks os.tmpdir() inherits it), so what is found there afterwards was
 * made by this suite and by nothing else running on the machine. At teardown
 * every `unum-*` entry still in it (and any file in its `unum-swap/`, the
 * agents' default swap directory, which itself may stay) is printed and fails
 * the run; then the directory is removed.
 *
 * A test that writes to a fixed path in the real temp directory bypasses
 * TMPDIR, so `<tmp>/unum-*` is also listed at start, and entries created
 * during the run that are still there are named at teardown — as a warning
 * only, since another process (another engineer's suite, a `unum run`) may
 * have made them.
 */
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'unum-';
const SWAP_DIR = 'unum-swap';
const SUITE_PREFIX = 'unum-suite-';

const unumEntries = (dir: string): string[] => {
  try {
    return readdirSync(dir).filter((n) => n.startsWith(PREFIX));
  } catch {
    return [];
  }
};

/** Leftovers in the suite's own temp dir: unum-* entries, and files in unum-swap/ (the directory may stay). */
function leftovers(dir: string): string[] {
  const left: string[] = [];
  for (const name of unumEntries(dir)) {
    if (name === SWAP_DIR && lstatSync(join(dir, name)).isDirectory()) {
      for (const f of readdirSync(join(dir, name))) left.push(join(dir, name, f));
    } else {
      left.push(join(dir, name));
    }
  }
  return left;
}

export default function setup(): () => void {
  const realTmp = tmpdir();
  const startedMs = Date.now();
  const before = new Set(unumEntries(realTmp));
  const own = mkdtempSync(join(realTmp, SUITE_PREFIX));
  process.env.TMPDIR = own;

  return () => {
    const newInRealTmp = unumEntries(realTmp).filter((n) => {
      if (before.has(n) || n.startsWith(SUITE_PREFIX)) return false; // ours, or another suite's own TMPDIR
      try {
        const st = lstatSync(join(realTmp, n));
        return (st.birthtimeMs > 0 ? st.birthtimeMs : st.ctimeMs) >= startedMs; // no birth time on this filesystem: ctime
      } catch {
        return false; // gone meanwhile
      }
    });
    if (newInRealTmp.length > 0) {
      console.warn(`[tmp-leftovers] made in ${realTmp} during the run and still there (this suite or another process; not counted): ${newInRealTmp.join(', ')}`);
    }
    const left = leftovers(own);
    rmSync(own, { recursive: true, force: true });
    if (left.length > 0) {
      throw new Error(`the test suite left ${left.length} temp entr${left.length === 1 ? 'y' : 'ies'} behind (a test without cleanup: afterAll/finally):\n  ${left.join('\n  ')}`);
    }
  };
}
