/**
 * Where the CLI finds itself and the repository: experiments and the
 * embedded cluster start `node UNUM_BIN ...` child processes, the demo and
 * the experiments read guests from `${REPO}guest/bin`. Resolved from the
 * compiled file (cli/dist/paths.js).
 */
import { fileURLToPath } from 'node:url';

/** The repository root, with a trailing slash. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The `unum` command (cli/bin/unum.js). */
export const UNUM_BIN = fileURLToPath(new URL('../bin/unum.js', import.meta.url));
