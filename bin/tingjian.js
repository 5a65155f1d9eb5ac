#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader, so `npx tingjian` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/index.ts');
await main(process.argv);
