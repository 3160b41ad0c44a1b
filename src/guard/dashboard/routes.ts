/**
 * The dashboard's routes, as a Hono app of its own that `mountDashboard` loads on the first `/admin` request.
 * See docs/guard-dashboard.md.
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { LifeguardError } from '../../core/errors.js';
// The audit log's leaf modules only: the store (Kysely, SQLite, pg) is the caller's, never loaded here.
import { AUDIT_ID_PATTERN } from '../audit/id.js';
import { ERROR_MAX_CHARS, scrubText } from '../audit/sanitize.js';
import { parseTimeBound } from '../audit/time.js';
import {
  AUDIT_ACTIONS,
  AUDIT_STAGES,
  type AuditAction,
  type AuditEvent,
  type AuditFilter,
  type AuditStage,
} from '../audit/types.js';
import { type OpenAIError, openAIError } from '../gateway/openai-errors.js';
import { readBounded } from '../read-body.js';
import { APP_CSS, APP_JS, FAVICON_SVG, type LoginMessage, loginHtml, PAGE_HTML } from './assets.js';
import { AdminAuth, FailureLimiter, MIN_ADMIN_KEY_CHARS, SESSION_COOKIE } from './auth.js';
import type { DashboardOptions } from './index.js';
import { LiveFeed, type LiveMessage } from './live.js';

/** Largest page the events API returns. */
export const MAX_EVENTS_PAGE = 500;
const LOGIN_BODY_MAX = 4096;

/** `default-src 'self'` and nothing looser; no framing, no plugins, forms only to ourselves. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const adminError = (message: string, type: string, code: string): OpenAIError => openAIError(message, type, code);

/** The remote address as the Node server saw it (no proxy headers: they are the client's to forge). */
function remoteAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'local';
}

const isHttps = (c: Context) =>
  new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

/** Reads at most `max` bytes of the request body as text; undefined when it is larger. */
async function readSmallBody(c: Context, max: number): Promise<string | undefined> {
  if (Number(c.req.header('content-length') ?? '0') > max) return undefined;
  const body = c.req.raw.body;
  if (!body) return '';
  const read = await readBounded(body, max);
  return read && Buffer.concat(read.parts).toString('utf8');
}

/** Defence in depth: the audit log already redacts; the dashboard redacts again before showing anything. */
function forDisplay(e: AuditEvent): AuditEvent {
  const out = { ...e };
  if (out.excerpt !== undefined) out.excerpt = scrubText(out.excerpt);
  if (out.error !== undefined) out.error = scrubText(out.error, ERROR_MAX_CHARS);
  return out;
}

function oneOf<T extends string>(value: string | undefined, valid: readonly T[], name: string): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(valid as readonly string[]).includes(value))
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${name} "${value}" is not one of: ${valid.join(', ')}`);
  return value as T;
}

/** What the API middleware hands the routes: when the caller's session ends (Infinity for the Bearer key). */
type AdminEnv = { Variables: { adminExpires: number } };

/** The `/admin` routes (see `mountDashboard`). */
export function createDashboardApp(options: DashboardOptions): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const keyEnv = options.adminKeyEnv ?? 'LIFEGUARD_ADMIN_KEY';
  const key = options.adminKey ?? '';
  const audit = options.audit;
  const refused = (outcome: string) => options.metrics?.requests.inc({ route: 'admin', outcome });

  const secure: MiddlewareHandler<AdminEnv> = async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
  };
  app.use('/admin', secure);
  app.use('/admin/*', secure);

  if (key.length < MIN_ADMIN_KEY_CHARS) {
    const message =
      key.length === 0
        ? `The dashboard is disabled: no admin key is configured. Set the environment variable ${keyEnv} (config server.adminKeyEnv) to a random key of at least ${MIN_ADMIN_KEY_CHARS} characters and restart the gateway.`
        : `The dashboard is disabled: the admin key in ${keyEnv} is shorter than ${MIN_ADMIN_KEY_CHARS} characters. Use a longer random key and restart the gateway.`;
    const off = (c: Context) => {
      refused('404');
      return c.json(adminError(message, 'not_found_error', 'dashboard_disabled'), 404);
    };
    app.all('/admin', off);
    app.all('/admin/*', off);
    return app;
  }

  const auth = new AdminAuth(key);
  const failures = new FailureLimiter();
  const live = audit
    ? new LiveFeed(audit, { intervalMs: options.liveIntervalMs, maxSubscribers: options.maxLiveViewers })
    : undefined;
  const liveMaxMs = options.liveMaxMs ?? 10 * 60_000;
  const liveBufferBytes = options.liveBufferBytes ?? 1024 * 1024;

  type Verdict = { ok: true; expires: number } | { ok: false; why: 'none' | 'wrong' | 'limited' };
  /** Bearer admin key, else the session cookie. */
  const authenticate = (c: Context): Verdict => {
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const who = remoteAddress(c);
      if (!failures.allowed(who)) return { ok: false, why: 'limited' };
      const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
      if (auth.checkKey(token)) return { ok: true, expires: Number.POSITIVE_INFINITY };
      failures.fail(who);
      return { ok: false, why: 'wrong' };
    }
    const expires = auth.verify(getCookie(c, SESSION_COOKIE));
    return expires === undefined ? { ok: false, why: 'none' } : { ok: true, expires };
  };

  const unauthorized = (c: Context, why: 'none' | 'wrong' | 'limited') => {
    refused(why === 'limited' ? '429' : '401');
    if (why === 'limited')
      return c.json(
        adminError(
          'Too many wrong admin keys from this address; wait a minute.',
          'rate_limit_error',
          'admin_rate_limited',
        ),
        429,
      );
    c.header('www-authenticate', 'Bearer realm="lifeguard-admin"');
    return c.json(
      adminError(
        'Sign in at /admin/login or send the admin key as "Authorization: Bearer <key>".',
        'authentication_error',
        why === 'wrong' ? 'invalid_admin_key' : 'admin_auth_required',
      ),
      401,
    );
  };

  /** Every `/admin/api/*` route: authenticated, then the audit log must be there. */
  const api: MiddlewareHandler<AdminEnv> = async (c, next) => {
    const v = authenticate(c);
    if (!v.ok) return unauthorized(c, v.why);
    c.set('adminExpires', v.expires);
    if (!audit)
      return c.json(
        adminError(
          'The audit log is off (audit.enabled: false in the config, or LIFEGUARD_AUDIT=off), so there are no decisions to show. Enable it and restart the gateway.',
          'service_unavailable',
          'audit_unavailable',
        ),
        503,
      );
    await next();
  };
  app.use('/admin/api/*', api);

  // ---- the page, its files, sign in and out ----

  const page = (c: Context) => {
    const v = authenticate(c);
    if (!v.ok) {
      if (v.why === 'none') return c.redirect('/admin/login', 303);
      return unauthorized(c, v.why);
    }
    return c.html(PAGE_HTML);
  };
  app.get('/admin', page);
  app.get('/admin/', page);

  app.get('/admin/app.css', (c) => c.body(APP_CSS, 200, { 'content-type': 'text/css; charset=utf-8' }));
  app.get('/admin/favicon.svg', (c) => c.body(FAVICON_SVG, 200, { 'content-type': 'image/svg+xml' }));
  app.get('/admin/app.js', (c) => {
    const v = authenticate(c);
    if (!v.ok) return unauthorized(c, v.why);
    return c.body(APP_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' });
  });

  const loginPage = (c: Context, message: LoginMessage, status: 200 | 401 | 403 | 413 | 429) =>
    c.html(loginHtml(message), status);

  app.get('/admin/login', (c) => loginPage(c, 'none', 200));
  app.post('/admin/login', async (c) => {
    // Same-origin only. SameSite=Strict already keeps the cookie off cross-site requests; this also stops
    // a page elsewhere from posting guesses through a visitor's browser.
    const origin = c.req.header('origin');
    if (origin && origin !== 'null' && origin !== new URL(c.req.url).origin) {
      refused('403');
      return loginPage(c, 'origin', 403);
    }
    const who = remoteAddress(c);
    if (!failures.allowed(who)) {
      refused('429');
      return loginPage(c, 'limited', 429);
    }
    const raw = await readSmallBody(c, LOGIN_BODY_MAX);
    if (raw === undefined) return loginPage(c, 'wrong', 413);
    const candidate = new URLSearchParams(raw).get('key') ?? '';
    if (!auth.checkKey(candidate)) {
      failures.fail(who);
      refused('401');
      return loginPage(c, 'wrong', 401);
    }
    const { token } = auth.issue();
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: isHttps(c),
      path: '/admin',
      maxAge: Math.floor(auth.ttlMs / 1000),
    });
    return c.redirect('/admin', 303);
  });
  app.post('/admin/logout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/admin', httpOnly: true, sameSite: 'Strict', secure: isHttps(c) });
    return c.redirect('/admin/login', 303);
  });

  // ---- the API (authenticated and with an audit log, by the middleware above) ----
  app.onError((err, c) => {
    // Bad query parameters (an unknown action, a malformed id or time) are the client's to fix.
    if (err instanceof LifeguardError && err.code === 'LG_ERR_INPUT_INVALID')
      return c.json(adminError(err.message, 'invalid_request_error', 'invalid_request'), 400);
    // The audit database down or unreachable is a temporary condition for a client to retry, not a bug: 503.
    if (databaseUnavailable(err)) {
      refused('503');
      return c.json(adminError(`Audit log unavailable: ${err.message}`, 'api_error', 'audit_unavailable'), 503);
    }
    refused('500');
    return c.json(adminError(`Dashboard error: ${err.message}`, 'api_error', 'dashboard_error'), 500);
  });
  app.notFound((c) => c.json(adminError(`No dashboard route ${c.req.path}.`, 'not_found_error', 'not_found'), 404));
  if (!audit || !live) return app;

  app.get('/admin/api/stats', async (c) => {
    const now = Date.now();
    const since = parseTimeBound(c.req.query('since') || '1h', now);
    const untilRaw = c.req.query('until');
    const until = untilRaw ? parseTimeBound(untilRaw, now) : undefined;
    return c.json(await audit.stats({ since, until }));
  });

  app.get('/admin/api/events', async (c) => {
    const q = (name: string) => c.req.query(name) || undefined;
    const limitRaw = q('limit') ?? '50';
    const limit = Number(limitRaw);
    if (!/^\d+$/.test(limitRaw) || limit < 1 || limit > MAX_EVENTS_PAGE)
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `limit must be an integer from 1 to ${MAX_EVENTS_PAGE}`);
    const before = q('before');
    if (before !== undefined && !AUDIT_ID_PATTERN.test(before))
      throw new LifeguardError('LG_ERR_INPUT_INVALID', 'before must be an event id (26 characters)');
    const filter: AuditFilter = {
      limit,
      before,
      check: q('check'),
      action: oneOf<AuditAction>(q('action'), AUDIT_ACTIONS, 'action'),
      stage: oneOf<AuditStage>(q('stage'), AUDIT_STAGES, 'stage'),
      requestId: q('request'),
    };
    const since = q('since');
    if (since) filter.since = parseTimeBound(since);
    const events = (await audit.query(filter)).map(forDisplay);
    return c.json({ events, next: events.length === limit ? events.at(-1)?.id : undefined });
  });

  app.get('/admin/api/events/:id', async (c) => {
    const id = c.req.param('id');
    if (!AUDIT_ID_PATTERN.test(id))
      throw new LifeguardError('LG_ERR_INPUT_INVALID', 'an event id is 26 characters of Crockford base32');
    // The log pages by `before` (exclusive); every 26-character id ≤ `id` sorts below `id + '0'`.
    const [event] = await audit.query({ before: `${id}0`, limit: 1 });
    if (!event || event.id !== id)
      return c.json(
        adminError(`No event ${id} (it may have passed the retention period).`, 'not_found_error', 'event_not_found'),
        404,
      );
    return c.json({ event: forDisplay(event) });
  });

  app.get('/admin/api/live', (c) => {
    const lastId = c.req.header('last-event-id') || c.req.query('after') || undefined;
    if (lastId !== undefined && !AUDIT_ID_PATTERN.test(lastId))
      throw new LifeguardError('LG_ERR_INPUT_INVALID', 'after / Last-Event-ID must be an event id (26 characters)');
    const expires = c.get('adminExpires');
    if (live.size >= live.maxSubscribers) {
      refused('503');
      return c.json(
        adminError('Too many live viewers at once; try again later.', 'service_unavailable', 'live_full'),
        503,
      );
    }
    const encoder = new TextEncoder();
    let stop: (error?: Error) => void = () => {};
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          let closed = false;
          const write = (text: string) => {
            if (closed) return;
            controller.enqueue(encoder.encode(text));
            // The server writes to the socket only as fast as the viewer reads; what it has not taken yet
            // waits in this stream's queue. A viewer that stops reading would make that queue grow for as
            // long as decisions arrive (and keep it after the stream ends), so past liveBufferBytes the viewer
            // is cut off: counted, and its browser reconnects from the last event it received.
            if ((controller.desiredSize ?? 0) < 0) {
              refused('live_slow');
              const outgoing = (c.env as { outgoing?: { destroy(): void } } | undefined)?.outgoing;
              if (outgoing) {
                // On Node: end the stream and drop the connection; the server then discards what is queued.
                stop();
                outgoing.destroy();
              } else stop(new Error('live viewer too slow: disconnected'));
            }
          };
          const send = (m: LiveMessage) => {
            if (m.kind === 'gap') return write('event: gap\ndata: {}\n\n');
            for (const e of m.events) {
              if (closed) return;
              write(`id: ${e.id}\nevent: decision\ndata: ${JSON.stringify(forDisplay(e))}\n\n`);
            }
          };
          const unsubscribe = live.subscribe(send, lastId);
          if (!unsubscribe) {
            closed = true;
            controller.close();
            return;
          }
          const ping = setInterval(() => write(': ping\n\n'), 15_000);
          ping.unref?.();
          // Close before the session ends (and at least every liveMaxMs): the browser reconnects and signs in again.
          const end = setTimeout(() => stop(), Math.max(1000, Math.min(liveMaxMs, expires - Date.now())));
          end.unref?.();
          stop = (error?: Error) => {
            if (closed) return;
            closed = true;
            unsubscribe();
            clearInterval(ping);
            clearTimeout(end);
            try {
              // An error drops what is queued and makes the server abort the response, freeing the socket.
              if (error) controller.error(error);
              else controller.close();
            } catch {}
          };
          write('retry: 3000\n: connected\n\n');
        },
        cancel: () => stop(),
      },
      { highWaterMark: liveBufferBytes, size: (chunk) => chunk.byteLength },
    );
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' },
    });
  });
  return app;
}

/**
 * Whether an error says the audit database cannot be reached or used right now: a network error, PostgreSQL's
 * connection and shutdown classes (08, 57P), a pool timeout, SQLite busy or unable to open its file.
 */
function databaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (
    typeof code === 'string' &&
    /^(?:ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|08|57P|SQLITE_BUSY|SQLITE_LOCKED|SQLITE_CANTOPEN)/.test(code)
  )
    return true;
  const message = String((err as { message?: unknown })?.message ?? '');
  return /timeout exceeded when trying to connect|Connection terminated|connection (?:is )?closed|Client has encountered a connection error/i.test(
    message,
  );
}
