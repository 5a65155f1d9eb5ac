import type { Command } from 'commander';
import { register as mine } from './mine.ts';
import { register as model } from './model.ts';

/** Each command file exports a `register(program)`; add new commands to this list. */
export const commands: Array<(program: Command) => void> = [mine, model];
