export { createGateway, type Gateway, type GatewayOptions, type RequestInfo, sha256Hex } from './app.js';
export {
  type GatewayConfig,
  GatewayConfigSchema,
  gatewayConfigJsonSchema,
  loadGatewayConfig,
  parseGatewayConfig,
} from './config.js';
export { GatewayMetrics } from './metrics.js';
export { RateLimiter } from './rate-limit.js';
export { type RunningGateway, serveGateway } from './server.js';
