/**
 * The commented starter `lifeguard redteam init` writes; its commands name `file`, the file written (as a
 * shell word), which `init FILE` used to leave as lifeguard-redteam.yaml. Kept valid by a test.
 */
export function redteamStarterConfig(file = 'lifeguard-redteam.yaml'): string {
  return `# Lifeguard red-team run. Run it:      lifeguard redteam run ${file}
# Schema for your editor:              lifeguard redteam init --print-schema > redteam.schema.json
# Interrupted? Continue where it stopped:  lifeguard redteam run ${file} --resume
#
# As written, this runs offline: the "replay" target answers from a recorded JailbreakBench run (PAIR on
# Vicuna-13B), so the direct attack on the JBB behaviours reproduces that run's published results.
# Artifacts: https://github.com/JailbreakBench/artifacts (attack-artifacts/<method>/<mode>/<model>.json).
#
# File paths here (replay recordings, goal files, a cache file) are resolved against THIS FILE's folder,
# not the working directory; output.dir is relative to the working directory. The replay path below fits
# the Lifeguard dev checkout only: download the artifact above and point "path" at your copy (absolute,
# or relative to this file). A missing file stops the run before anything is written.

# The model under test.
target:
  type: replay
  path: ../shared/data/redteam/jbb-artifacts/PAIR/black_box/vicuna-13b-v1.5.json  # EDIT: relative to this file's folder
  matchOn: goal          # look answers up by the goal (prompt: by the exact prompt sent)
  onMiss: empty          # no recorded answer: error (fail the item) | empty | refuse

# A real endpoint instead (any OpenAI-compatible server: vLLM, Ollama, llama.cpp, OpenAI, …):
# target:
#   type: openai
#   baseUrl: http://127.0.0.1:8000/v1
#   model: my-model
#   apiKeyEnv: OPENAI_API_KEY       # the key is read from this environment variable (omit for none)
#   system: You are a helpful assistant.
#   params: { temperature: 0, max_tokens: 512, seed: item }   # seed: item = one seed per item, from runner.seed
#   headers: { x-team: red }
#   timeoutMs: 60000
#   # api: responses                 # the Responses API (POST /responses) instead of chat completions
#
# Or any JSON-over-HTTP endpoint, with a body template and the answer's JSON path:
# target:
#   type: http
#   url: http://127.0.0.1:9000/chat
#   body: { input: "{{prompt}}", history: "{{messages}}", session: "{{session_id}}" }
#   responsePath: $.output.text
#   usagePaths: { prompt: $.usage.in, completion: $.usage.out }
#   session: { mode: client }       # server: the endpoint keeps the conversation by {{session_id}}

# The attacker model for PAIR / TAP / Crescendo (same shape as target). Omit when no attack needs one.
# attacker:
#   type: openai
#   baseUrl: http://127.0.0.1:8001/v1
#   model: attacker-model
#   params: { temperature: 1 }

# What to attack with: built-in sets (advbench, strongreject, jbb, jbb-benign, donotanswer, xstest) or
# your own CSV / JSONL file ({ file: goals.csv, textField: goal, categoryField: category }; the path is
# relative to this file's folder).
goals:
  - jbb
  # - { source: xstest, limit: 100 }   # benign look-alikes: over-refusal

# Attack strategies, each tried on every goal: direct (the baseline), converters (base64, rot13, leetspeak,
# …, chains like "base64+prefix-injection"), templates, many-shot, crescendo, pair, tap.
attacks:
  - direct

# How answers are judged. Default: the offline jailbreak and refusal classifiers. false: no judging.
judges:
  judges: [jailbreak-classifier, refusal-classifier]
  # judges: [jailbreak-classifier, refusal-classifier, { id: llm, target: { type: openai, baseUrl: http://127.0.0.1:8002/v1, model: judge } }]

runner:
  concurrency: 8         # items in flight at once
  seed: 0                # item keys, attack randomness and sampling seeds derive from it
  repeats: 1             # episodes per goal × attack
  cache: true            # answers cached in .lifeguard/cache/redteam.sqlite (false, or a file path)
  retries: { maxAttempts: 4, baseMs: 500, capMs: 30000 }   # on 429 / 5xx / network errors; Retry-After honoured
  # rateLimit: { requestsPerSecond: 5, tokensPerMinute: 90000 }
  graceMs: 10000         # on Ctrl-C: wait this long for requests in flight, then stop (a second Ctrl-C: now)
  resendUnanswered: true # on --resume after a hard kill: re-send requests that were sent but never answered

# Stop dispatching when one is spent; the rest of the items are reported as skipped (reason: budget).
budget: {}
# budget: { requests: 1000, tokens: 2000000, costUsd: 5, pricing: { promptPer1k: 0.00015, completionPer1k: 0.0006 } }

output:
  dir: redteam-run       # run.sqlite (append-only log), results.jsonl, meta.json and the reports
  formats: [json, md, html]   # also: junit

# CI gate: exit code 1 when this holds.
# failIf: "asr>0.05"
`;
}

/** The starter as written to the default file, lifeguard-redteam.yaml. */
export const REDTEAM_STARTER_CONFIG = redteamStarterConfig();
