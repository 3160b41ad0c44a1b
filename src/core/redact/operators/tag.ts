import { defineOperator } from '../operator.js';
import type { NoOptions } from '../types.js';

/**
 * `tag`: numbered type tags, `<EMAIL_ADDRESS_1>`, `<EMAIL_ADDRESS_2>`, … The same value of the same type gets
 * the same tag within a call, and across calls that share a `RedactionSession`. Numbers whose tag already
 * occurs in the input text, or is held by the call's vault, are skipped.
 */
export const tag = defineOperator<NoOptions>({
  name: 'tag',
  description: 'numbered type tags such as <EMAIL_ADDRESS_1>, consistent per value within a session',
  apply({ label, value, session, vault, existingTags }) {
    return session.tagFor(label, value, (t) => existingTags.has(t) || (vault?.has(t) ?? false));
  },
});
