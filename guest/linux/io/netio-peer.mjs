#!/usr/bin/env node
// The host end of netio (guest/linux/io/netio.c): a TCP server on the host
// side of the guest's TAP. Per connection the first byte names the pattern:
// 'E' echo every byte back, 'S' sink (count and check the pattern, answer the
// count as 8 bytes little-endian at the client's EOF), 'G' + 8-byte count:
// send that many pattern bytes. Prints "listening ADDR:PORT" when ready and
// "bad N" for pattern errors; exits after SECONDS (bounded, as every test
// server here), or on SIGTERM.
// Usage: node netio-peer.mjs ADDR PORT [SECONDS]
import net from 'node:net';

const [addr, portText, secondsText = '300'] = process.argv.slice(2);
const pattern = (off) => (off * 131 + Math.floor(off / 256) * 7 + 1) & 0xff;
const CHUNK = 65536;

function sink(sock, first) {
  let count = 0;
  let bad = 0;
  const take = (d) => {
    for (let j = 0; j < d.length; j++) if (d[j] !== pattern(count + j)) bad++;
    count += d.length;
  };
  take(first);
  sock.on('data', take);
  sock.on('end', () => {
    if (bad) console.log(`bad ${bad}`);
    const reply = Buffer.alloc(8);
    reply.writeBigUInt64LE(BigInt(count));
    sock.end(reply);
  });
}

function source(sock, first) {
  let head = first;
  const start = (d) => {
    head = Buffer.concat([head, d]);
    if (head.length < 8) return;
    sock.off('data', start);
    const total = Number(head.readBigUInt64LE(0));
    let off = 0;
    const pump = () => {
      while (off < total) {
        const k = Math.min(CHUNK, total - off);
        const b = Buffer.allocUnsafe(k);
        for (let j = 0; j < k; j++) b[j] = pattern(off + j);
        off += k;
        if (!sock.write(b)) return void sock.once('drain', pump);
      }
      sock.end();
    };
    pump();
  };
  sock.on('data', start);
  start(Buffer.alloc(0));
}

const server = net.createServer((sock) => {
  sock.setNoDelay(true);
  sock.on('error', () => sock.destroy());
  sock.once('data', (d) => {
    const kind = String.fromCharCode(d[0]);
    const rest = d.subarray(1);
    if (kind === 'E') {
      if (rest.length) sock.write(rest);
      sock.on('data', (x) => sock.write(x));
      sock.on('end', () => sock.end());
    } else if (kind === 'S') sink(sock, rest);
    else if (kind === 'G') source(sock, rest);
    else sock.destroy();
  });
});
server.listen(Number(portText), addr, () => console.log(`listening ${addr}:${portText}`));
const stop = () => { server.close(); process.exit(0); };
setTimeout(stop, Number(secondsText) * 1000).unref();
process.on('SIGTERM', stop);
