/** The chunks of a web request body and their total size. */
export interface BodyChunks {
  parts: Uint8Array[];
  size: number;
}

/**
 * Reads a web stream to its end, keeping at most `max` bytes: undefined, with the stream cancelled, as soon
 * as it holds more (a client cannot make the server buffer an oversize body).
 */
export async function readBounded(body: ReadableStream<Uint8Array>, max: number): Promise<BodyChunks | undefined> {
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { parts, size };
    size += value.length;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    parts.push(value);
  }
}
