import type { Finding } from '../core/finding.js';
import type { GuardAction, GuardStage } from './policy.js';

/** One check's verdict on one text. */
export interface CheckDecision {
  stage: GuardStage;
  check: string;
  /** The check found something (over its threshold). */
  fired: boolean;
  /** The action the policy assigns (`allow` when it did not fire). */
  action: GuardAction | 'allow';
  /** False in shadow mode, or when the check failed open. */
  enforced: boolean;
  score?: number;
  /** Classifier checks: the threshold `score` was compared with. */
  threshold?: number;
  categories?: string[];
  /** Entity types found (detector checks); never the values. */
  types?: string[];
  /** Where in the checked text (first finding or the worst window). */
  span?: { start: number; end: number };
  latencyMs: number;
  /**
   * The checked text around the span, at most 160 characters, raw. For the audit log, which redacts it
   * before storing; never log it elsewhere.
   */
  excerpt?: string;
  /** The result was kept from an earlier check of the same text (an earlier turn of the conversation). */
  cached?: boolean;
  /** Set when the check errored or timed out; `action` then follows the policy's fail mode. */
  error?: string;
  /** Which message (index into the request's messages) the check read, for message checks. */
  message?: number;
  source?: string;
}

export interface ChatMessage {
  role: string;
  content?: unknown;
  name?: string;
  tool_calls?: { id?: string; type?: string; function?: { name?: string; arguments?: string } }[];
  tool_call_id?: string;
}

/** What a guard decided about a request or an answer. */
export interface GuardResult {
  /** A check with a `block` action fired and is enforced. */
  blocked: boolean;
  /** The refusal to answer with, when blocked. */
  refusal?: string;
  /** Every check that ran, fired or not. */
  decisions: CheckDecision[];
  /** Findings behind text rewrites (redact, pseudonymise), in the checked text's offsets. */
  findings: Finding[];
  latencyMs: number;
}

export interface InputResult extends GuardResult {
  /** The messages to send upstream: PII pseudonymised, secrets redacted, as the policy says. */
  messages: ChatMessage[];
}

export interface OutputResult extends GuardResult {
  /** The answer to give the client: redacted as the policy says, placeholders restored. */
  text: string;
}
