// @unum/cli public API: the `unum` command (bin/unum.js runs `main`).
export { main } from './main.js';
// Experiment helpers, here until the lab moves to its own package.
export { parseResultLine, parseResultOutput, type ResultLine } from './experiment/result-line.js';
export { spreadOf, type Spread } from './experiment/median.js';
