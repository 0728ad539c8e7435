#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so there is no build step
// to forget between a checkout and a running desk.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
