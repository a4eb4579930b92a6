/* The machine as Linux shows it: harts are the online CPUs, in order; the
 * NUMA node of a CPU comes from sysfs, that of a page from get_mempolicy. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "unum.h"

#define MPOL_F_NODE (1 << 0)
#define MPOL_F_ADDR (1 << 1)

unsigned hart_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) return 1;
  return n > SDK_MAX_HARTS ? SDK_MAX_HARTS : (unsigned)n;
}

unsigned hart_index(void) { return sdk_thread_index; }
unsigned hart_id_of(unsigned index) { return index; }   /* par.c pins thread i to CPU i */
unsigned hart_id(void) { return hart_id_of(hart_index()); }

int pin_cpu(uint64_t cpu) {
  if (cpu >= CPU_SETSIZE) return EINVAL;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET((int)cpu, &set);
  return sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : errno;   /* 0: the calling thread */
}

void pin_cpu_arg(uint64_t cpu) {
  int err = cpu == UINT64_MAX ? 0 : pin_cpu(cpu);
  if (err) fail(EXIT_BADARG, "argument cpu=%lu: %s", (unsigned long)cpu, strerror(err));
}

unsigned hart_node(unsigned index) {
  char path[64];
  snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%u", hart_id_of(index));
  DIR *d = opendir(path);
  unsigned node = 0;
  if (!d) return 0;
  for (struct dirent *e; (e = readdir(d));)
    if (strncmp(e->d_name, "node", 4) == 0 && sscanf(e->d_name + 4, "%u", &node) == 1) break;
  closedir(d);
  return node;
}

unsigned addr_node(const void *addr) {
  int node = 0;
  if (syscall(SYS_get_mempolicy, &node, 0, 0, addr, MPOL_F_NODE | MPOL_F_ADDR) != 0) return 0;
  return (unsigned)node;
}

uint64_t mem_size(void) {
  long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
  return pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : 0;
}
