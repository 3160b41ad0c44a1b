/**
 * Answer parts the gateway withholds because the checks cannot read them (the policy's `binaryParts`): audio
 * without a transcript, generated images. Each is reported as a `binaryParts` decision (audit log, metrics) and
 * the client is told: the `x-lifeguard-withheld` header on a non-streamed answer, and a `lifeguard.withheld` field
 * (`{ parts, types }`) on the answer (streamed: on its last chunk or its final response event).
 */
import type { CheckDecision } from '../types.js';

/** The header that names the types of the parts withheld from a non-streamed answer. */
export const WITHHELD_HEADER = 'x-lifeguard-withheld';

export class WithheldParts {
  readonly #types: string[] = [];
  readonly #record: (decisions: readonly CheckDecision[]) => void;

  constructor(record: (decisions: readonly CheckDecision[]) => void) {
    this.#record = record;
  }

  /** One part withheld: `type` a media type or a kind (`audio`, `image/png`); its decision is recorded now. */
  add(type: string): void {
    const label = typeLabel(type);
    this.#types.push(label);
    this.#record([
      {
        stage: 'output',
        check: 'binaryParts',
        fired: true,
        action: 'redact',
        enforced: true,
        types: [label],
        latencyMs: 0,
      },
    ]);
  }

  get count(): number {
    return this.#types.length;
  }

  /** The answer's `lifeguard` field, or undefined when nothing was withheld. */
  field(): { withheld: { parts: number; types: string[] } } | undefined {
    if (this.#types.length === 0) return undefined;
    return { withheld: { parts: this.#types.length, types: [...new Set(this.#types)] } };
  }

  /** The header's value (the types, comma-separated), or undefined. */
  header(): string | undefined {
    return this.#types.length === 0 ? undefined : [...new Set(this.#types)].join(', ');
  }
}

/** A type fit for a header and the audit log: printable, short, no parameters. */
function typeLabel(type: string): string {
  const essence = String(type).split(';')[0].trim().toLowerCase();
  return essence.replace(/[^a-z0-9!#$&^_.+\-/*]/g, '').slice(0, 64) || 'unknown';
}

/** The media type of a `data:` URL (`data:image/png;base64,…`), else `fallback`. */
export function dataUrlType(url: unknown, fallback: string): string {
  if (typeof url !== 'string') return fallback;
  const m = /^data:([^;,]{1,64})/i.exec(url);
  return m ? m[1] : fallback;
}
