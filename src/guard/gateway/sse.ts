/** Reads `data:` payloads of a server-sent-event stream, one event at a time. */
export async function* sseData(body: AsyncIterable<Uint8Array>, signal?: AbortSignal): AsyncGenerator<string> {
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
