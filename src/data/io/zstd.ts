import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { Decompress } from 'fzstd';

/** Zstandard frame magic number, little-endian on disk. */
const ZSTD_MAGIC = 0xfd2fb528;
/** Largest block the format allows (and our window must cover it). */
export const ZSTD_MAX_BLOCK = 128 * 1024;

interface NativeZstd {
  createZstdCompress?: () => Transform;
  createZstdDecompress?: () => Transform;
}
const native = zlib as unknown as NativeZstd;

/**
 * Zstandard frame header for a stream of Raw blocks: magic, a frame header descriptor of 0 (no content
 * size, single-segment off, no checksum, no dictionary) and a window descriptor for a 128 KiB window
 * (exponent 7 → windowLog 17, mantissa 0), the minimum that holds a full-size block.
 */
export function zstdRawFrameHeader(): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt32LE(ZSTD_MAGIC, 0);
  header[4] = 0x00;
  header[5] = 7 << 3;
  return header;
}

/** A 3-byte block header: bit 0 last block, bits 1-2 type (0 = Raw), bits 3-23 size. */
export function zstdRawBlockHeader(size: number, last: boolean): Buffer {
  const value = (size << 3) | (last ? 1 : 0);
  const header = Buffer.alloc(3);
  header[0] = value & 0xff;
  header[1] = (value >>> 8) & 0xff;
  header[2] = (value >>> 16) & 0xff;
  return header;
}

/**
 * Writes a valid Zstandard frame made of Raw (stored, uncompressed) blocks: Node 20 has no zstd
 * compressor, and a stored frame is still readable by every zstd decoder. Input is cut into blocks of
 * at most 128 KiB; the last block (possibly empty) carries the last-block flag.
 */
export class ZstdRawEncoder extends Transform {
  private pending: Buffer[] = [];
  private pendingSize = 0;
  private started = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.start();
    let buf = chunk;
    while (this.pendingSize + buf.length > ZSTD_MAX_BLOCK) {
      const take = ZSTD_MAX_BLOCK - this.pendingSize;
      this.pending.push(buf.subarray(0, take));
      buf = buf.subarray(take);
      this.emitBlock(false);
    }
    if (buf.length > 0) {
      this.pending.push(Buffer.from(buf));
      this.pendingSize += buf.length;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.start();
    this.emitBlock(true);
    callback();
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.push(zstdRawFrameHeader());
  }

  private emitBlock(last: boolean): void {
    const body = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingSize = 0;
    this.push(Buffer.concat([zstdRawBlockHeader(body.length, last), body]));
  }
}

/** A zstd compressor: Node's own where it exists (Node ≥ 22.15), else the Raw-block encoder. */
export function createZstdCompressor(options: { forceRaw?: boolean } = {}): Transform {
  if (!options.forceRaw && native.createZstdCompress) return native.createZstdCompress();
  return new ZstdRawEncoder();
}

/** Streaming zstd decompression: Node's own where it exists, else fzstd. */
export function createZstdDecompressor(): Transform {
  if (native.createZstdDecompress) return native.createZstdDecompress();
  return new FzstdDecoder();
}

class FzstdDecoder extends Transform {
  private readonly decoder = new Decompress((data) => {
    // fzstd may reuse its window buffer: copy before handing the bytes on.
    if (data.length > 0) this.push(Buffer.from(data));
  });

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      callback();
    } catch (e) {
      callback(e as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(0), true);
      callback();
    } catch (e) {
      callback(e as Error);
    }
  }
}
