import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** protos/ at the repo root: three levels up from both dsm/src/grpc and dsm/dist/grpc. */
export const protosDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'protos');

const loaderOptions: protoLoader.Options = { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true };

/** Loads a .proto from protos/ and returns the service constructor `pkg.service`. */
export function loadService(file: string, pkg: string, service: string): grpc.ServiceClientConstructor {
  const def = protoLoader.loadSync(join(protosDir, file), loaderOptions);
  let obj: unknown = grpc.loadPackageDefinition(def);
  for (const part of [...pkg.split('.'), service]) obj = (obj as Record<string, unknown>)[part];
  if (typeof obj !== 'function') throw new Error(`${file}: no service ${pkg}.${service}`);
  return obj as grpc.ServiceClientConstructor;
}

/** The DsmLink service (protos/dsm.proto). */
export function loadDsmLink(): grpc.ServiceClientConstructor {
  return loadService('dsm.proto', 'unum.dsm.v1', 'DsmLink');
}
