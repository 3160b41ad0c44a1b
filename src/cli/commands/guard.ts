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
import { guardStarterConfig } from '../../guard/starter.js';
import { checkReadableFile, parseInteger, shellWord } from '../flags.js';
import { registerGuardLogs } from './guard-logs.js';

interface ServeFlags {
  config?: string;
  upstream?: string;
  port?: string;
  host?: string;
  workers?: string;
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
    .option('--workers <n>', 'processes serving requests: a number or "auto" (one per core); default 1')
    .option('--print-schema', 'print the config JSON Schema and exit')
    .action(async (flags: ServeFlags) => {
      if (flags.printSchema) {
        process.stdout.write(`${JSON.stringify(gatewayConfigJsonSchema(), null, 2)}\n`);
        return;
      }
      if (flags.config) checkReadableFile(flags.config);
      const config = flags.config ? loadGatewayConfig(flags.config) : parseGatewayConfig({});
      if (flags.upstream !== undefined) config.upstream.baseUrl = flags.upstream;
      if (flags.port !== undefined) config.server.port = parseInteger('--port', flags.port, 0, 65535);
      if (flags.host !== undefined) {
        if (!flags.host.trim()) throw new LifeguardError('LG_ERR_CONFIG_INVALID', '--host: name an address');
        config.server.host = flags.host;
      }
      if (flags.workers !== undefined) {
        const n = Number(flags.workers);
        if (flags.workers !== 'auto' && (!Number.isInteger(n) || n < 1 || n > 256))
          throw new LifeguardError(
            'LG_ERR_CONFIG_INVALID',
            `--workers: expected 1..256 or "auto", got ${flags.workers}`,
          );
        config.server.workers = flags.workers === 'auto' ? 'auto' : n;
      }
      if (!config.upstream.baseUrl) {
        throw new LifeguardError(
          'LG_ERR_CONFIG_INVALID',
          'no upstream: pass --upstream URL or set upstream.baseUrl in the config',
        );
      }
      checkUpstreamUrl(config.upstream.baseUrl, flags.upstream !== undefined ? '--upstream' : 'upstream.baseUrl');
      const cluster = await import('../../guard/gateway/cluster.js');
      const workers = cluster.resolveWorkers(config.server.workers);
      const describe = (url: string) =>
        `lifeguard gateway on ${url} → ${config.upstream.baseUrl} (policy: ${config.policy?.name ?? 'default'}${workers > 1 ? `, ${workers} workers` : ''})\n`;
      if (cluster.isClusterWorker()) {
        // A worker: serve, and send decisions to the primary, which writes the audit log.
        const forwarder =
          config.audit.enabled && process.env.LIFEGUARD_AUDIT !== 'off' ? new cluster.AuditForwarder() : undefined;
        const reader = forwarder ? await openAudit(config, { write: false }) : undefined;
        const metrics = new cluster.WorkerMetrics();
        const gw = await serveGateway(cluster.scaleRateLimits(config, workers), {
          onDecisions: forwarder ? (decisions, info) => forwarder.recordDecisions(decisions, info) : undefined,
          audit: reader?.log,
          metricsText: metrics.text,
          auditFailures: forwarder?.failures,
        });
        metrics.attach(gw.metrics);
        cluster.onWorkerShutdown(async () => {
          await gw.close();
          await forwarder?.flush();
          await reader?.close();
        });
        cluster.announceWorker(gw.url);
        return;
      }
      // Find out now, before the audit log opens or workers start, whether the address can be listened on.
      await checkListen(config.server.host, config.server.port);
      const audit = config.audit.enabled ? await openAudit(config) : undefined;
      if (workers > 1) {
        const primary = cluster.startPrimary({
          workers,
          audit,
          onReady: (url) => process.stderr.write(describe(url)),
        });
        const stop = () => shutDown([() => primary.stop()]);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        return;
      }
      let gw: Awaited<ReturnType<typeof serveGateway>>;
      try {
        gw = await serveGateway(config, {
          onDecisions: audit ? (decisions, info) => audit.recordDecisions(decisions, info) : undefined,
          audit: audit?.log,
          auditFailures: audit?.failures,
        });
      } catch (e) {
        await audit?.close();
        throw listenError(e, config.server.host, config.server.port);
      }
      process.stderr.write(describe(gw.url));
      const stop = () => shutDown([() => gw.close(), async () => audit?.close()]);
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
      writeFileSync(file, guardStarterConfig(shellWord(file)));
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

/** The upstream must be an http(s) URL: anything else would start a gateway that can never answer. */
function checkUpstreamUrl(value: string, name: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `${name} must be an http:// or https:// URL such as http://127.0.0.1:8000/v1, got "${value}"`,
    );
  }
}

/** Listens on `host:port` for a moment, so that a busy port or an unknown host is a clear error up front. */
async function checkListen(host: string, port: number): Promise<void> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ host, port }, () => resolve());
    });
  } catch (e) {
    throw listenError(e, host, port);
  }
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

/** A failure to listen, as a one-line error naming the address and the flag that changes it. */
function listenError(e: unknown, host: string, port: number): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  const where = `cannot listen on ${host}:${port}`;
  const why: Record<string, string> = {
    EADDRINUSE: `port ${port} is already in use; choose another with --port (or server.port in the config)`,
    EACCES: `permission denied for port ${port} (ports below 1024 need privileges); choose another with --port`,
    ENOTFOUND: `host ${host} not found; set --host (or server.host in the config) to a local address such as 127.0.0.1`,
    EAI_AGAIN: `host ${host} could not be resolved; set --host (or server.host in the config) to a local address such as 127.0.0.1`,
    EADDRNOTAVAIL: `address ${host} is not one of this machine's; set --host (or server.host in the config) to a local address such as 127.0.0.1`,
  };
  if (!code || !(code in why)) return e;
  return new LifeguardError('LG_ERR_CONFIG_INVALID', `${where}: ${why[code]}`, { cause: e });
}

/**
 * The audit log (SQLite by default, PostgreSQL with DATABASE_URL); `LIFEGUARD_AUDIT=off` disables it. A
 * cluster worker opens it to read only (the dashboard): the primary writes and prunes.
 */
async function openAudit(config: ReturnType<typeof parseGatewayConfig>, options: { write?: boolean } = {}) {
  if (process.env.LIFEGUARD_AUDIT === 'off') return undefined;
  const { openGatewayAudit } = await import('../../guard/audit-hook.js');
  return openGatewayAudit(
    options.write === false ? { ...config, audit: { ...config.audit, retentionDays: undefined } } : config,
  );
}

/**
 * Runs the shutdown steps in order and exits: 0 when all went well, 1 when one failed (an audit log whose last
 * writes failed, say), with one line on stderr for each failure instead of an unhandled rejection's stack.
 */
async function shutDown(steps: (() => Promise<unknown>)[]): Promise<never> {
  let failed = false;
  for (const step of steps) {
    try {
      await step();
    } catch (e) {
      failed = true;
      process.stderr.write(`lifeguard: shutdown: ${(e as Error).message ?? String(e)}\n`);
    }
  }
  process.exit(failed ? 1 : 0);
}
