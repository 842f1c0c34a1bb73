#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step): tsx registers an ESM loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
