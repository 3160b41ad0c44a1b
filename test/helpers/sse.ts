/** The JSON `data:` payloads of a server-sent event stream, in order (`[DONE]` left out). */
export function sseEvents(raw: string): Record<string, unknown>[] {
  return raw
    .split('\n\n')
    .map((b) =>
      b
        .split('\n')
        .find((l) => l.startsWith('data: '))
        ?.slice(6),
    )
    .filter((d): d is string => d !== undefined && d !== '[DONE]')
    .map((d) => JSON.parse(d) as Record<string, unknown>);
}
