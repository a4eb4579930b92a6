/**
 * Every guest/bin workload at a size that runs in about a second under
 * unum and QEMU, with the hart counts worth comparing. Shared by the suites
 * that check unum's checksums against QEMU's (one node and several).
 */
export interface TinyWorkload {
  name: string;
  /** the guest's bootargs */
  append: string;
  /** hart counts to run it on (two-party workloads need 2) */
  harts: number[];
}

export const TINY_WORKLOADS: TinyWorkload[] = [
  { name: 'memscan', append: 'size=512K iters=1', harts: [1, 2] },
  { name: 'hashjoin', append: 'size=512K iters=1', harts: [1, 2] },
  { name: 'matmul', append: 'n=24 iters=1', harts: [1, 2] },
  { name: 'jacobi', append: 'n=48 iters=3', harts: [1, 2] },
  { name: 'radix', append: 'size=64K iters=1', harts: [1, 2] },
  { name: 'falseshare', append: 'count=5000 iters=1', harts: [2] },
  { name: 'pingpong', append: 'rounds=200', harts: [2] },
  { name: 'lock', append: 'count=1000 cs=4 iters=1', harts: [2] },
  { name: 'lock', append: 'count=1000 cs=4 iters=1 kind=spin', harts: [2] },
  { name: 'stream', append: 'size=192K iters=1', harts: [1, 2] },
];
