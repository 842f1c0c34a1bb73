import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['properties/**/*.test.ts', 'src/**/*.test.ts', 'models/**/*.test.ts', 'fidelity/**/*.test.ts'],
    // Long searches (minutes each) run with `npm run test:slow` (vitest.slow.config.ts).
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.slow.test.ts'],
    reporters: ['default', './src/testing/summary-reporter.ts'],
    // Vitest's default is one worker fewer than the cores: one worker on the 2-core CI machine,
    // where many files wait on child processes (the CLI, the real clients, a Kafka broker) and the
    // second core idled. Two workers keep both cores busy (docs/internals/README.md).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
