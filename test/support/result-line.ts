/**
 * The RESULT line parser (guest/README.md). It lives in the coordinator,
 * whose experiments read guest results; tests use the same one.
 *
 * @example
 *   const r = parseResultOutput(stdout);
 *   r.checksum === other.checksum; r.int('ticks'); // bigint
 */
export { parseResultLine, parseResultOutput, type ResultLine } from '@unum/lab';
