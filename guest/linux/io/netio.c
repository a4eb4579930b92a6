/* netio: TCP request/response rate and bulk throughput against the host end
 * of the guest's NIC (the io benchmark, bench/src/io; the host side is
 * guest/linux/io/netio-peer.mjs). One pattern per run:
 *   netio host=A.B.C.D port=5201 mode=rr|send|recv n=2000 msg=64 bytes=8M cpu=C
 * rr: n round trips of a msg-byte request the peer echoes (requests/s and
 * the mean round trip); send: bytes to the peer, which answers with the
 * count it got once we shut down our side; recv: the peer sends bytes.
 * The first byte on the connection names the pattern to the peer ('E' echo,
 * 'S' sink, 'G' source + 8-byte count). Data is a pattern from the offset,
 * so both ends check it; checksum covers the bytes moved. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "../../workloads/common.h"

enum { RR, SEND, RECV };
static const char *const modes[] = {"rr", "send", "recv"};
#define CHUNK 65536

static uint8_t pattern(uint64_t off) { return (uint8_t)(off * 131 + (off >> 8) * 7 + 1); }

static void send_all(int s, const uint8_t *p, size_t n) {
  while (n) {
    ssize_t k = send(s, p, n, 0);
    if (k <= 0) fail(EXIT_WRONG, "send: %s", k < 0 ? strerror(errno) : "closed");
    p += k;
    n -= (size_t)k;
  }
}

static void recv_all(int s, uint8_t *p, size_t n) {
  while (n) {
    ssize_t k = recv(s, p, n, 0);
    if (k <= 0) fail(EXIT_WRONG, "recv: %s", k < 0 ? strerror(errno) : "peer closed");
    p += k;
    n -= (size_t)k;
  }
}

int main(void) {
  const char *host = arg_str("host", "10.79.0.1");
  uint64_t port = arg_u64("port", 5201);
  const char *mode_s = arg_str("mode", "rr");
  uint64_t n = arg_u64("n", 2000);
  uint64_t msg = arg_u64("msg", 64);
  uint64_t bytes = arg_u64("bytes", 8ULL << 20);
  uint64_t cpu = arg_u64("cpu", UINT64_MAX);
  int mode = -1;
  for (int m = 0; m < 3; m++) if (strcmp(mode_s, modes[m]) == 0) mode = m;
  if (mode < 0) fail(EXIT_BADARG, "argument mode=%s: rr, send or recv", mode_s);
  if (port < 1 || port > 65535) fail(EXIT_BADARG, "argument port=%lu: 1..65535", (unsigned long)port);
  if (msg < 1 || msg > CHUNK) fail(EXIT_BADARG, "argument msg=%lu: 1..%d", (unsigned long)msg, CHUNK);
  if (n < 1 || bytes < 1) fail(EXIT_BADARG, "arguments n= and bytes= must be at least 1");
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  if (inet_pton(AF_INET, host, &to.sin_addr) != 1) fail(EXIT_BADARG, "argument host=%s: an IPv4 address", host);
  args_done();
  pin_cpu_arg(cpu);

  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0 || connect(s, (struct sockaddr *)&to, sizeof to) != 0) fail(EXIT_WRONG, "connect %s:%lu: %s", host, (unsigned long)port, strerror(errno));
  int one = 1;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  static uint8_t buf[CHUNK], want[CHUNK];
  uint64_t sum = 0, bad = 0, moved = 0;
  span_t t = {0};

  if (mode == RR) {
    send_all(s, (const uint8_t *)"E", 1);
    span_begin(&t);
    for (uint64_t i = 0; i < n; i++) {
      for (uint64_t j = 0; j < msg; j++) want[j] = pattern(i * msg + j);
      send_all(s, want, msg);
      recv_all(s, buf, msg);
      bad += memcmp(buf, want, msg) != 0;
      sum += mix64(i ^ buf[0] ^ ((uint64_t)buf[msg - 1] << 8));
    }
    span_end(&t);
    moved = n * msg * 2;
  } else if (mode == SEND) {
    send_all(s, (const uint8_t *)"S", 1);
    span_begin(&t);
    for (uint64_t off = 0; off < bytes;) {
      size_t k = bytes - off < CHUNK ? (size_t)(bytes - off) : CHUNK;
      for (size_t j = 0; j < k; j++) buf[j] = pattern(off + j);
      send_all(s, buf, k);
      off += k;
    }
    shutdown(s, SHUT_WR);
    uint64_t got = 0;
    recv_all(s, (uint8_t *)&got, 8);   /* the peer's count, little-endian, once it saw our EOF */
    span_end(&t);
    bad = got != bytes;
    sum = mix64(got);
    moved = bytes;
  } else {
    uint8_t req[9] = {'G'};
    memcpy(req + 1, &bytes, 8);
    send_all(s, req, 9);
    span_begin(&t);
    uint64_t off = 0;
    while (off < bytes) {
      ssize_t k = recv(s, buf, CHUNK, 0);
      if (k <= 0) fail(EXIT_WRONG, "recv after %lu bytes: %s", (unsigned long)off, k < 0 ? strerror(errno) : "peer closed");
      for (ssize_t j = 0; j < k; j++) bad += buf[j] != pattern(off + (uint64_t)j);
      off += (uint64_t)k;
    }
    span_end(&t);
    sum = mix64(off);
    moved = bytes;
  }
  close(s);

  double secs = (double)t.ticks / 1e9;
  if (mode == RR) {
    result_line("netio", bad == 0, "harts=1 mode=rr n=%lu msg=%lu rps=%.0f rtt_us=%.1f bad=%lu checksum=0x%016lx ticks=%lu instret=%lu",
                (unsigned long)n, (unsigned long)msg, (double)n / secs, secs * 1e6 / (double)n, (unsigned long)bad,
                (unsigned long)sum, (unsigned long)t.ticks, (unsigned long)t.instret);
  } else {
    result_line("netio", bad == 0, "harts=1 mode=%s bytes=%lu mbps=%.2f bad=%lu checksum=0x%016lx ticks=%lu instret=%lu",
                modes[mode], (unsigned long)moved, (double)moved / secs / 1e6, (unsigned long)bad, (unsigned long)sum,
                (unsigned long)t.ticks, (unsigned long)t.instret);
  }
  return bad ? EXIT_WRONG : EXIT_OK;
}
