/**
 * One handler per message kind. ts-proto turns a `oneof` into
 * `{ $case, value }`; a Handlers table names a function for each case, typed
 * by that case's value, and `dispatch` calls the one that matches.
 *
 * @example
 *   const handlers: Handlers<NonNullable<CoordinatorMessage['kind']>> = { setup: (s) => ..., start: (s) => ... };
 *   dispatch(handlers, message.kind, (kind) => log.warn({ kind }, 'ignored'));
 */
export type Case = { $case: string; value: unknown };

export type Handlers<U extends Case> = { [K in U['$case']]?: (value: Extract<U, { $case: K }>['value']) => void };

/** Runs the handler for `kind`; `otherwise` gets a kind nobody handles (or an empty oneof). */
export function dispatch<U extends Case>(handlers: Handlers<U>, kind: U | undefined, otherwise: (kind: string) => void): void {
  const handler = kind && (handlers[kind.$case as U['$case']] as ((v: unknown) => void) | undefined);
  if (handler) handler(kind.value);
  else otherwise(kind?.$case ?? 'empty');
}
