import { Command } from 'commander';
import { ConfigError } from '../core/config.ts';
import { isAppError } from '../core/errors.ts';
import { commands } from './commands/index.ts';

/** Entry point of the `tingjian` command; each subcommand lives in its own file under cli/commands/. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command();
  program
    .name('tingjian')
    .description('听见 — 销售对话智能分析 (sales conversation intelligence, fully local)')
    .showHelpAfterError();
  for (const register of commands) register(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    // Expected failures (bad option, missing file, no model …) print their code and advice, not a stack trace.
    if (err instanceof ConfigError) console.error(err.message);
    else if (isAppError(err)) console.error(`错误 / error [${err.code}]: ${err.message}`);
    else throw err;
    process.exitCode = 1;
  }
}
