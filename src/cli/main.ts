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

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links (a loop?)',
};

/**
 * Standard output that fails (`lifeguard … | head -1` closes the pipe; a full disk) would otherwise be an
 * unhandled 'error' event: a stack trace, and a writer waiting forever for 'drain'. A closed pipe means the
 * reader wants no more, so stop quietly; anything else is one line on stderr and status 2.
 */
function onStdoutError(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`lifeguard: cannot write standard output: ${err.message} [LG_ERR_INPUT_INVALID]\n`);
  process.exit(2);
}

/**
 * Usage errors throw instead of exiting, on every command: commander copies `exitOverride` only to subcommands
 * made after it is set, so `classify --jsonl` without `--task` exited 1 itself, past the handler below.
 */
function overrideExits(cmd: Command): void {
  cmd.exitOverride();
  for (const sub of cmd.commands) overrideExits(sub);
}

/** Runs the CLI; errors become a message on stderr and a non-zero exit code, never a stack trace. */
export async function main(argv: readonly string[]): Promise<void> {
  if (!process.stdout.listeners('error').includes(onStdoutError)) process.stdout.on('error', onStdoutError);
  const program = await buildProgram();
  overrideExits(program);
  try {
    await program.parseAsync(argv as string[]);
  } catch (e) {
    if (e instanceof CommanderError) {
      // A usage error (unknown option, missing --task, an extra argument) is status 2 like every other user
      // error: commander's 1 is what `--jsonl` uses for "ran, some lines failed" and the gate for "failed".
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (LifeguardError.isInstance(e)) {
      process.stderr.write(`lifeguard: ${e.message} [${e.code}]\n`);
      process.exitCode = 2;
      return;
    }
    // A file error the commands did not check for up front: still one line with a code, never a stack.
    const err = e as NodeJS.ErrnoException;
    const why = err?.code ? FILE_ERRORS[err.code] : undefined;
    if (why) {
      const where = err.path ? `${err.path}: ` : '';
      process.stderr.write(`lifeguard: ${where}${why} (${err.syscall ?? 'fs'}) [LG_ERR_INPUT_INVALID]\n`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}
