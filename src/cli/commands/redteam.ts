import type { Command } from 'commander';

/**
 * `lifeguard redteam …`: attack, judge and score a model endpoint, or replay recorded results offline.
 * Each subcommand lives in its own `redteam-*.ts` module and adds itself to the group here.
 */
export async function registerRedteam(program: Command): Promise<Command> {
  const redteam = program
    .command('redteam')
    .description('red-team evaluation: attack, judge and score a model endpoint; replay published results offline');
  // subcommands: one line each, in the order `lifeguard redteam --help` lists them
  (await import('./redteam-run.js')).registerRedteamRun(redteam);
  (await import('./redteam-report.js')).registerRedteamReport(redteam);
  (await import('./redteam-replay.js')).registerRedteamReplay(redteam);
  (await import('./redteam-library.js')).registerRedteamLibrary(redteam);
  return redteam;
}
