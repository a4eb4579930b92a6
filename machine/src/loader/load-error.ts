/**
 * The loaders' one error: a boot file that cannot be loaded as given (one
 * line for the user; the CLI exits 2 with it, CreateVm answers
 * INVALID_ARGUMENT). `what` names the file's role ('--kernel', '--initrd',
 * '--dtb', '--bios'), so the message says which file is bad.
 */
export type LoadErrorCode = 'bad-kernel' | 'bad-initrd' | 'bad-dtb' | 'bad-firmware' | 'ram-too-small' | 'overlap';

export class LoadError extends Error {
  override readonly name = 'LoadError';
  constructor(readonly code: LoadErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const hex = (n: number): string => `0x${n.toString(16)}`;

/** Round `n` up to a multiple of `align` (a power of two). */
export const alignUp = (n: number, align: number): number => Math.ceil(n / align) * align;
export const alignDown = (n: number, align: number): number => Math.floor(n / align) * align;
