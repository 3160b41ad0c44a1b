import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `models/` folder shipped with the package (trained weights, the word vectors). */
export function defaultModelsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/models/classify or dist/models/classify → package root
  return join(here, '..', '..', '..', 'models');
}
