/**
 * Lifeguard's risk ids, and how they map to the MLCommons AI Safety hazard categories (v1.0, S1–S14,
 * the Llama Guard 3 numbering) and to the OWASP Top 10 for LLM Applications 2025.
 */
export const MLCOMMONS_HAZARDS = {
  S1: 'Violent Crimes',
  S2: 'Non-Violent Crimes',
  S3: 'Sex-Related Crimes',
  S4: 'Child Sexual Exploitation',
  S5: 'Defamation',
  S6: 'Specialized Advice',
  S7: 'Privacy',
  S8: 'Intellectual Property',
  S9: 'Indiscriminate Weapons',
  S10: 'Hate',
  S11: 'Suicide & Self-Harm',
  S12: 'Sexual Content',
  S13: 'Elections',
  S14: 'Code Interpreter Abuse',
} as const;
export type HazardCode = keyof typeof MLCOMMONS_HAZARDS;

export const OWASP_LLM_2025 = {
  LLM01: 'Prompt Injection',
  LLM02: 'Sensitive Information Disclosure',
  LLM03: 'Supply Chain',
  LLM04: 'Data and Model Poisoning',
  LLM05: 'Improper Output Handling',
  LLM06: 'Excessive Agency',
  LLM07: 'System Prompt Leakage',
  LLM08: 'Vector and Embedding Weaknesses',
  LLM09: 'Misinformation',
  LLM10: 'Unbounded Consumption',
} as const;
export type OwaspId = keyof typeof OWASP_LLM_2025;

export interface RiskCategory {
  id: string;
  title: string;
  hazards: readonly HazardCode[];
  owasp: readonly OwaspId[];
}

const risk = (id: string, title: string, hazards: HazardCode[], owasp: OwaspId[]): RiskCategory => ({
  id,
  title,
  hazards,
  owasp,
});

/** Every risk a finding can carry. Detectors reference these ids; unknown ids are rejected at registration. */
export const RISKS = {
  'privacy.pii': risk('privacy.pii', 'Personal data', ['S7'], ['LLM02']),
  'privacy.secret': risk('privacy.secret', 'Credentials and secrets', ['S7'], ['LLM02']),
  'security.prompt-injection': risk('security.prompt-injection', 'Prompt injection', [], ['LLM01']),
  'security.jailbreak': risk('security.jailbreak', 'Jailbreak', [], ['LLM01']),
  'security.system-prompt-leak': risk('security.system-prompt-leak', 'System prompt leakage', [], ['LLM07']),
  'security.poisoning': risk('security.poisoning', 'Data and model poisoning', [], ['LLM04']),
  'security.excessive-agency': risk('security.excessive-agency', 'Excessive agency', ['S14'], ['LLM06']),
  'security.unsafe-output': risk('security.unsafe-output', 'Improper output handling', ['S14'], ['LLM05']),
  'content.violent-crimes': risk('content.violent-crimes', 'Violent crimes', ['S1'], []),
  'content.non-violent-crimes': risk('content.non-violent-crimes', 'Non-violent crimes', ['S2'], []),
  'content.sex-crimes': risk('content.sex-crimes', 'Sex-related crimes', ['S3'], []),
  'content.child-exploitation': risk('content.child-exploitation', 'Child sexual exploitation', ['S4'], []),
  'content.defamation': risk('content.defamation', 'Defamation', ['S5'], ['LLM09']),
  'content.specialized-advice': risk('content.specialized-advice', 'Specialized advice', ['S6'], ['LLM09']),
  'content.intellectual-property': risk('content.intellectual-property', 'Intellectual property', ['S8'], []),
  'content.weapons': risk('content.weapons', 'Indiscriminate weapons (CBRNE)', ['S9'], []),
  'content.hate': risk('content.hate', 'Hate', ['S10'], []),
  'content.self-harm': risk('content.self-harm', 'Suicide and self-harm', ['S11'], []),
  'content.sexual': risk('content.sexual', 'Sexual content', ['S12'], []),
  'content.elections': risk('content.elections', 'Elections', ['S13'], ['LLM09']),
  'content.toxicity': risk('content.toxicity', 'Toxic, profane or harassing language', ['S10'], []),
  'content.harmful': risk('content.harmful', 'Harmful request (category unknown)', [], []),
  'behavior.refusal': risk(
    'behavior.refusal',
    'Model refusal (a judgement, not a harm: over-refusal checks, red-team judges)',
    [],
    [],
  ),
} as const satisfies Record<string, RiskCategory>;

export type RiskId = keyof typeof RISKS;

export function isRiskId(value: string): value is RiskId {
  return Object.hasOwn(RISKS, value);
}

/** The risk ids that map to a hazard code, e.g. `S7` → privacy.pii, privacy.secret. */
export function risksForHazard(code: HazardCode): RiskId[] {
  return (Object.keys(RISKS) as RiskId[]).filter((id) => (RISKS[id].hazards as readonly string[]).includes(code));
}
