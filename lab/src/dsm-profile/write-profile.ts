/**
 * `unum run --profile-dsm FILE [--symbols System.map|vmlinux]`: read the
 * symbols (before the run: a bad file is one line and exit 2), then at the
 * end write FILE (the whole report as JSON), FILE's base + `.svg`/`.png`
 * (the chart) and return the top-N tables for stderr.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { writeChart } from '../plot.js';
import { elfSymbols, isElf } from './elf-symbols.js';
import type { GuestRegion } from './guest-map.js';
import { profileChart } from './profile-plot.js';
import { profileReport, profileTables, type ProfiledRun } from './profile-report.js';
import { SymbolTable } from './symbol-table.js';

/** Rows in the printed tables and bars in the chart. */
export const PROFILE_TOP = 15;

/** A System.map (plain or gzip, as committed in guest/linux/out) or an ELF with a symbol table; throws one line. */
export function loadSymbols(path: string): SymbolTable {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  } catch (e) {
    throw new RangeError(`cannot read --symbols ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return isElf(bytes) ? elfSymbols(bytes) : SymbolTable.fromSystemMap(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new RangeError(`--symbols ${path}: ${(e as Error).message}`);
  }
}

export interface ProfileOutput {
  file: string;
  symbols?: SymbolTable;
  regions: readonly GuestRegion[];
}

/** Writes the report and chart; returns the tables to print. */
export async function writeDsmProfile(run: ProfiledRun, out: ProfileOutput): Promise<string> {
  const report = profileReport(run, { symbols: out.symbols, regions: out.regions });
  await writeFile(out.file, `${JSON.stringify(report, null, 1)}\n`);
  const base = out.file.replace(/\.json$/i, '');
  const chart = await writeChart(profileChart(report, PROFILE_TOP, `DSM profile (${report.unitBytes / 1024} KiB units)`), base);
  return `${profileTables(report, PROFILE_TOP)}\nprofile: ${out.file}, chart: ${chart.png}\n`;
}
