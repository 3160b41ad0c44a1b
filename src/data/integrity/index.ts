export {
  type ManifestRecord,
  type ManifestSummary,
  readManifest,
  recordHash,
  type VerifyResult,
  verifyManifest,
  writeManifest,
} from './manifest.js';
export { merkleRoot } from './merkle.js';
