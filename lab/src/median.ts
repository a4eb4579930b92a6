/** Median and relative spread ((max − min) / median) of repeated measurements. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** (max − min) / median; 0 for one sample or a zero median. */
  relSpread: number;
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) return { median: NaN, min: NaN, max: NaN, relSpread: NaN };
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  const min = s[0]!;
  const max = s[s.length - 1]!;
  return { median, min, max, relSpread: median === 0 ? 0 : (max - min) / median };
}
