/**
 * protos/cluster.proto, loaded at run time with @grpc/proto-loader (one
 * place, for the agent and the coordinator). 64-bit fields come as decimal
 * strings, enums as names, and unset oneof members are absent.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type GrpcObject, type ServiceClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** protos/ at the repository (or image) root, from node-agent/{src,dist}/cluster/. */
export const PROTO_DIR = fileURLToPath(new URL('../../../protos/', import.meta.url));

export interface ClusterProto {
  Cluster: ServiceClientConstructor & { service: ServiceDefinition };
  Health: ServiceClientConstructor & { service: ServiceDefinition };
}

let cached: ClusterProto | undefined;

export function clusterProto(): ClusterProto {
  if (cached) return cached;
  const file = `${PROTO_DIR}cluster.proto`;
  if (!existsSync(file)) throw new Error(`missing ${file}`);
  const def = loadSync(file, { longs: String, enums: String, defaults: true, oneofs: true });
  const pkg = (loadPackageDefinition(def).unum as GrpcObject).cluster as GrpcObject;
  cached = pkg as unknown as ClusterProto;
  return cached;
}

/** gRPC channel options for every unum link: big enough for 64 KiB units and 1 MiB load chunks. */
export const CHANNEL_OPTIONS = {
  'grpc.max_receive_message_length': 64 << 20,
  'grpc.max_send_message_length': 64 << 20,
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
} as const;
