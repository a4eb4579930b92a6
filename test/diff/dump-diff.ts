/** Compares two register dumps ("name hexvalue" lines, as harness.S and
 * traps.S print them) and renders the differences for a failure message. */
export function parseDump(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const t = /^(\S+(?: \d+)?) ([0-9a-f]{16}(?: [0-9a-f]{16})*)$/.exec(line.trim());
    if (t) m.set(m.has(t[1]) ? `${t[1]}#${m.size}` : t[1], t[2]);
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
  return out;
}
