/**
 * Pruning by age without scanning everything: callers keep a Map of key → timestamp whose
 * insertion order is timestamp order (entries are added as things happen and never re-added
 * with an older time), so the expired ones are a prefix and we stop at the first young entry.
 */
export function takeExpired<K>(bornAt: Map<K, number>, cutoffMs: number): K[] {
  const expired: K[] = [];
  for (const [key, at] of bornAt) {
    if (at > cutoffMs) break;
    expired.push(key);
  }
  for (const key of expired) bornAt.delete(key);
  return expired;
}

/**
 * A pruning timer that never keeps the process alive (`unref`). It ticks often enough that
 * nothing outlives its retention by more than a quarter of it, and at least once a minute.
 */
export function startPruning(shortestRetentionMs: number, prune: () => void): () => void {
  const everyMs = Math.min(60_000, Math.max(5, Math.floor(shortestRetentionMs / 4)));
  const timer = setInterval(prune, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
