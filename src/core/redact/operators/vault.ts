import { LifeguardError } from '../../errors.js';
import { defineOperator } from '../operator.js';
import type { NoOptions } from '../types.js';

/**
 * `vault`: tags like `tag`, and records `tag → original` in the `vault` option so that `restore` can put
 * the originals back. The vault numbers tags: a value it already holds keeps its tag in every later call.
 */
export const vault = defineOperator<NoOptions>({
  name: 'vault',
  description: 'reversible tags: <EMAIL_ADDRESS_1>, with tag → original kept in an encrypted Vault',
  check(_options, env) {
    if (env.vault === undefined) {
      throw new LifeguardError(
        'LG_ERR_VAULT',
        'the "vault" operator needs a Vault: pass `vault: new Vault()` in the redact options ' +
          '(import { Vault } from the redact module), then restore(text, vault) or vault.save(path, passphrase)',
      );
    }
  },
  apply({ label, value, vault: store, session, existingTags }) {
    if (store === undefined) throw new LifeguardError('LG_ERR_VAULT', 'the "vault" operator needs a Vault');
    const t = store.tagFor(label, value, (candidate) => existingTags.has(candidate) || session.isIssued(candidate));
    session.markIssued(t);
    return t;
  },
});
