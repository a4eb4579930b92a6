import * as grpc from '@grpc/grpc-js';
import { EchoClient, EchoService, type Frame } from '@unum/protos/dsm-bench';

/** The raw baseline service: answers each frame with `replyBytes` bytes on the same stream. */
export function registerEcho(server: grpc.Server): void {
  const replies = new Map<number, Buffer>();
  server.addService(EchoService, {
    link: (call: grpc.ServerDuplexStream<Frame, Frame>) => {
      call.on('data', (f: Frame) => {
        let payload = replies.get(f.replyBytes);
        if (!payload) replies.set(f.replyBytes, (payload = Buffer.alloc(Math.min(f.replyBytes, 1 << 16), 7)));
        call.write({ seq: f.seq, replyBytes: 0, payload });
      });
      call.on('end', () => call.end());
      call.on('error', () => undefined);
    },
  });
}

/**
 * Round trips on one bidi stream: a small frame out, `replyBytes` back, with
 * `depth` frames outstanding. Returns each round trip in µs and the total ms.
 */
export async function echoRounds(addr: string, count: number, replyBytes: number, depth = 1): Promise<{ us: number[]; totalMs: number }> {
  const client = new EchoClient(addr, grpc.credentials.createInsecure());
  const call = client.link();
  const started = new Map<bigint, number>();
  const us: number[] = [];
  const small = Buffer.alloc(16, 1);
  let next = 0n;
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const sendOne = () => {
      started.set(next, performance.now());
      call.write({ seq: next++, replyBytes, payload: small });
    };
    call.on('data', (f: Frame) => {
      us.push((performance.now() - started.get(f.seq)!) * 1000);
      started.delete(f.seq);
      if (next < BigInt(count)) sendOne();
      else if (started.size === 0) resolve();
    });
    call.on('error', reject);
    for (let i = 0; i < Math.min(depth, count); i++) sendOne();
  });
  const totalMs = performance.now() - t0;
  call.end();
  client.close();
  return { us, totalMs };
}
