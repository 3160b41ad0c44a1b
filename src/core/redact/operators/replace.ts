import { LifeguardError } from '../../errors.js';
import { defineOperator } from '../operator.js';
import type { NoOptions, ReplaceOptions } from '../types.js';

/** `replace`: a fixed string; `{type}` in it becomes the type label. Default `<{type}>`, e.g. `<EMAIL_ADDRESS>`. */
export const replace = defineOperator<ReplaceOptions>({
  name: 'replace',
  description: 'replace with a fixed string (default `<TYPE>`; `{type}` is substituted)',
  check(options) {
    if (options.with !== undefined && typeof options.with !== 'string') {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', 'replace option `with` must be a string');
    }
  },
  apply({ label }, options) {
    return (options.with ?? '<{type}>').replaceAll('{type}', label);
  },
});

/** `remove`: delete the span. */
export const remove = defineOperator<NoOptions>({
  name: 'remove',
  description: 'delete the value',
  apply() {
    return '';
  },
});
