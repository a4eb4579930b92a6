import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Out-of-tree variants: each module (a path to an ESM file) registers its
 * bases or modifiers with registerProtocol/registerModifier from @unum/dsm
 * when imported, knobs and all. `unum` loads the list in UNUM_DSM_MODULES
 * (comma-separated) before it reads any flag, in every process it runs
 * (agents inherit the variable), so a researcher's variant is one file.
 *
 * @example
 *   UNUM_DSM_MODULES=./my-variant.mjs npx unum run x.elf --nodes 2 --protocol my-base --my-knob 3
 */
export async function loadVariantModules(list: string | undefined): Promise<void> {
  for (const path of (list ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    try {
      await import(pathToFileURL(resolve(path)).href);
    } catch (e) {
      throw new RangeError(`cannot load DSM variant module ${path}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
}
