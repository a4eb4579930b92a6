/* key=value arguments from /chosen/bootargs (QEMU -append, unum `-- args`). */
#include "internal.h"

#define MAX_ARGS 32
typedef struct { const char *key, *val; bool used; } arg_t;

static char text[1024];
static arg_t argv_[MAX_ARGS];
static unsigned argc_;
static const char *asked[MAX_ARGS];
static unsigned nasked;
static bool parsed;

static void parse(void) {
  if (parsed) return;
  parsed = true;
  const char *src = bootargs();
  size_t n = strlen(src);
  if (n >= sizeof text) fail(EXIT_BADARG, "bootargs longer than %u bytes", (unsigned)sizeof text - 1);
  memcpy(text, src, n + 1);
  char *p = text;
  while (*p) {
    while (*p == ' ' || *p == '\t') *p++ = 0;
    if (!*p) break;
    char *tok = p, *eq = 0;
    while (*p && *p != ' ' && *p != '\t') { if (*p == '=' && !eq) eq = p; p++; }
    if (*p) *p++ = 0;
    if (!eq || eq == tok || !eq[1]) fail(EXIT_BADARG, "malformed argument '%s' (expected key=value)", tok);
    if (argc_ == MAX_ARGS) fail(EXIT_BADARG, "more than %u arguments", MAX_ARGS);
    *eq = 0;
    for (unsigned i = 0; i < argc_; i++)
      if (strcmp(argv_[i].key, tok) == 0) fail(EXIT_BADARG, "argument '%s' given twice", tok);
    argv_[argc_++] = (arg_t){tok, eq + 1, false};
  }
}

static const char *lookup(const char *key) {
  parse();
  bool seen = false;
  for (unsigned i = 0; i < nasked; i++) if (strcmp(asked[i], key) == 0) seen = true;
  if (!seen && nasked < MAX_ARGS) asked[nasked++] = key;
  for (unsigned i = 0; i < argc_; i++)
    if (strcmp(argv_[i].key, key) == 0) { argv_[i].used = true; return argv_[i].val; }
  return 0;
}

const char *arg_str(const char *key, const char *def) {
  const char *v = lookup(key);
  return v ? v : def;
}

uint64_t arg_u64(const char *key, uint64_t def) {
  const char *s = lookup(key);
  if (!s) return def;
  const char *p = s;
  unsigned base = 10;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) { base = 16; p += 2; }
  uint64_t v = 0;
  bool any = false;
  for (;; p++) {
    unsigned d;
    if (*p >= '0' && *p <= '9') d = (unsigned)(*p - '0');
    else if (base == 16 && *p >= 'a' && *p <= 'f') d = (unsigned)(*p - 'a' + 10);
    else if (base == 16 && *p >= 'A' && *p <= 'F') d = (unsigned)(*p - 'A' + 10);
    else break;
    if (v > (UINT64_MAX - d) / base) fail(EXIT_BADARG, "argument %s=%s: number too large", key, s);
    v = v * base + d;
    any = true;
  }
  unsigned shift = 0;
  switch (*p) {
  case 'k': case 'K': shift = 10; p++; break;
  case 'm': case 'M': shift = 20; p++; break;
  case 'g': case 'G': shift = 30; p++; break;
  default: break;
  }
  if (!any || *p) fail(EXIT_BADARG, "argument %s=%s: expected a number like 4096, 0x1000, 64K, 64M or 1G", key, s);
  if (shift && v > (UINT64_MAX >> shift)) fail(EXIT_BADARG, "argument %s=%s: number too large", key, s);
  return v << shift;
}

unsigned arg_threads(void) {
  uint64_t t = arg_u64("threads", hart_count());
  if (t < 1 || t > hart_count())
    fail(EXIT_BADARG, "argument threads=%lu: must be 1..%u (harts in the device tree)", (unsigned long)t, hart_count());
  return (unsigned)t;
}

void args_done(void) {
  parse();
  for (unsigned i = 0; i < argc_; i++) {
    if (argv_[i].used) continue;
    char known[256];
    size_t len = 0;
    known[0] = 0;
    for (unsigned k = 0; k < nasked && len < sizeof known; k++)
      len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", k ? " " : "", asked[k]);
    fail(EXIT_BADARG, "unknown argument '%s' (this program takes: %s)", argv_[i].key, nasked ? known : "no arguments");
  }
}
