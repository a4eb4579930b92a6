export type { Access, VcpuExit } from "./exit.js";
