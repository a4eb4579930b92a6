/**
 * AgentSession: what a node agent does with the coordinator's messages, one
 * handler per message kind. It runs the node's share of a VM (VmNode) and
 * answers through `send`. Control messages (setup, load, start, ...) run one
 * at a time in arrival order and are acknowledged; replies, interrupts, CLINT
 * and SBI calls, lockstep steps and telemetry are served at once, never
 * behind them.
 *
 * The same session serves a remote agent process (agent-process.ts, over the
 * gRPC Join stream) and an in-process node (the coordinator's LocalNode, by
 * direct calls): a one-node VM and an N-node VM differ only in that.
 *
 * @example
 *   const session = new AgentSession(ctx, (m) => stream.write(m));
 *   stream.on('data', (m) => session.receive(m));
 */
import { dispatch, type Handlers } from '@unum/protos';
import { Control_Op, type Ack, type CoordinatorMessage, type StepReply } from '@unum/protos/cluster';
import type { Logger } from 'pino';
import type { NodeMemoryConfig } from '../eviction/node-memory.js';
import { bootId, estimateOffset, type PingSample } from './clock-sync.js';
import { VmNode } from './vm-node.js';
import { agentMessage, type AgentKind, type CoordinatorKind } from './wire.js';
import type { AgentMessage } from '@unum/protos/cluster';
import { DeviceOpenError } from '../devices/device-open-error.js';

export interface AgentSessionContext {
  name: string;
  token: string;
  /** HOST the DSM link server binds (port 0). */
  dsmListenHost: string;
  /** HOST other nodes reach this node's DSM at. */
  advertiseHost: string;
  logger: Logger;
  /** Swap behind the frame pool. */
  memory?: NodeMemoryConfig;
  /** One-way latency added to each DSM link (ns). */
  linkLatencyNs?: number;
  /** Engine module for the vCPU workers (tests swap in a scripted one). */
  engineModule?: URL;
}

const CLOCK_PINGS = 8;

export class AgentSession {
  private vm: VmNode | undefined;
  private chain: Promise<void> = Promise.resolve();
  private offsetNs = 0n;
  private readonly pongs = new Map<number, (remoteNs: bigint) => void>();
  private readonly log: Logger;
  private readonly handlers: Handlers<CoordinatorKind>;

  constructor(private readonly ctx: AgentSessionContext, private readonly send: (m: AgentMessage) => void) {
    this.log = ctx.logger;
    this.handlers = {
      welcome: (w) => { if (w.bootId !== bootId()) this.chain = this.chain.then(() => this.syncClock()); },
      clockPong: (p) => { this.pongs.get(p.seq)?.(p.coordinatorNs); this.pongs.delete(p.seq); },
      mmioReply: (r) => this.vm?.mmioReply(r),
      irq: (i) => this.vm?.irq(i),
      consoleInput: (c) => this.vm?.consoleInput(c.data),
      clint: (a) => {
        const value = this.vm?.clintAccess(a) ?? 0n;
        if (a.id !== 0) this.reply('clintReply', { id: a.id, value });
      },
      sbiCall: (c) => {
        // served at once, like clint: the calling hart waits (a fence, hart_start/status) or its node's DSM frames do (an IPI)
        if (!this.vm) return this.reply('sbiReply', { id: c.id, error: 'no VM' });
        this.vm.sbiCall(c).then(
          (value) => this.reply('sbiReply', { id: c.id, value }),
          (e: unknown) => this.reply('sbiReply', { id: c.id, error: messageOf(e) }),
        );
      },
      sbiReply: (r) => this.vm?.sbiReply(r),
      setup: (s) => this.serial(s.seq, async () => {
        if (this.vm) await this.vm.close('replaced by a new VM');
        this.vm = await VmNode.create(s, { ...this.ctx, clockOffsetNs: this.offsetNs, send: this.send });
        return { address: this.vm.address };
      }),
      peers: (p) => this.serial(p.seq, async () => this.vm?.connect(p.peers)),
      load: (l) => this.serial(l.seq, async () => this.vm?.load(Number(l.gpa), l.data)),
      start: (s) => this.serial(s.seq, async () => this.vm?.start({
        pc: Number(s.pc), a1: Number(s.a1), bootHart: s.bootHart < 0 ? undefined : s.bootHart, supervisor: s.supervisor,
      }, (e) => {
        if (e) this.reply('failure', { message: e.message });
        this.reply('halted', {});
      })),
      control: (c) => this.serial(c.seq, async () => {
        if (c.op === Control_Op.PAUSE) await this.vm?.pause();
        else if (c.op === Control_Op.RESUME) this.vm?.resume();
        else await this.vm?.stop();
      }),
      hartOut: (h) => this.serial(h.seq, async () => {
        if (!this.vm) throw new Error('no VM');
        return { hartImage: await this.vm.emigrate(h.hart) };
      }),
      hartIn: (h) => this.serial(h.seq, async () => {
        if (!this.vm || !h.image) throw new Error(this.vm ? 'hart_in without a hart image' : 'no VM');
        await this.vm.immigrate(h.image);
      }),
      reportRequest: (r) => this.serial(r.seq, async () => {
        if (this.vm) this.reply('report', { seq: r.seq, report: this.vm.report() });
      }),
      step: (st) => {
        // not behind control messages: the driver's steps are its own sequence, and a quantum may wait on MMIO replies
        if (!this.vm) return this.reply('ack', { seq: st.seq, error: 'no VM' });
        this.vm.step(st).then(
          (step: StepReply) => this.reply('ack', { seq: st.seq, step }),
          (e: unknown) => this.reply('ack', { seq: st.seq, error: messageOf(e) }),
        );
      },
      telemetryRequest: (q) => {
        // answered at once (not behind control messages): observation must not wait for a pause
        if (!this.vm) return;
        const t = this.vm.telemetry({ cells: q.cells, inspect: q.inspect });
        this.reply('telemetry', { seq: q.seq, json: JSON.stringify(t.sample), owned: t.owned, faults: t.faults });
      },
      teardown: () => {
        this.chain = this.chain.then(async () => {
          await this.vm?.close('VM torn down');
          this.vm = undefined;
        });
      },
    };
  }

  /** This node's share of the VM set up now (undefined between VMs). */
  get vmNode(): VmNode | undefined {
    return this.vm;
  }

  receive(m: CoordinatorMessage): void {
    dispatch(this.handlers, m.kind, (kind) => this.log.warn({ kind }, 'ignored unknown coordinator message'));
  }

  /** The coordinator is gone (or the process exits): end the VM share. */
  async close(why: string): Promise<void> {
    await this.vm?.close(why);
    this.vm = undefined;
  }

  private reply<K extends AgentKind['$case']>(kind: K, value: Parameters<typeof agentMessage<K>>[1]): void {
    this.send(agentMessage(kind, value));
  }

  /** A control message: run after the ones before it, then ack (with the error, if any). */
  private serial(seq: number, task: () => Promise<Partial<Omit<Ack, 'seq'>> | void>): void {
    this.chain = this.chain.then(task).then(
      (extra) => this.reply('ack', { seq, ...(extra ?? {}) }),
      (e: unknown) => this.reply('ack', { seq, error: messageOf(e), badInput: e instanceof DeviceOpenError }),
    );
  }

  /** Another host: estimate the offset of our monotonic clock to the coordinator's (one host shares CLOCK_MONOTONIC). */
  private async syncClock(): Promise<void> {
    const samples: PingSample[] = [];
    for (let seq = 1; seq <= CLOCK_PINGS; seq++) {
      const sentNs = process.hrtime.bigint();
      const remoteNs = await new Promise<bigint>((resolve) => {
        this.pongs.set(seq, resolve);
        this.reply('clockPing', { seq });
      });
      samples.push({ sentNs, receivedNs: process.hrtime.bigint(), remoteNs });
    }
    const est = estimateOffset(samples);
    this.offsetNs = est.offsetNs;
    this.log.info({ offsetNs: String(est.offsetNs), errorNs: String(est.errorNs) }, 'clock offset to coordinator');
  }
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
