/**
 * The cluster wire (protos/cluster.proto) as the agent and the coordinator
 * use it: the generated types, and one constructor per direction that wraps
 * a value in its oneof case (unset fields take the wire's defaults).
 *
 * @example
 *   send(agentMessage('ack', { seq }));
 *   member.send(coordinatorMessage('irq', { hart: 1, pin: Irq_Pin.SEIP, level: true }));
 */
import { AgentMessage, CoordinatorMessage } from '@unum/protos/cluster';

export type AgentKind = NonNullable<AgentMessage['kind']>;
export type CoordinatorKind = NonNullable<CoordinatorMessage['kind']>;
type ValueOf<U extends { $case: string; value: unknown }, K extends U['$case']> = Extract<U, { $case: K }>['value'];

export function agentMessage<K extends AgentKind['$case']>($case: K, value: Partial<ValueOf<AgentKind, K>>): AgentMessage {
  return AgentMessage.fromPartial({ kind: { $case, value } } as Parameters<typeof AgentMessage.fromPartial>[0]);
}

export function coordinatorMessage<K extends CoordinatorKind['$case']>($case: K, value: Partial<ValueOf<CoordinatorKind, K>>): CoordinatorMessage {
  return CoordinatorMessage.fromPartial({ kind: { $case, value } } as Parameters<typeof CoordinatorMessage.fromPartial>[0]);
}
