import { z } from 'zod';
import { parseJsonPath } from './json-path.js';
import { unknownPlaceholders } from './template.js';

const jsonPath = z.string().superRefine((p, ctx) => {
  try {
    parseJsonPath(p);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

const headers = z.record(z.string(), z.string()).optional().describe('extra request headers');
const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
  .describe('environment variable holding the API key (preferred over apiKey)');

/** Sampling parameters; any other field is sent in the request body as is (`response_format`, `logit_bias`, …). */
export const SamplingParamsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    max_tokens: z.number().int().positive().optional(),
    seed: z
      .union([z.number().int(), z.literal('item')])
      .optional()
      .describe('a fixed sampling seed, or "item": the runner derives one per item from the run seed'),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).optional(),
  })
  .catchall(z.unknown());

const common = {
  id: z.string().min(1).max(200).optional().describe('label in reports (default: type:model or type:host)'),
  system: z.string().optional().describe('system prompt, added when the conversation has none'),
  timeoutMs: z.number().int().positive().default(60_000).describe('wait this long for headers and between chunks'),
  deadlineMs: z
    .number()
    .int()
    .positive()
    .default(600_000)
    .describe(
      'the whole request, answer read to its end, within this long (an endpoint that trickles never times out by timeoutMs alone)',
    ),
};

export const OpenAiTargetSpecSchema = z
  .object({
    type: z.literal('openai'),
    baseUrl: z.url().describe('OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1'),
    model: z.string().min(1),
    apiKeyEnv: envName.optional(),
    apiKey: z.string().optional().describe('literal API key (discouraged: use apiKeyEnv)'),
    headers,
    params: SamplingParamsSchema.optional(),
    stream: z.boolean().default(false).describe('ask for a server-sent-events stream and join it'),
    streamUsage: z
      .boolean()
      .optional()
      .describe(
        'chat streams: send stream_options.include_usage so the stream ends with token usage (default on; an endpoint that answers 400/422 to it is asked again without it, once, and not sent it again); false: never send it',
      ),
    api: z
      .enum(['chat', 'responses'])
      .optional()
      .describe(
        'chat (default): POST /chat/completions; responses: POST /responses (the Responses API; max_tokens is sent as max_output_tokens)',
      ),
    ...common,
  })
  .strict();

export const HttpTargetSpecSchema = z
  .object({
    type: z.literal('http'),
    url: z.url(),
    method: z.enum(['POST', 'PUT', 'PATCH', 'GET']).default('POST'),
    apiKeyEnv: envName.optional().describe('environment variable whose value is sent as "Authorization: Bearer …"'),
    headers,
    body: z
      .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
      .default({ messages: '{{messages}}' })
      .describe('request body template: {{prompt}}, {{messages}}, {{system}}, {{session_id}}, {{seed}}')
      .superRefine((b, ctx) => {
        const bad = unknownPlaceholders(b);
        if (bad.length) ctx.addIssue({ code: 'custom', message: `unknown placeholder(s): ${bad.join(', ')}` });
      }),
    responsePath: jsonPath.default('$.choices[0].message.content').describe('JSON path of the answer text'),
    usagePaths: z.object({ prompt: jsonPath.optional(), completion: jsonPath.optional() }).strict().optional(),
    session: z
      .object({
        mode: z.enum(['client', 'server']).default('client'),
        idPath: jsonPath
          .optional()
          .describe('where the answer carries the session id (server mode; default: we make one)'),
      })
      .strict()
      .default({ mode: 'client' })
      .describe(
        'client: the whole conversation is sent every turn; server: only the last user turn, with {{session_id}}',
      ),
    ...common,
  })
  .strict();

export const ReplayTargetSpecSchema = z
  .object({
    type: z.literal('replay'),
    path: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe('recorded file(s): JailbreakBench artifact JSON, XSTest completions CSV, JSONL'),
    onMiss: z
      .enum(['error', 'empty', 'refuse'])
      .default('error')
      .describe('a prompt with no recorded answer: fail the item, answer "", or answer `refusal`'),
    refusal: z.string().default("I'm sorry, but I can't help with that."),
    matchOn: z
      .enum(['prompt', 'goal'])
      .default('prompt')
      .describe(
        'prompt: the last user message is looked up among recorded prompts; goal: among recorded goals (the `direct` attack on the same goal set then replays a published attack run)',
      ),
    id: common.id,
  })
  .strict();

export const TargetSpecSchema = z.discriminatedUnion('type', [
  OpenAiTargetSpecSchema,
  HttpTargetSpecSchema,
  ReplayTargetSpecSchema,
]);

export type OpenAiTargetSpec = z.infer<typeof OpenAiTargetSpecSchema>;
export type HttpTargetSpec = z.infer<typeof HttpTargetSpecSchema>;
export type ReplayTargetSpec = z.infer<typeof ReplayTargetSpecSchema>;
export type TargetSpec = z.infer<typeof TargetSpecSchema>;
/** What a config file may say (defaults not yet applied). */
export type TargetSpecInput = z.input<typeof TargetSpecSchema>;
