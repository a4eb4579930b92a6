/**
 * Client side of the cluster API for the CLI: `unum run --cluster`,
 * `unum status --cluster`, `unum health`. One authenticated client per
 * address; gRPC failures become one-line ClusterRunErrors.
 */
import * as grpc from '@grpc/grpc-js';
import { protocolSpec } from '@unum/dsm';
import { CHANNEL_OPTIONS, clusterProto, readClusterToken, withToken } from '@unum/node-agent';
import { MachineError, summaryTable, type ClusterStats, type VmRequest } from '@unum/coordinator';
import { ClusterRunError } from './cluster-run-error.js';
import type { ClusterRunContext } from './cluster-run.js';
import { StdioConsole } from './stdio-console.js';

type Callback<T> = (err: grpc.ServiceError | null, res: T) => void;
type Api = Record<string, (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: Callback<unknown>) => void>
  & { watchVm(req: unknown): grpc.ClientReadableStream<Record<string, unknown>>; close(): void };

export function clusterClient(address: string, token: string, service: 'Cluster' | 'Health' = 'Cluster'): Api {
  const Ctor = clusterProto()[service];
  return new Ctor(address, grpc.credentials.createInsecure(), { ...CHANNEL_OPTIONS, interceptors: [withToken(token)] }) as unknown as Api;
}

/** One unary call with a deadline; errors become one line. */
export function call<T>(api: Api, method: string, req: unknown, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    api[method]!(req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (!err) return resolve(res as T);
      if (err.code === grpc.status.INVALID_ARGUMENT) return reject(new MachineError('bad-config', err.details));
      if (err.code === grpc.status.UNAUTHENTICATED) return reject(new ClusterRunError('refused: bad or missing cluster secret'));
      reject(new ClusterRunError(`${method}: ${err.details || err.message}`));
    });
  });
}

export async function runOnStandingCluster(
  address: string, tokenFile: string | undefined, ctx: ClusterRunContext, request: VmRequest,
  finish: (s: ClusterStats, summary: string, code: number, reason: string) => Promise<number>,
): Promise<number> {
  const api = clusterClient(address, readClusterToken({ tokenFile }));
  const info = await call<{ vmId: string }>(api, 'createVm', {
    elf: ctx.elf, vcpus: request.vcpus, memBytes: request.memBytes, placement: request.placement, protocol: request.protocol,
    unitBytes: request.unitBytes, pagePlacement: request.pagePlacement, bootargs: ctx.bootargs, quantum: request.quantum ?? 0,
    knobs: protocolSpec(request.protocol, request.knobs).knobs,
  });
  const vmId = info.vmId;
  const console = new StdioConsole(process.stdin, process.stdout, () => void call(api, 'stopVm', { vmId }).catch(() => undefined));
  console.onInput((data) => void call(api, 'consoleInput', { vmId, data }).catch(() => undefined));
  const onSignal = (): void => void call(api, 'stopVm', { vmId }).catch(() => undefined);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const exit = new Promise<Record<string, unknown>>((resolve, reject) => {
      const stream = api.watchVm({ vmId });
      stream.on('data', (ev: Record<string, unknown>) => {
        if (ev.console) console.write(ev.console as Uint8Array);
        if (ev.exit) resolve(ev.exit as Record<string, unknown>);
      });
      stream.on('error', (e: grpc.ServiceError) => reject(new ClusterRunError(`lost the coordinator: ${e.details || e.message}`)));
      stream.on('end', () => reject(new ClusterRunError('the coordinator ended the VM stream without an exit')));
    });
    exit.catch(() => undefined); // awaited below; do not let an early failure go unhandled
    await call(api, 'startVm', { vmId });
    const e = await exit;
    await console.flush();
    const stats = JSON.parse(String(e.statsJson)) as ClusterStats;
    return await finish(stats, summaryTable(stats), Number(e.exitCode), String(e.reason ?? ''));
  } finally {
    console.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    api.close();
  }
}
