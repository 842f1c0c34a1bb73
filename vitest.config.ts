import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['properties/**/*.test.ts', 'src/**/*.test.ts', 'models/**/*.test.ts', 'fidelity/**/*.test.ts'],
    // Long searches (minutes each) run with `npm run test:slow` (vitest.slow.config.ts).
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.slow.test.ts'],
    reporters: ['default', './src/testing/summary-reporter.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
