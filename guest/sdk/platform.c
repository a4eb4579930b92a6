/* What the device tree says about this machine: harts, memory, NUMA, bootargs. */
#include "internal.h"
#include "fdt.h"

typedef struct { unsigned hartid, node; } hart_info;

static hart_info harts[SDK_MAX_HARTS];
static unsigned nharts;
_Static_assert(SDK_MAX_MEM == 64, "the too-many-ranges error names 64");
static mem_range mems[SDK_MAX_MEM];
static unsigned nmems;
static uint64_t tbfreq;
static const char *args = "";
static signed char index_of_hart[SDK_MAX_HARTS];
/* Software-interrupt register of each hart. QEMU virt has one CLINT per
 * socket (= NUMA node), so this comes from the clint nodes' interrupts-extended. */
static uint64_t msip_addr[SDK_MAX_HARTS];
#define MAX_INTC SDK_MAX_HARTS
static struct { uint32_t phandle; unsigned hartid; } intcs[MAX_INTC];
static unsigned nintcs;
#define MAX_CLINTS 8
static struct { uint64_t base; const uint8_t *ie; uint32_t ie_len; } clints[MAX_CLINTS];
static unsigned nclints;

/* Collector state while scanning. */
typedef struct {
  uint32_t root_addr_cells, root_size_cells;
  const char *top;             /* name of the depth-1 node we are in */
  bool in_cpu, cpu_is_cpu, cpu_ok, cpu_has_reg;
  unsigned cpu_reg, cpu_node;
  bool in_mem, mem_is_mem;
  const uint8_t *mem_reg;
  uint32_t mem_reg_len;
  unsigned mem_node;
  int node_depth;               /* the node the node_* fields describe */
  bool node_clint;
  uint64_t node_base;
  const uint8_t *node_ie;
  uint32_t node_ie_len, node_phandle;
  const char *error;
} scan_state;

static bool starts(const char *s, const char *prefix) {
  while (*prefix) if (*s++ != *prefix++) return false;
  return true;
}

static bool str_is(const uint8_t *val, uint32_t len, const char *want) {
  size_t n = strlen(want);
  return len >= n + 1 && memcmp(val, want, n) == 0 && val[n] == 0;
}

static bool has_compatible(const uint8_t *val, uint32_t len, const char *want) {
  for (uint32_t off = 0; off < len;) {
    const char *c = (const char *)val + off;
    if (strcmp(c, want) == 0) return true;
    off += (uint32_t)strlen(c) + 1;
  }
  return false;
}

static void on_begin(void *ctx, int depth, const char *name) {
  scan_state *st = ctx;
  st->node_depth = depth;
  st->node_clint = false;
  st->node_ie = 0;
  st->node_phandle = 0;
  if (depth == 1) {
    st->top = name;
    st->in_mem = starts(name, "memory");
    st->mem_is_mem = false;
    st->mem_reg = 0;
    st->mem_node = 0;
  }
  if (depth == 2 && strcmp(st->top, "cpus") == 0 && starts(name, "cpu@")) {
    st->in_cpu = true;
    st->cpu_is_cpu = false;
    st->cpu_ok = true;
    st->cpu_has_reg = false;
    st->cpu_node = 0;
  }
}

static void on_prop(void *ctx, int depth, const char *name, const uint8_t *val, uint32_t len) {
  scan_state *st = ctx;
  if (len > 0 && val[len - 1] == 0 && strcmp(name, "compatible") == 0)
    st->node_clint = has_compatible(val, len, "riscv,clint0") || has_compatible(val, len, "sifive,clint0");
  if (strcmp(name, "reg") == 0 && (len == 8 || len >= 16)) st->node_base = len == 8 ? fdt_be32(val) : fdt_cells(val, 2);
  if (strcmp(name, "interrupts-extended") == 0) { st->node_ie = val; st->node_ie_len = len; }
  if (strcmp(name, "phandle") == 0 && len == 4) st->node_phandle = fdt_be32(val);
  if (depth == 0) {
    if (strcmp(name, "#address-cells") == 0 && len == 4) st->root_addr_cells = fdt_be32(val);
    if (strcmp(name, "#size-cells") == 0 && len == 4) st->root_size_cells = fdt_be32(val);
    return;
  }
  if (strcmp(name, "timebase-frequency") == 0 && (len == 4 || len == 8) && !tbfreq)
    tbfreq = fdt_cells(val, len / 4);
  if (depth == 1 && strcmp(st->top, "chosen") == 0 && strcmp(name, "bootargs") == 0 && len > 0 &&
      val[len - 1] == 0)
    args = (const char *)val;
  if (depth == 1 && st->in_mem) {
    if (strcmp(name, "device_type") == 0) st->mem_is_mem = str_is(val, len, "memory");
    if (strcmp(name, "reg") == 0) { st->mem_reg = val; st->mem_reg_len = len; }
    if (strcmp(name, "numa-node-id") == 0 && len == 4) st->mem_node = fdt_be32(val);
  }
  if (depth == 2 && st->in_cpu) {
    if (strcmp(name, "device_type") == 0) st->cpu_is_cpu = str_is(val, len, "cpu");
    if (strcmp(name, "status") == 0) st->cpu_ok = str_is(val, len, "okay") || str_is(val, len, "ok");
    if (strcmp(name, "reg") == 0 && (len == 4 || len == 8)) {
      st->cpu_reg = (unsigned)fdt_cells(val, len / 4);
      st->cpu_has_reg = true;
    }
    if (strcmp(name, "numa-node-id") == 0 && len == 4) st->cpu_node = fdt_be32(val);
  }
}

static void on_end(void *ctx, int depth) {
  scan_state *st = ctx;
  if (depth == st->node_depth) {
    if (st->node_clint && st->node_ie && nclints < MAX_CLINTS)
      clints[nclints++] = (typeof(clints[0])){st->node_base, st->node_ie, st->node_ie_len};
    /* cpu@N/interrupt-controller: the phandle CLINTs use to name hart N */
    if (depth == 3 && st->in_cpu && st->cpu_has_reg && st->node_phandle && nintcs < MAX_INTC)
      intcs[nintcs++] = (typeof(intcs[0])){st->node_phandle, st->cpu_reg};
    st->node_clint = false;
    st->node_phandle = 0;
  }
  st->node_depth = depth - 1;
  if (depth == 2 && st->in_cpu) {
    st->in_cpu = false;
    if (st->cpu_is_cpu && st->cpu_ok && st->cpu_has_reg && st->cpu_reg < SDK_MAX_HARTS &&
        nharts < SDK_MAX_HARTS)
      harts[nharts++] = (hart_info){st->cpu_reg, st->cpu_node};
  }
  if (depth == 1 && st->in_mem && st->mem_is_mem && st->mem_reg) {
    uint32_t entry = 4 * (st->root_addr_cells + st->root_size_cells);
    if (st->root_addr_cells > 2 || st->root_size_cells > 2 || entry == 0) {
      st->error = "unsupported #address-cells/#size-cells";
      return;
    }
    for (uint32_t off = 0; off + entry <= st->mem_reg_len; off += entry) {
      uint64_t base = fdt_cells(st->mem_reg + off, st->root_addr_cells);
      uint64_t size = fdt_cells(st->mem_reg + off + 4 * st->root_addr_cells, st->root_size_cells);
      if (!size) continue;
      if (nmems == SDK_MAX_MEM) {  /* dropping RAM silently would shrink the machine */
        st->error = "device tree lists more than 64 memory ranges (the SDK's limit)";
        return;
      }
      mems[nmems++] = (mem_range){base, size, st->mem_node};
    }
  }
  if (depth == 1) st->in_mem = false;
}

const char *platform_init(const void *fdt) {
  scan_state st = {.root_addr_cells = 2, .root_size_cells = 1, .top = ""};
  static const fdt_visitor v = {on_begin, on_prop, on_end};
  if (fdt_scan(fdt, &v, &st) != 0) return "device tree missing or malformed";
  if (st.error) return st.error;
  if (nharts == 0) return "device tree lists no usable /cpus/cpu@* node";
  if (nmems == 0) return "device tree lists no /memory node";
  /* Sort harts by id so thread t always lands on the same hart. */
  for (unsigned i = 1; i < nharts; i++)
    for (unsigned j = i; j > 0 && harts[j - 1].hartid > harts[j].hartid; j--) {
      hart_info t = harts[j]; harts[j] = harts[j - 1]; harts[j - 1] = t;
    }
  for (unsigned i = 1; i < nmems; i++)
    for (unsigned j = i; j > 0 && mems[j - 1].base > mems[j].base; j--) {
      mem_range t = mems[j]; mems[j] = mems[j - 1]; mems[j - 1] = t;
    }
  for (unsigned h = 0; h < SDK_MAX_HARTS; h++) index_of_hart[h] = -1;
  for (unsigned i = 0; i < nharts; i++) index_of_hart[harts[i].hartid] = (signed char)i;
  if (index_of_hart[0] != 0) return "hart 0 is not usable in the device tree";
  for (unsigned h = 0; h < SDK_MAX_HARTS; h++) msip_addr[h] = 0x02000000ULL + 4ULL * h;
  /* interrupts-extended = <intc-phandle irq> pairs, two per hart (MSIP, MTIP): context k = pair 2k */
  for (unsigned c = 0; c < nclints; c++)
    for (uint32_t k = 0; 16 * k + 4 <= clints[c].ie_len; k++) {
      uint32_t ph = fdt_be32(clints[c].ie + 16 * k);
      for (unsigned i = 0; i < nintcs; i++)
        if (intcs[i].phandle == ph && intcs[i].hartid < SDK_MAX_HARTS) msip_addr[intcs[i].hartid] = clints[c].base + 4ULL * k;
    }
  return 0;
}

volatile uint32_t *platform_msip(unsigned hartid) { return (volatile uint32_t *)(uintptr_t)msip_addr[hartid]; }
unsigned platform_mem_ranges(const mem_range **out) { *out = mems; return nmems; }
int platform_index_of(unsigned hartid) { return hartid < SDK_MAX_HARTS ? index_of_hart[hartid] : -1; }

unsigned hart_count(void) { return nharts; }
unsigned hart_id(void) { unsigned long tp; __asm__("mv %0, tp" : "=r"(tp)); return (unsigned)tp; }
unsigned hart_index(void) { return (unsigned)platform_index_of(hart_id()); }
unsigned hart_id_of(unsigned index) { return index < nharts ? harts[index].hartid : 0; }
unsigned hart_node(unsigned index) { return index < nharts ? harts[index].node : 0; }
uint64_t timebase_hz(void) { return tbfreq; }
const char *bootargs(void) { return args; }

unsigned addr_node(const void *addr) {
  uint64_t a = (uint64_t)(uintptr_t)addr;
  for (unsigned i = 0; i < nmems; i++)
    if (a >= mems[i].base && a - mems[i].base < mems[i].size) return mems[i].node;
  return 0;
}

uint64_t mem_size(void) {
  uint64_t total = 0;
  for (unsigned i = 0; i < nmems; i++) total += mems[i].size;
  return total;
}
