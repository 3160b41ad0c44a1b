/**
 * The gateway's dashboard: a page and a small JSON API under `/admin`, behind the admin key, over the audit
 * log. See docs/guard-dashboard.md.
 *
 * This file is all the gateway loads up front: the routes, page and live feed are imported on the first
 * `/admin` request, so `lifeguard/guard` (which builds gateways in process) never loads the dashboard.
 */
import type { Context, Hono } from 'hono';
import type { AuditLog } from '../audit/types.js';
import type { GatewayMetrics } from '../gateway/metrics.js';

export interface DashboardOptions {
  /** The audit log to show; without it the API answers 503. */
  audit?: AuditLog;
  /** The admin key (the value of the variable `server.adminKeyEnv` names); without it the dashboard is off. */
  adminKey?: string;
  /** Name of that variable, for messages (default `LIFEGUARD_ADMIN_KEY`). */
  adminKeyEnv?: string;
  /** Counts refused admin requests (`lifeguard_requests_total{route="admin"}`). */
  metrics?: GatewayMetrics;
  /** Live feed poll interval (default 1 000 ms). */
  liveIntervalMs?: number;
  /** Most live viewers at once (default 16). */
  maxLiveViewers?: number;
  /** Longest a live stream stays open before the browser reconnects and is authenticated again (default 10 min). */
  liveMaxMs?: number;
  /**
   * Most bytes of live events held for one viewer that is not reading them (default 1 MiB). A viewer further
   * behind is disconnected (counted as `outcome="live_slow"`) and reconnects from its last event.
   */
  liveBufferBytes?: number;
}

/**
 * Mounts the dashboard on the gateway's app under `/admin`:
 * `GET /admin` (the page), `GET|POST /admin/login`, `POST /admin/logout`, `GET /admin/app.js`, `GET /admin/app.css`,
 * `GET /admin/api/stats`, `GET /admin/api/events`, `GET /admin/api/events/:id`, `GET /admin/api/live` (SSE).
 * Without an admin key every one of them answers 404 with the reason: the dashboard is never open.
 */
export function mountDashboard(app: Hono, options: DashboardOptions): void {
  let inner: Promise<{ fetch: Hono['fetch'] }> | undefined;
  const load = () => {
    inner ??= import('./routes.js').then(
      (m) => m.createDashboardApp(options),
      (e: unknown) => {
        inner = undefined; // try again on the next request
        throw e;
      },
    );
    return inner;
  };
  const handler = async (c: Context) => (await load()).fetch(c.req.raw, c.env);
  app.all('/admin', handler);
  app.all('/admin/*', handler);
}
