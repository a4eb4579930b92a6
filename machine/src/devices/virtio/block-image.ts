/**
 * The host side of a virtio-blk disk: a raw image file. Writes go to the
 * file at once (so they survive a killed unum in the host's page cache);
 * `flush` is fsync, which is what makes them survive a host crash too.
 */
import { open, type FileHandle } from 'node:fs/promises';

export interface BlockBackend {
  /** Size in bytes. */
  readonly size: number;
  readonly readonly: boolean;
  read(offset: number, length: number): Promise<Uint8Array>;
  write(offset: number, data: Uint8Array): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export class RawImage implements BlockBackend {
  private constructor(private readonly fh: FileHandle, readonly size: number, readonly readonly: boolean) {}

  /** Opens `path` (read-only when asked); rejects with the fs error (ENOENT, EACCES, ...). */
  static async open(path: string, readonly: boolean): Promise<RawImage> {
    const fh = await open(path, readonly ? 'r' : 'r+');
    const { size } = await fh.stat();
    return new RawImage(fh, size, readonly);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.fh.read(out, done, length - done, offset + done);
      if (bytesRead === 0) break; // past the end: zeros (the capacity rounds down, so only a shrunk file)
      done += bytesRead;
    }
    return out;
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.fh.write(data, done, data.length - done, offset + done);
      done += bytesWritten;
    }
  }

  flush(): Promise<void> {
    return this.fh.datasync();
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}
