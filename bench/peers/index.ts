import { haiGuardrailsPeer } from './hai-guardrails.js';
import { llmGuardPeer } from './llm-guard.js';
import { obscenityPeer } from './obscenity.js';
import type { PeerDetector } from './types.js';
import { vardPeer } from './vard.js';

export type { PeerDetector, PeerTask } from './types.js';

/** Every peer adapter, by package name. Add one: write `bench/peers/<name>.ts` and list it here. */
export const PEER_FACTORIES: ReadonlyArray<{ name: string; load: () => Promise<PeerDetector> }> = [
  { name: '@andersmyrmel/vard', load: vardPeer },
  { name: 'llm-guard', load: llmGuardPeer },
  { name: '@presidio-dev/hai-guardrails', load: haiGuardrailsPeer },
  { name: 'obscenity', load: obscenityPeer },
];

export interface SkippedPeer {
  name: string;
  reason: string;
}

/** Loads and initialises every peer; one that fails is listed in `skipped` with the reason. */
export async function loadPeerReport(): Promise<{ peers: PeerDetector[]; skipped: SkippedPeer[] }> {
  const peers: PeerDetector[] = [];
  const skipped: SkippedPeer[] = [];
  for (const { name, load } of PEER_FACTORIES) {
    try {
      const peer = await load();
      await peer.init?.();
      peers.push(peer);
    } catch (e) {
      skipped.push({ name, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { peers, skipped };
}

/** The peers that load; each one skipped is reported on standard error (or to `onSkip`) with the reason. */
export async function loadPeers(
  onSkip: (skip: SkippedPeer) => void = ({ name, reason }) => process.stderr.write(`peer ${name} skipped: ${reason}\n`),
): Promise<PeerDetector[]> {
  const { peers, skipped } = await loadPeerReport();
  skipped.forEach(onSkip);
  return peers;
}
