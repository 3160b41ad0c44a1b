/**
 * Reads `data:` payloads of a server-sent-event stream, one event at a time. With `room`, each next chunk of the
 * body is read only once the client has room for more (see {@link pacedStream}).
 */
export async function* sseData(
  body: AsyncIterable<Uint8Array>,
  signal?: AbortSignal,
  room?: Room,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buf = '';
  // Lines end in CRLF, LF or a lone CR (the SSE spec): all read as LF. A chunk that ended in CR may be followed by
  // the LF of that CRLF, which must not count as a second line end.
  let afterCR = false;
  const add = (text: string) => {
    if (!text) return;
    const part = afterCR && text.startsWith('\n') ? text.slice(1) : text;
    afterCR = text.endsWith('\r');
    buf += part.replace(/\r\n?/g, '\n');
  };
  if (signal?.aborted) return;
  for await (const value of body) {
    if (signal?.aborted) return;
    add(decoder.decode(value, { stream: true }));
    let sep = buf.indexOf('\n\n');
    while (sep >= 0) {
      const event = buf.slice(0, sep);
      buf = buf.slice(sep + 2);
      const data = dataOf(event);
      if (data !== undefined) yield data;
      sep = buf.indexOf('\n\n');
    }
    if (buf.length > 8 * 1024 * 1024) throw new Error('upstream event larger than 8 MB');
    // Backpressure: a client that has not taken what went out yet holds the upstream back too.
    const wait = room?.();
    if (wait) await wait;
  }
  add(decoder.decode());
  const data = dataOf(buf);
  if (data !== undefined && buf.trim()) yield data;
}

function dataOf(event: string): string | undefined {
  const lines = event.split('\n').filter((l) => l.startsWith('data:'));
  if (lines.length === 0) return undefined;
  return lines.map((l) => l.slice(5).replace(/^ /, '')).join('\n');
}

export function sseEvent(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

/** What a streamed answer's writer awaits before it reads the upstream on: nothing while the client keeps up. */
export type Room = () => Promise<void> | undefined;

/**
 * The byte stream of a streamed answer, written by `produce` as the upstream's events come. `room()` waits while
 * the client has not taken what is queued (its socket is full, `@hono/node-server` waits for `drain`): a slow
 * reader then slows the reading of the upstream instead of the answer piling up here, up to
 * `upstream.maxResponseBytes` per request. Once the client is gone `room()` rejects, and `onCancel` has run.
 */
export function pacedStream(
  produce: (controller: ReadableStreamDefaultController<Uint8Array>, room: Room) => Promise<void>,
  onCancel: () => void,
): ReadableStream<Uint8Array> {
  let waiting: { resolve: () => void; reject: (e: Error) => void } | undefined;
  let gone = false;
  const goneError = () => new Error('The client closed the stream.');
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const room: Room = () => {
          if (gone) return Promise.reject(goneError());
          if ((controller.desiredSize ?? 1) > 0) return undefined;
          return new Promise<void>((resolve, reject) => {
            waiting = { resolve, reject };
          });
        };
        // Not awaited: the stream calls `pull` (the client took what was queued) only once `start` returned.
        produce(controller, room).catch((e) => controller.error(e));
      },
      pull() {
        waiting?.resolve();
        waiting = undefined;
      },
      cancel() {
        gone = true;
        onCancel();
        waiting?.reject(goneError());
        waiting = undefined;
      },
    },
    // Counted in bytes: a few events' worth may wait here, as much as Node's own socket buffer holds.
    new ByteLengthQueuingStrategy({ highWaterMark: 16 * 1024 }),
  );
}
