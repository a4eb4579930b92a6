/**
 * Client side of the cluster API for the CLI: `unum run --cluster`,
 * `unum status --cluster`, `unum health`. One authenticated client per
 * address (the generated ClusterClient/HealthClient); gRPC failures become
 * one-line ClusterRunErrors.
 */
import * as grpc from '@grpc/grpc-js';
import { bootRequestOf, MachineError, summaryTable, vcpuMigrationWire, type VmSpecInput } from '@unum/coordinator';
import { CHANNEL_OPTIONS, readClusterToken, withToken } from '@unum/node-agent';
import { ClusterClient, HealthClient, type VmExit } from '@unum/protos/cluster';
import type { ClusterStats } from '@unum/protos/stats';
import { ClusterRunError } from './cluster-run-error.js';
import { UsageError } from './usage-error.js';
import { StdioConsole } from './stdio-console.js';
import type { BootSpec } from '@unum/coordinator';

type Unary<Req, Res> = (req: Req, md: grpc.Metadata, opts: Partial<grpc.CallOptions>, cb: (err: grpc.ServiceError | null, res: Res) => void) => grpc.ClientUnaryCall;

const options = (token: string): Partial<grpc.ClientOptions> => ({ ...CHANNEL_OPTIONS, interceptors: [withToken(token)] });

export function clusterClient(address: string, token: string): ClusterClient {
  return new ClusterClient(address, grpc.credentials.createInsecure(), options(token));
}

export function healthClient(address: string, token: string): HealthClient {
  return new HealthClient(address, grpc.credentials.createInsecure(), options(token));
}

/** One unary call with a deadline; errors become one line. */
export function call<Req, Res>(method: Unary<Req, Res>, client: grpc.Client, req: Req, what: string, timeoutMs = 60_000): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (!err) return resolve(res);
      if (err.code === grpc.status.INVALID_ARGUMENT) return reject(new MachineError('bad-config', err.details));
      if (err.code === grpc.status.UNAUTHENTICATED) return reject(new UsageError('refused: bad or missing cluster secret')); // bad input, like a missing one
      reject(new ClusterRunError(`${what}: ${err.details || err.message}`));
    });
  });
}

export async function runOnStandingCluster(
  address: string, tokenFile: string | undefined, boot: BootSpec, request: VmSpecInput,
  finish: (s: ClusterStats, summary: string, code: number, reason: string) => Promise<number>, detach = false,
): Promise<number> {
  const api = clusterClient(address, readClusterToken({ tokenFile }));
  const info = await call(api.createVm, api, {
    ...bootRequestOf(boot), vcpus: request.vcpus, memBytes: BigInt(request.memBytes), nodes: 0,
    placement: request.placement ?? '', protocol: request.protocol ?? '', unitBytes: request.unitBytes ?? 0,
    pagePlacement: request.pagePlacement ?? '', knobs: { ...request.knobs }, quantum: request.quantum ?? 0, detach,
    profileDsm: request.profileDsm ?? false, devices: request.devices ?? [], deviceNode: request.deviceNode ?? 0,
    vcpuMigration: vcpuMigrationWire(request.vcpuMigration),
  }, 'createVm');
  const vmId = info.vmId;
  if (detach) {
    // Not leased: it runs until it ends or `unum vm stop`; its console is the coordinator's.
    try {
      await call(api.startVm, api, { vmId }, 'startVm');
      process.stdout.write(`${vmId}\n`);
      return 0;
    } finally {
      api.close();
    }
  }
  // Leased: the WatchVm stream below is the lease; when this process goes (even by SIGKILL), the coordinator stops the VM.
  const stopVm = (): void => void call(api.stopVm, api, { vmId }, 'stopVm').catch(() => undefined);
  const console = new StdioConsole(process.stdin, process.stdout, stopVm);
  console.onInput((data) => void call(api.consoleInput, api, { vmId, data }, 'consoleInput').catch(() => undefined));
  process.on('SIGINT', stopVm);
  process.on('SIGTERM', stopVm);
  try {
    const exit = new Promise<VmExit>((resolve, reject) => {
      const stream = api.watchVm({ vmId });
      stream.on('data', (ev: { kind?: { $case: 'console'; value: Uint8Array } | { $case: 'exit'; value: VmExit } }) => {
        if (ev.kind?.$case === 'console') console.write(ev.kind.value);
        if (ev.kind?.$case === 'exit') resolve(ev.kind.value);
      });
      stream.on('error', (e: grpc.ServiceError) => reject(new ClusterRunError(`lost the coordinator: ${e.details || e.message}`)));
      stream.on('end', () => reject(new ClusterRunError('the coordinator ended the VM stream without an exit')));
    });
    exit.catch(() => undefined); // awaited below; do not let an early failure go unhandled
    await call(api.startVm, api, { vmId }, 'startVm');
    const e = await exit;
    await console.flush();
    if (!e.stats) throw new ClusterRunError('the coordinator sent an exit without statistics');
    return await finish(e.stats, summaryTable(e.stats), e.exitCode, e.reason);
  } finally {
    console.close();
    process.off('SIGINT', stopVm);
    process.off('SIGTERM', stopVm);
    api.close();
  }
}
