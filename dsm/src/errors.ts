/** The one error class DSM callers catch. */
export class DsmError extends Error {
  constructor(readonly code: 'closed' | 'protocol', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DsmError';
  }
}
