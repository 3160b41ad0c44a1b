/**
 * The commented starter `lifeguard guard init` writes; its command names `file`, the file written (as a
 * shell word), not a placeholder. Kept valid by a test.
 */
export function guardStarterConfig(file = 'lifeguard-guard.yaml'): string {
  return `# Lifeguard gateway config. \`lifeguard guard serve --config ${file}\` checks it at start and names any bad
# field; \`lifeguard guard serve --print-schema\` prints its JSON Schema (for editors).
upstream:
  baseUrl: http://127.0.0.1:8000/v1     # any OpenAI-compatible server (vLLM, Ollama, OpenAI, …)
  apiKeyEnv: LIFEGUARD_UPSTREAM_API_KEY  # the upstream key is read from this environment variable
  timeoutMs: 120000                      # a whole answer; streamed: the headers and each gap between chunks
  maxResponseBytes: 8388608              # larger upstream answers are refused (502) or their stream stopped

server:
  host: 127.0.0.1
  port: 8787
  maxBodyBytes: 2097152
  adminKeyEnv: LIFEGUARD_ADMIN_KEY       # protects the dashboard and admin APIs
  workers: 1                             # processes serving requests; auto = one per core (see docs/guard.md)

# The policy for every request unless a key or a route names another one.
policy:
  name: default
  refusal: "I can't help with that request."
  input:                                 # user messages
    - { check: injection, action: block }             # prompt injection and jailbreaks
    - { check: harmful, action: block }               # harmful requests (add categories: { S6: warn } to soften one)
    - { check: secrets, action: redact }
    - { check: pii, action: pseudonymise }            # placeholders to the model, real values back in the answer
  context:                               # tool results and retrieved documents
    - { check: injection, action: block }
  output:                                # the model's answer, checked before any byte is released
    - { check: harmful, action: block }
    - { check: secrets, action: redact }
    - { check: pii, action: redact }                  # PII the user did not supply
  tool:                                  # tool-call arguments the model produces
    - { check: secrets, action: block }
  tools:
    delete_account: { deny: true }
    send_email: { denyArgs: ["@example-attacker.com"] }
    "*": { untrustedDestinations: warn }  # a call sending to an address, account or domain no user/system message named
  lists:
    competitors: { terms: ["ExampleCorp"] }           # use as: - { check: competitors, action: warn }
  allow: []                              # terms never reported (e.g. your product names)
  timeoutMs: 200                         # per check
  onError: fail-closed                   # a failing check blocks (fail-open lets the text through)
  stream: { holdChars: 64, checkEveryChars: 160 }
  # backends:                            # external models, asked when a check names them
  #   llamaguard: { type: llama-guard, baseUrl: http://127.0.0.1:8001/v1, model: meta-llama/Llama-Guard-3-8B }
  # and in a check: { check: harmful, action: block, backend: llamaguard, uncertain: [0.2, 0.8] }

# Named policies for keys and routes.
policies: {}
routes: []                               # - { path: /v1/chat/completions, policy: strict }

# Client keys, stored hashed: lifeguard guard hash-key sk-... ; when any is listed, unknown keys are refused.
keys: []                                 # - { id: team-a, sha256: <hex>, policy: strict, rateLimit: { rpm: 600 } }
# rateLimit: { rpm: 600 }

# Other /v1 routes forwarded unchecked (chat and text completions, responses and models are always checked).
# Routes that may return model output (assistants, threads, batches, images, audio, stored responses) are
# refused unless listed here; ["*"] forwards everything.
# responses: { sessionTtlSeconds: 3600, maxSessions: 10000 }   # vaults kept for previous_response_id turns
# passthrough: [/v1/embeddings, /v1/moderations, /v1/files, /v1/uploads, /v1/vector_stores, /v1/fine_tuning, /v1/rerank, /v1/score, /v1/tokenize, /v1/detokenize]

audit:
  enabled: true                          # SQLite (WAL) by default; PostgreSQL when DATABASE_URL is set
  sqlitePath: lifeguard-audit.db
  retentionDays: 30
  batchMs: 25                            # decisions are committed in batches, at most this late
`;
}

/** The starter as written to the default file, lifeguard-guard.yaml. */
export const STARTER_CONFIG = guardStarterConfig();
