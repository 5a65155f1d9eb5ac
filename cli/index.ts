import { Command } from 'commander';
import { commands } from './commands/index.ts';

/** Entry point of the `tingjian` command; each subcommand lives in its own file under cli/commands/. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command();
  program
    .name('tingjian')
    .description('听见 — 销售对话智能分析 (sales conversation intelligence, fully local)')
    .showHelpAfterError();
  for (const register of commands) register(program);
  await program.parseAsync(argv);
}
