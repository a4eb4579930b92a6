import * as grpc from '@grpc/grpc-js';
import { DsmNode, GrpcTransport, makeHello, MemoryPageStore, protocolSpec } from '@unum/dsm';
import { DsmLinkClient, type Envelope } from '@unum/protos/dsm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Node 2 is under attack; node 1 is its honest peer; "node 0" is a raw gRPC
// client. Refused links and malformed frames are counted and logged, and
// node 2 keeps serving node 1 correctly.
const secret = 'correct horse battery staple';
const logger = pino({ level: 'silent' });
type Frame = Envelope;
/** A frame with one body: `frame('request', {...})`. */
const frame = (kind: string, value: unknown): Frame => ({ body: { $case: kind, value } } as Frame);

describe('DSM gRPC link authentication and malformed input', () => {
  let t1: GrpcTransport, t2: GrpcTransport;
  let n1: DsmNode, n2: DsmNode;
  const s1 = new MemoryPageStore(4096);
  const s2 = new MemoryPageStore(4096);
  let addr = '';

  beforeAll(async () => {
    t2 = await GrpcTransport.start({ self: 2, nodes: 3, secret, logger, helloTimeoutMs: 500 });
    t1 = await GrpcTransport.start({ self: 1, nodes: 3, secret, logger });
    addr = `127.0.0.1:${t2.port}`;
    const opts = { nodes: 3, protocol: protocolSpec('ivy-dynamic'), unitBytes: 4096, units: 16, placement: 'interleaved' as const, logger };
    n1 = new DsmNode({ ...opts, id: 1, store: s1, transport: t1 });
    n2 = new DsmNode({ ...opts, id: 2, store: s2, transport: t2 });
    t1.connect({ 2: addr });
    await t1.ready([2]);
  });
  afterAll(async () => {
    await n1?.close();
    await n2?.close();
  });

  /** Opens a raw Link stream, writes `frames`, and returns the status code it ends with. */
  function rawLink(frames: Frame[]): Promise<number> {
    const client = new DsmLinkClient(addr, grpc.credentials.createInsecure());
    const call = client.link();
    return new Promise((resolve) => {
      call.on('data', () => undefined);
      call.on('error', (e: grpc.ServiceError) => { client.close(); resolve(e.code); });
      call.on('end', () => { client.close(); resolve(grpc.status.OK); });
      for (const f of frames) call.write(f);
    });
  }

  it('refuses a wrong secret, a wrong protocol version, an unknown node, and a missing hello', async () => {
    const before = t2.rejected();
    const request = frame('request', { unit: 2, access: 1, requester: 0, hops: 0, prefetch: 0 });
    expect(await rawLink([frame('hello', makeHello('wrong secret', 'unum', 0, 2)), request])).toBe(grpc.status.UNAUTHENTICATED);
    expect(await rawLink([frame('hello', makeHello(secret, 'unum', 0, 2, 99))])).toBe(grpc.status.UNAUTHENTICATED);
    expect(await rawLink([frame('hello', makeHello(secret, 'unum', 7, 2))])).toBe(grpc.status.UNAUTHENTICATED);
    expect(await rawLink([frame('hello', makeHello(secret, 'other-cluster', 0, 2))])).toBe(grpc.status.UNAUTHENTICATED);
    expect(await rawLink([request])).toBe(grpc.status.UNAUTHENTICATED);
    expect(await rawLink([])).toBe(grpc.status.UNAUTHENTICATED); // silent peer: hello timeout
    expect(t2.rejected() - before).toBe(6);
    expect(s2.rightsOf(2)).toBe('none'); // the request behind the bad hello never reached the DSM
  });

  it('survives bytes that are not a protobuf at all', async () => {
    const Raw = grpc.makeGenericClientConstructor({
      link: {
        path: '/unum.dsm.v1.DsmLink/Link', requestStream: true, responseStream: true,
        requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b,
        responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b,
      },
    }, 'Raw');
    const client = new Raw(addr, grpc.credentials.createInsecure());
    const call = (client as unknown as { link(): grpc.ClientDuplexStream<Buffer, Buffer> }).link();
    const code = await new Promise<number>((resolve) => {
      call.on('data', () => undefined);
      call.on('error', (e: grpc.ServiceError) => resolve(e.code));
      call.on('end', () => resolve(grpc.status.OK));
      call.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    });
    client.close();
    expect(code).not.toBe(grpc.status.OK);
  });

  it('drops malformed frames from an authenticated peer and keeps working', async () => {
    const before = n2.stats().rejected;
    const frames: Frame[] = [
      frame('hello', makeHello(secret, 'unum', 0, 2)),
      {}, // no body
      frame('hello', makeHello(secret, 'unum', 0, 2)), // second hello
      frame('request', { unit: 999, access: 0, requester: 0, hops: 0, prefetch: 0 }), // unit out of range
      frame('request', { unit: 2, access: 0, requester: 9, hops: 0, prefetch: 0 }), // unknown requester
      frame('page', { unit: 5, version: 0, owner: 0, data: Buffer.alloc(100), zero: false }), // wrong data size
      frame('grant', { unit: 5, version: 0, copyset: [], data: Buffer.alloc(4096), zero: false, keepCopies: false, home: false, updateSet: [] }), // ownership nobody asked for
      frame('ack', { unit: 2, version: 3 }), // ack nobody awaited
    ];
    const client = new DsmLinkClient(addr, grpc.credentials.createInsecure());
    const call = client.link();
    const hello = new Promise((r) => call.once('data', r));
    call.on('error', () => undefined);
    for (const f of frames) call.write(f);
    await hello;
    await expect.poll(() => n2.stats().rejected - before, { timeout: 5000 }).toBe(7);
    call.end();
    client.close();
    expect(s2.rightsOf(5)).toBe('none'); // the unasked-for grant was not installed

    // Honest traffic still works both ways: unit 2 lives on node 2, unit 4 on node 1.
    await n2.fault(2, 'write');
    s2.store32(2, 0, 42);
    await n1.fault(2, 'read');
    expect(s1.load32(2, 0)).toBe(42);
    await n2.fault(4, 'write');
    expect(s2.can(4, 'write')).toBe(true);
    expect(s1.rightsOf(4)).toBe('none');
  });
});
