/**
 * The cluster secret: every gRPC call and stream between unum processes
 * carries it as `authorization: Bearer <token>`; servers refuse calls
 * without it (UNAUTHENTICATED) before any handler runs.
 *
 * @example
 *   const token = readClusterToken({ tokenFile: opts.tokenFile });   // UNUM_TOKEN or the file
 *   const client = new Client(addr, credentials.createInsecure(), { interceptors: [withToken(token)] });
 *   if (!authorized(call.metadata, token)) return call.destroy(refusal());
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InterceptingCall, Metadata, status, type Interceptor, type ServiceError } from '@grpc/grpc-js';

const HEADER = 'authorization';

export class ClusterSecretError extends Error {
  override readonly name = 'ClusterSecretError';
}

/** UNUM_TOKEN, or the first line of `tokenFile`; throws one line if neither is set. */
export function readClusterToken(opts: { tokenFile?: string; env?: NodeJS.ProcessEnv } = {}): string {
  let token: string | undefined;
  if (opts.tokenFile) {
    try {
      token = readFileSync(opts.tokenFile, 'utf8').split('\n')[0]!.trim();
    } catch (e) {
      throw new ClusterSecretError(`cannot read token file ${opts.tokenFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  } else {
    token = (opts.env ?? process.env).UNUM_TOKEN?.trim();
  }
  if (!token) throw new ClusterSecretError('no cluster secret: set UNUM_TOKEN or pass --token-file FILE');
  if (token.length < 8) throw new ClusterSecretError('cluster secret too short (at least 8 characters)');
  return token;
}

/** A fresh random secret (the embedded `unum run` gives one to its agents). */
export function newClusterToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Client side: adds the secret to every call's metadata. */
export function withToken(token: string): Interceptor {
  return (options, next) => new InterceptingCall(next(options), {
    start(metadata, listener, nextStart) {
      metadata.set(HEADER, `Bearer ${token}`);
      nextStart(metadata, listener);
    },
  });
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Server side: true if the call's metadata carries the secret (constant-time compare). */
export function authorized(metadata: Metadata, token: string): boolean {
  const v = metadata.get(HEADER)[0];
  if (typeof v !== 'string' || !v.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(v.slice(7)), digest(token));
}

/** The error a refused call ends with. */
export function refusal(): Partial<ServiceError> {
  return { code: status.UNAUTHENTICATED, details: 'unum: bad or missing cluster secret', metadata: new Metadata() };
}
