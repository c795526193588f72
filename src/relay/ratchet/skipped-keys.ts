import type { SkippedMessageKey } from './ratchet-state.ts'

// Skipped message keys (relay.md §3). Upstream bounds them only per message: a message more than
// MAX_SKIP = 100 past the chain's count (Nr + 100 < N, or PN at a DH step) is refused, exactly 100
// is accepted (libsig Ratchets.skip_message_keys). Ours on top: the stored keys are capped in
// total, oldest dropped first, so that a long-lived session with many lost SMS cannot grow its
// state (sealed and stored per account) without bound. One DH step stores at most 200 keys (100
// of the old chain up to PN and 100 of the new one), well under the cap, so the cap never drops a
// key the step that stored it still needs.

export const MAX_SKIP_PER_MESSAGE = 100
export const MAX_STORED_SKIPPED_KEYS = 500

export function findSkippedKey (keys: readonly SkippedMessageKey[], ratchetPublicKey: Buffer, messageNumber: number): number {
  return keys.findIndex(key => key.messageNumber === messageNumber && key.ratchetPublicKey.equals(ratchetPublicKey))
}

export function withoutSkippedKey (keys: readonly SkippedMessageKey[], index: number): readonly SkippedMessageKey[] {
  return Object.freeze(keys.filter((_, at) => at !== index))
}

/** Appends in derivation order and drops the oldest beyond `cap`. */
export function withSkippedKeys (keys: readonly SkippedMessageKey[], added: readonly SkippedMessageKey[], cap: number): readonly SkippedMessageKey[] {
  if (added.length === 0) return keys
  const all = [...keys, ...added]
  return Object.freeze(all.length > cap ? all.slice(all.length - cap) : all)
}

/** Whether reaching message `until` from count `current` skips more than upstream allows. */
export function exceedsSkipLimit (current: number, until: number): boolean {
  return current + MAX_SKIP_PER_MESSAGE < until
}
