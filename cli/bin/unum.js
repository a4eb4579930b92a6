#!/usr/bin/env node
// `unum` command: thin shim over the compiled CLI.
import { main } from '../dist/main.js';

const status = await main(process.argv);
process.exit(status);
