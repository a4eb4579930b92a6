/**
 * The wire's 64-bit integers are bigints, which JSON.stringify refuses;
 * JSON readers (the dashboard, `--json` outputs) get them as numbers
 * (sizes and counters all fit in 2^53).
 */
export function wireJson(value: unknown, space?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), space);
}
