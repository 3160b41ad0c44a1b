/** OpenAI-style error bodies: clients already know how to read them. */
export interface OpenAIError {
  error: { message: string; type: string; code: string | null; param?: string | null };
}

export function openAIError(message: string, type: string, code: string | null = null): OpenAIError {
  return { error: { message, type, code } };
}

export const errors = {
  badRequest: (message: string, code = 'invalid_request') => openAIError(message, 'invalid_request_error', code),
  unauthorized: () => openAIError('Missing or unknown API key.', 'authentication_error', 'invalid_api_key'),
  tooLarge: (max: number) =>
    openAIError(`Request body is larger than ${max} bytes.`, 'invalid_request_error', 'request_too_large'),
  rateLimited: () =>
    openAIError('Rate limit reached for this key; retry later.', 'rate_limit_error', 'rate_limit_exceeded'),
  upstream: (message: string, code = 'upstream_error') => openAIError(message, 'api_error', code),
  timeout: () => openAIError('The upstream model did not answer in time.', 'api_error', 'upstream_timeout'),
  invalidJson: () => openAIError('Upstream answered with invalid JSON.', 'api_error', 'upstream_invalid_json'),
  streamTimeout: (ms: number) =>
    openAIError(`The upstream stream sent nothing for ${ms} ms.`, 'api_error', 'upstream_timeout'),
  upstreamTooLarge: (max: number) =>
    openAIError(`The upstream answer is larger than ${max} bytes.`, 'api_error', 'upstream_response_too_large'),
  guard: () =>
    openAIError('The request could not be checked and the policy fails closed.', 'api_error', 'guard_unavailable'),
};
