// Test entry: every FPU function plus flag access for the JS side.
export * from "../assembly/fpu/index";
import { fpFlags } from "../assembly/fpu/index";

export function takeFlags(): u32 {
  let f = fpFlags;
  fpFlags = 0;
  return f;
}
