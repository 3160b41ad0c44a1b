import { Command, CommanderError } from 'commander';
import { LifeguardError } from '../core/errors.js';

const VERSION = '0.1.0';

/** Builds the CLI. Command groups are imported lazily so `--help` stays fast. */
export async function buildProgram(): Promise<Command> {
  const program = new Command()
    .name('lifeguard')
    .description('Full-stack LLM safety: detect, redact and guard personal data, secrets and attacks.')
    .version(VERSION)
    .showHelpAfterError();
  const { registerDetect } = await import('./commands/detect.js');
  const { registerRedact } = await import('./commands/redact.js');
  const { registerData } = await import('./commands/data.js');
  const { registerClassify } = await import('./commands/classify.js');
  const { registerModels } = await import('./commands/models.js');
  const { registerGuard } = await import('./commands/guard.js');
  const { registerRedteam } = await import('./commands/redteam.js');
  registerDetect(program);
  registerRedact(program);
  registerData(program);
  registerClassify(program);
  registerModels(program);
  registerGuard(program);
  await registerRedteam(program);
  return program;
}

/** Runs the CLI; errors become a message on stderr and a non-zero exit code, never a stack trace. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = await buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv as string[]);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    if (LifeguardError.isInstance(e)) {
      process.stderr.write(`lifeguard: ${e.message} [${e.code}]\n`);
      process.exitCode = 2;
      return;
    }
    const err = e as NodeJS.ErrnoException;
    if (err?.code === 'ENOENT' || err?.code === 'EISDIR' || err?.code === 'EACCES') {
      process.stderr.write(`lifeguard: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}
