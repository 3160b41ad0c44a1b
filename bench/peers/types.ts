/** The judgements the side-by-side comparison asks peers for. */
export type PeerTask = 'injection' | 'harmful' | 'toxicity';

/** One outside detector package behind a common face, for a side-by-side comparison with Lifeguard. */
export interface PeerDetector {
  /** The npm package name. */
  name: string;
  /** The installed version. */
  version: string;
  /** The tasks this peer has a local check for. */
  tasks: PeerTask[];
  init?(): Promise<void>;
  /**
   * `flagged` is the package's own verdict at its documented default setting; `score` (higher = more
   * likely positive, in [0, 1]) only where the package computes one.
   */
  check(task: PeerTask, text: string): Promise<{ flagged: boolean; score?: number }>;
}

/** An error for a task the peer was not built for (a harness bug, not a detection result). */
export function unsupported(peer: string, task: PeerTask, tasks: readonly PeerTask[]): Error {
  return new Error(`${peer} has no check for "${task}"; its tasks: ${tasks.join(', ')}.`);
}
