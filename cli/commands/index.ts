import type { Command } from 'commander';
import { register as analyze } from './analyze.ts';
import { register as mine } from './mine.ts';
import { register as model } from './model.ts';
import { register as keys } from './keys.ts';
import { register as migrate } from './migrate.ts';
import { register as serve } from './serve.ts';
import { register as worker } from './worker.ts';
import { register as demo } from './demo.ts';
import { register as report } from './report.ts';
import { register as phi } from './phi.ts';

/** Each command file exports a `register(program)`; add new commands to this list. */
export const commands: Array<(program: Command) => void> = [analyze, mine, model, migrate, serve, worker, keys, demo, report, phi];
