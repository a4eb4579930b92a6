/** Where the committed guest programs live, for tests that run them. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const GUEST_DIR = path.join(REPO_ROOT, 'guest');
export const guestElf = (name: string): string => path.join(GUEST_DIR, 'bin', `${name}.elf`);
