/** Case helpers the training-data generators share when they compose sentences. */

/** `s` with its first character upper-cased ("write a poem" → "Write a poem"). */
export const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** `s` with its first character lower-cased, to continue a sentence ("Write a poem" → "write a poem"). */
export const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
