/** Reads `data:` payloads of a server-sent-event stream, one event at a time. */
export async function* sseData(body: AsyncIterable<Uint8Array>, signal?: AbortSignal): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buf = '';
  if (signal?.aborted) return;
  for await (const value of body) {
    if (signal?.aborted) return;
    buf += decoder.decode(value, { stream: true });
    let sep = eventEnd(buf);
    while (sep) {
      const event = buf.slice(0, sep.at);
      buf = buf.slice(sep.at + sep.len);
      const data = dataOf(event);
      if (data !== undefined) yield data;
      sep = eventEnd(buf);
    }
    if (buf.length > 8 * 1024 * 1024) throw new Error('upstream event larger than 8 MB');
  }
  buf += decoder.decode();
  const data = dataOf(buf);
  if (data !== undefined && buf.trim()) yield data;
}

function eventEnd(buf: string): { at: number; len: number } | undefined {
  const a = buf.indexOf('\n\n');
  const b = buf.indexOf('\r\n\r\n');
  if (a < 0 && b < 0) return undefined;
  if (b >= 0 && (a < 0 || b < a)) return { at: b, len: 4 };
  return { at: a, len: 2 };
}

function dataOf(event: string): string | undefined {
  const lines = event.split(/\r?\n/).filter((l) => l.startsWith('data:'));
  if (lines.length === 0) return undefined;
  return lines.map((l) => l.slice(5).replace(/^ /, '')).join('\n');
}

export function sseEvent(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}
