/**
 * A standing cluster for tests: `unum coordinator` and `unum agent` as real
 * processes on 127.0.0.1 (ephemeral ports), each in its own process group,
 * plus an authenticated gRPC client of the coordinator's API.
 *
 * @example
 *   const c = await StandingCluster.start({ agents: 2 });
 *   const vm = await c.call('createVm', { elf, vcpus: 2, memBytes: 64 << 20 });
 *   await c.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { CHANNEL_OPTIONS, withToken } from '@unum/node-agent';
import { ClusterClient, ConsoleInputRequest, CreateVmRequest, MigrateVcpuRequest, StatusRequest, VmRef, type VmEvent } from '@unum/protos/cluster';
import { UNUM_BIN } from './unum-runner.js';

type Api = ClusterClient;
type Method = (req: unknown, md: grpc.Metadata, opts: Partial<grpc.CallOptions>, cb: (e: grpc.ServiceError | null, r: unknown) => void) => unknown;
export type { VmEvent };

/** Each method's request type: a test writes only the fields it cares about, the rest take the wire defaults. */
const REQUESTS: Record<string, { fromPartial(o: never): unknown }> = {
  status: StatusRequest, createVm: CreateVmRequest, startVm: VmRef, pauseVm: VmRef, resumeVm: VmRef, stopVm: VmRef, consoleInput: ConsoleInputRequest,
  migrateVcpu: MigrateVcpuRequest,
};

export interface Proc {
  child: ChildProcess;
  stderr: string;
  exited: Promise<number | null>;
}

export function startProc(args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, [UNUM_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const p: Proc = { child, stderr: '', exited: new Promise((r) => child.on('exit', (code) => r(code))) };
  child.stderr!.on('data', (b: Buffer) => { p.stderr += b.toString(); });
  child.stdout!.resume();
  return p;
}

export function killGroup(p: Proc): void {
  try {
    process.kill(-p.child.pid!, 'SIGKILL');
  } catch {
    /* gone */
  }
}

/** Resolves once `pred(stderr)` holds (polling), or rejects after `ms`. */
export async function waitFor<T>(what: string, ms: number, probe: () => T | undefined): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export class StandingCluster {
  readonly agents: Proc[] = [];
  private constructor(readonly token: string, readonly coordinator: Proc, readonly port: number, readonly api: Api) {}

  static async start(o: { agents: number; nodeMem?: string }): Promise<StandingCluster> {
    const token = randomBytes(16).toString('hex');
    const coordinator = startProc(['coordinator', '--listen', '127.0.0.1:0', '--log-level', 'info'], { UNUM_TOKEN: token });
    const port = await waitFor('the coordinator to listen', 20_000, () => {
      const m = /"port":(\d+)[^\n]*coordinator listening/.exec(coordinator.stderr);
      return m ? Number(m[1]) : undefined;
    });
    const api = StandingCluster.client(port, token);
    const c = new StandingCluster(token, coordinator, port, api);
    for (let i = 0; i < o.agents; i++) c.agents.push(c.startAgent(`a${i}`, token, o.nodeMem));
    await c.waitMembers(o.agents);
    return c;
  }

  static client(port: number, token: string): Api {
    return new ClusterClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { ...CHANNEL_OPTIONS, interceptors: [withToken(token)] });
  }

  startAgent(name: string, token: string, nodeMem = '64M'): Proc {
    return startProc(['agent', '--join', `127.0.0.1:${this.port}`, '--listen', '127.0.0.1:0', '--node-mem', nodeMem, '--name', name],
      { UNUM_TOKEN: token });
  }

  call<T = Record<string, unknown>>(method: string, req: unknown, api: Api = this.api): Promise<T> {
    return new Promise((resolve, reject) => {
      const full = REQUESTS[method]!.fromPartial(req as never);
      (api[method as keyof Api] as unknown as Method).call(api, full, new grpc.Metadata(), { deadline: Date.now() + 60_000 },
        (e, r) => (e ? reject(e) : resolve(r as T)));
    });
  }

  async waitMembers(n: number): Promise<void> {
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      const s = await this.call<{ members: unknown[] }>('status', {});
      if (s.members.length >= n) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`fewer than ${n} agents joined`);
  }

  async stop(): Promise<void> {
    this.api.close();
    this.coordinator.child.kill('SIGTERM');
    const t = setTimeout(() => killGroup(this.coordinator), 10_000);
    await this.coordinator.exited;
    clearTimeout(t);
    await Promise.race([Promise.all(this.agents.map((a) => a.exited)), new Promise((r) => setTimeout(r, 5000))]);
    for (const a of this.agents) killGroup(a);
  }
}
