/** A machine that cannot be built from its config (one line, shown to the user). */
export type MachineErrorCode = 'ram-too-small' | 'bad-config';

export class MachineError extends Error {
  override readonly name = 'MachineError';
  constructor(readonly code: MachineErrorCode, message: string) {
    super(message);
  }
}
