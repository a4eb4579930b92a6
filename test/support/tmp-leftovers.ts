/**
 * vitest globalSetup: the suite leaves nothing behind in the temp directory.
 *
 * The run gets a temp directory of its own, `<tmp>/unum-suite-XXXXXX`, as
 * TMPDIR (the test workers, the CLIs and agents they spawn, QEMU: everything
 * that asks os.tmpdir() inherits it), so what is found there afterwards was
 * made by this suite and by nothing else running on the machine. At teardown
 * every `unum-*` entry still in it (and any file in its `unum-swap/`, the
 * agents' default swap directory, which itself may stay) is printed and fails
 * the run; then the directory is removed. It holds the vitest's pid, so a
 * later run removes the dir of a run killed before its teardown.
 *
 * A test that writes to a fixed path in the real temp directory bypasses
 * TMPDIR, so `<tmp>/unum-*` is also listed at start, and entries created
 * during the run that are still there are named at teardown — as a warning
 * only, since another process (another engineer's suite, a `unum run`) may
 * have made them.
 */
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'unum-';
const SWAP_DIR = 'unum-swap';
const SUITE_PREFIX = 'unum-suite-';
/** In a suite's own dir: the pid of the vitest that made it (a killed run never tears down). */
const OWNER_FILE = '.owner-pid';

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

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Remove the own dirs of earlier runs that were killed before their teardown (their vitest is gone). */
function removeOrphanedSuiteDirs(realTmp: string): void {
  for (const name of unumEntries(realTmp).filter((n) => n.startsWith(SUITE_PREFIX))) {
    const dir = join(realTmp, name);
    let pid: number;
    try {
      pid = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue; // no owner file (being made, or not ours to judge)
    }
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) {
      console.warn(`[tmp-leftovers] removing ${dir}: its run (pid ${pid}) was killed before its teardown`);
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

export default function setup(): () => void {
  const realTmp = tmpdir();
  const startedMs = Date.now();
  removeOrphanedSuiteDirs(realTmp);
  const before = new Set(unumEntries(realTmp));
  const own = mkdtempSync(join(realTmp, SUITE_PREFIX));
  writeFileSync(join(own, OWNER_FILE), String(process.pid));
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
