/**
 * What a request's message content may be, so that nothing reaches the model unchecked: the guard reads
 * strings and the text parts of content arrays, so content of any other shape (an object, a number, a text
 * part whose `text` is not a string, a part type it does not know) would pass the checks unread and still be
 * forwarded. Such requests are refused with a 400 instead.
 */

/** Chat Completions content part types: text is checked, the others carry no text. */
export const CHAT_PARTS = { text: new Set(['text']), other: new Set(['image_url', 'input_audio', 'file', 'refusal']) };
/** Responses API content part types. */
export const RESPONSES_PARTS = {
  text: new Set(['input_text', 'output_text', 'text']),
  other: new Set(['input_image', 'input_file', 'input_audio', 'refusal']),
};

type PartTypes = typeof CHAT_PARTS;

/** What is wrong with `content` at `where` (a string for the error), or undefined when the guard can read it. */
export function contentProblem(
  content: unknown,
  where: string,
  parts: PartTypes,
  options: { optional: boolean },
): string | undefined {
  if (typeof content === 'string') return undefined;
  if (content === undefined || content === null) {
    return options.optional ? undefined : `\`${where}\` is required: a string or an array of content parts.`;
  }
  if (!Array.isArray(content)) return `\`${where}\` must be a string or an array of content parts.`;
  for (const [i, part] of content.entries()) {
    const at = `${where}[${i}]`;
    if (!part || typeof part !== 'object' || Array.isArray(part)) return `\`${at}\` must be an object.`;
    const type = (part as { type?: unknown }).type;
    if (typeof type !== 'string') return `\`${at}.type\` must be a string.`;
    if (parts.text.has(type)) {
      if (typeof (part as { text?: unknown }).text !== 'string') return `\`${at}.text\` must be a string.`;
    } else if (!parts.other.has(type)) {
      return `\`${at}.type\` "${type.slice(0, 40)}" is not a content part the guard can check (${[...parts.text, ...parts.other].join(', ')}).`;
    }
  }
  return undefined;
}

/** What is wrong with a Chat Completions `messages` array, or undefined. */
export function chatMessagesProblem(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0)
    return '`messages` must be a non-empty array of {role, content} objects.';
  for (const [i, m] of messages.entries()) {
    if (!m || typeof m !== 'object' || Array.isArray(m)) return `\`messages[${i}]\` must be a {role, content} object.`;
    const role = (m as { role?: unknown }).role;
    if (typeof role !== 'string') return `\`messages[${i}].role\` must be a string.`;
    // An assistant turn that only calls tools has no content (its tool calls are checked on their own).
    const problem = contentProblem((m as { content?: unknown }).content, `messages[${i}].content`, CHAT_PARTS, {
      optional: role === 'assistant',
    });
    if (problem) return problem;
    const calls = (m as { tool_calls?: unknown }).tool_calls;
    if (calls !== undefined && calls !== null) {
      if (!Array.isArray(calls)) return `\`messages[${i}].tool_calls\` must be an array.`;
      for (const [k, call] of calls.entries()) {
        const args = (call as { function?: { arguments?: unknown } } | null)?.function?.arguments;
        if (!call || typeof call !== 'object' || (args !== undefined && typeof args !== 'string'))
          return `\`messages[${i}].tool_calls[${k}]\` must be an object whose \`function.arguments\` is a string.`;
      }
    }
  }
  return undefined;
}
