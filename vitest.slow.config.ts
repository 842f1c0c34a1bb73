import { defineConfig } from 'vitest/config';

// `npm run test:slow`: the long searches kept out of the default `npm test` (see vitest.config.ts).
export default defineConfig({
  test: {
    include: ['src/**/*.slow.test.ts'],
    testTimeout: 3_600_000,
  },
});
