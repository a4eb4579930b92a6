/** Compares two register dumps ("name hexvalue" lines, as harness.S and
 * traps.S print them) and renders the differences for a failure message. */
export function parseDump(text: string): Map<string, string> {
  const m = new Map<string, string>();
  const seen = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) {
    const t = /^(\S+) ([0-9a-f]{16}(?: [0-9a-f]{16})*)$/.exec(line.trim());
    if (!t) continue;
    const n = (seen.get(t[1]) ?? 0) + 1;   // repeated names (trap lines) become trap, trap#2, ...
    seen.set(t[1], n);
    m.set(n === 1 ? t[1] : `${t[1]}#${n}`, t[2]);
  }
  return m;
}

/** Lines "name: qemu=... unum=..." for every entry that differs; empty when equal. */
export function diffDumps(qemu: string, unum: string): string[] {
  const q = parseDump(qemu), u = parseDump(unum);
  const out: string[] = [];
  for (const k of new Set([...q.keys(), ...u.keys()])) {
    if (q.get(k) !== u.get(k)) out.push(`${k}: qemu=${q.get(k) ?? '(missing)'} unum=${u.get(k) ?? '(missing)'}`);
  }
  // anything else that differs (a line the parser skipped, extra output)
  const ql = qemu.split(/\r?\n/), ul = unum.split(/\r?\n/);
  for (let i = 0; out.length === 0 && i < Math.max(ql.length, ul.length); i++) {
    if (ql[i] !== ul[i]) out.push(`line ${i + 1}: qemu=${JSON.stringify(ql[i] ?? null)} unum=${JSON.stringify(ul[i] ?? null)}`);
  }
  return out;
}
