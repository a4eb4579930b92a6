#!/usr/bin/env node
// Measures an emulated link from inside the namespaces (plain TCP, no deps):
//   ip netns exec unum-h1 node deploy/netns/probe.mjs serve 10.77.0.11 9000 [SECONDS]
//   ip netns exec unum-h2 node deploy/netns/probe.mjs rtt 10.77.0.11 9000 [COUNT]
//   ip netns exec unum-h2 node deploy/netns/probe.mjs bulk 10.77.0.11 9000 [BYTES]
// serve echoes every byte back and exits after SECONDS (default 30);
// rtt and bulk print one JSON line: {"rttMs":[...],"medianMs":..} / {"bytes":..,"seconds":..,"mbitPerS":..}.
import net from 'node:net';

const [mode, host, portText, nText] = process.argv.slice(2);
const port = Number(portText);
if (!['serve', 'rtt', 'bulk'].includes(mode ?? '') || !host || !(port > 0 && port < 65536)) {
  console.error('usage: probe.mjs serve|rtt|bulk HOST PORT [SECONDS|COUNT|BYTES]');
  process.exit(2);
}
const fail = (e) => { console.error(`probe: ${mode} ${host}:${port}: ${e.message}`); process.exit(1); };

function serve(seconds) {
  const server = net.createServer((s) => { s.setNoDelay(true); s.on('error', () => s.destroy()); s.pipe(s); });
  server.on('error', fail);
  server.listen(port, host, () => console.log(JSON.stringify({ listening: `${host}:${port}` })));
  setTimeout(() => process.exit(0), seconds * 1000).unref();
  setTimeout(() => {}, seconds * 1000); // keeps the process alive exactly that long
}

/** Connects and resolves with a function that sends bytes and resolves when `want` bytes came back. */
function connect() {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port, noDelay: true }, () => {
      let got = 0, want = 0, done = null;
      s.on('data', (d) => { got += d.length; if (done && got >= want) { const f = done; done = null; f(); } });
      resolve({
        exchange: (bytes) => new Promise((r) => { want = got + bytes.length; done = r; s.write(bytes); }),
        close: () => s.destroy(),
      });
    });
    s.on('error', reject);
    s.setTimeout(30_000, () => s.destroy(new Error('no answer in 30 s')));
  });
}

async function rtt(count) {
  const c = await connect();
  const rttMs = [];
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await c.exchange(Buffer.from([i & 0xff]));
    rttMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  c.close();
  const sorted = [...rttMs].sort((a, b) => a - b);
  console.log(JSON.stringify({ rttMs, medianMs: sorted[Math.floor(sorted.length / 2)] }));
}

async function bulk(bytes) {
  const c = await connect();
  const t0 = process.hrtime.bigint();
  await c.exchange(Buffer.alloc(bytes, 0x5a));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  c.close();
  console.log(JSON.stringify({ bytes, seconds, mbitPerS: (bytes * 8) / seconds / 1e6 }));
}

const n = nText === undefined ? undefined : Number(nText);
if (n !== undefined && !(Number.isInteger(n) && n > 0 && n <= 1e9)) fail(new Error(`bad count '${nText}'`));
if (mode === 'serve') serve(n ?? 30);
else if (mode === 'rtt') rtt(Math.min(n ?? 20, 10_000)).catch(fail);
else bulk(n ?? 1 << 20).catch(fail);
