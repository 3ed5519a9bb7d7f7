#!/usr/bin/env node
/** The `lifecycle-sync` command line. Bad input: one line on stderr, exit code 2. */
import { Command, CommanderError } from 'commander';
import { registerAdmin } from './commands/admin';
import { registerDefinition } from './commands/definition';
import { registerDefinitionVersions } from './commands/definition-versions';
import { registerEvaluate } from './commands/evaluate';
import { registerReports } from './commands/reports';
import { registerService } from './commands/service';
import { registerSetup } from './commands/setup';
import { registerStart } from './commands/start';
import { exitCodeFor } from './errors';

export function buildProgram(): Command {
  const program = new Command('lifecycle-sync')
    .description('Keeps HubSpot and Salesforce agreeing on which leads are qualified.')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
  registerEvaluate(program);
  registerDefinition(program);
  registerDefinitionVersions(program);
  registerReports(program);
  registerService(program);
  registerStart(program);
  registerAdmin(program);
  registerSetup(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    process.stderr.write(`lifecycle-sync: ${(error as Error).message}\n`);
    if (process.env.LSYNC_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return exitCodeFor(error);
  }
}

if (require.main === module) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
