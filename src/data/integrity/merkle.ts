import { createHash } from 'node:crypto';

/**
 * Merkle root over leaf hashes in order (RFC 6962 style: leaves and inner nodes are hashed with
 * different prefixes, so a leaf can never pass for a node; an odd node is promoted unchanged).
 */
export function merkleRoot(leaves: readonly Buffer[]): string {
  if (leaves.length === 0) return createHash('sha256').digest('hex');
  let level: Buffer[] = leaves.map((l) =>
    createHash('sha256')
      .update(Buffer.from([0]))
      .update(l)
      .digest(),
  );
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(
        i + 1 < level.length
          ? createHash('sha256')
              .update(Buffer.from([1]))
              .update(level[i])
              .update(level[i + 1])
              .digest()
          : level[i],
      );
    }
    level = next;
  }
  return level[0].toString('hex');
}
