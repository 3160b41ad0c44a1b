import { defineConfig } from 'vitest/config';

/**
 * Files that assert linear time on hostile input (1 MB in well under a second) run last and one at a
 * time: sharing two cores with the end-to-end scan tests made their timings meaningless.
 */
const TIMING = [
  'test/detect/adversarial.test.ts',
  'test/detect/secrets.test.ts',
  'test/detect/pii-patterns.test.ts',
  'test/core/normalize.test.ts',
  'test/data/quality.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    pool: 'threads',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: TIMING, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'timing', include: TIMING, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
