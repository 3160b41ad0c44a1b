import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { LifeguardError } from '../../core/errors.js';
import {
  gatewayConfigJsonSchema,
  loadGatewayConfig,
  parseGatewayConfig,
  serveGateway,
  sha256Hex,
} from '../../guard/gateway/index.js';
import { policyJsonSchema } from '../../guard/policy.js';
import { STARTER_CONFIG } from '../../guard/starter.js';
import { registerGuardLogs } from './guard-logs.js';

interface ServeFlags {
  config?: string;
  upstream?: string;
  port?: string;
  host?: string;
  printSchema?: boolean;
}

/** `lifeguard guard …`: the runtime guard's commands. Returns the group so other modules can add to it. */
export function registerGuard(program: Command): Command {
  const guard = program.command('guard').description('runtime guard: policy, OpenAI-compatible gateway, audit log');

  guard
    .command('serve')
    .description('run the guarding gateway in front of an OpenAI-compatible upstream (default policy without --config)')
    .option('--config <file>', 'gateway config YAML (policy, upstream, keys, rate limits, audit)')
    .option('--upstream <url>', 'upstream base URL, e.g. http://127.0.0.1:8000/v1 (overrides the config)')
    .option('--port <n>', 'port to listen on (default 8787)')
    .option('--host <addr>', 'address to listen on (default 127.0.0.1)')
    .option('--print-schema', 'print the config JSON Schema and exit')
    .action(async (flags: ServeFlags) => {
      if (flags.printSchema) {
        process.stdout.write(`${JSON.stringify(gatewayConfigJsonSchema(), null, 2)}\n`);
        return;
      }
      const config = flags.config ? loadGatewayConfig(flags.config) : parseGatewayConfig({});
      if (flags.upstream) config.upstream.baseUrl = flags.upstream;
      if (flags.port !== undefined) {
        const port = Number(flags.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new LifeguardError('LG_ERR_CONFIG_INVALID', `--port: not a port: ${flags.port}`);
        config.server.port = port;
      }
      if (flags.host) config.server.host = flags.host;
      if (!config.upstream.baseUrl) {
        throw new LifeguardError(
          'LG_ERR_CONFIG_INVALID',
          'no upstream: pass --upstream URL or set upstream.baseUrl in the config',
        );
      }
      const audit = config.audit.enabled ? await openAudit(config) : undefined;
      const gw = await serveGateway(config, {
        onDecisions: audit ? (decisions, info) => audit.recordDecisions(decisions, info) : undefined,
        audit: audit?.log,
      });
      process.stderr.write(
        `lifeguard gateway on ${gw.url} → ${config.upstream.baseUrl} (policy: ${config.policy?.name ?? 'default'})\n`,
      );
      const stop = async () => {
        await gw.close();
        await audit?.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  guard
    .command('init')
    .description('write a commented starter gateway config (policy, upstream, keys)')
    .argument('[file]', 'where to write it', 'lifeguard-guard.yaml')
    .option('--force', 'overwrite an existing file')
    .option('--print-schema', 'print the policy JSON Schema instead')
    .action((file: string, flags: { force?: boolean; printSchema?: boolean }) => {
      if (flags.printSchema) {
        process.stdout.write(`${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
        return;
      }
      if (existsSync(file) && !flags.force)
        throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${file} exists; pass --force to overwrite`);
      writeFileSync(file, STARTER_CONFIG);
      loadGatewayConfig(file); // the starter must always be valid
      process.stderr.write(`wrote ${file}\n`);
    });

  guard
    .command('hash-key')
    .description('print the SHA-256 digest of a client API key, for the config `keys:` list')
    .argument('<key>')
    .action((key: string) => {
      process.stdout.write(`${sha256Hex(key)}\n`);
    });

  registerGuardLogs(guard);
  return guard;
}

/** The audit log (SQLite by default, PostgreSQL with DATABASE_URL); `LIFEGUARD_AUDIT=off` disables it. */
async function openAudit(config: ReturnType<typeof parseGatewayConfig>) {
  if (process.env.LIFEGUARD_AUDIT === 'off') return undefined;
  const { openGatewayAudit } = await import('../../guard/audit-hook.js');
  return openGatewayAudit(config);
}
