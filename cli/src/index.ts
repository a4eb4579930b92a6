// @unum/cli public API: the `unum` command (bin/unum.js runs `main`).
export { main } from './main.js';
