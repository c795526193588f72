/**
 * The writes of this instance to a table on a compacted topic that it has not read back yet, per
 * key. A table that applies its own writes at once (to answer before the round trip to the
 * broker) must not let the read-back of an older write of its own undo a newer one: a record put
 * and then removed would otherwise come back for a moment when the put is read, and a late write
 * that checks the table would bring it back for good.
 *
 * While a key has writes of ours in flight, every record read for it lies before our newest
 * write in the log (one partition per key; one producer keeps our writes in order), so our
 * newest write supersedes it: only the read-back of that newest write is applied.
 */
export class OwnWrites {
  /** Values written and not yet read back, oldest first, per key. */
  readonly #pending = new Map<string, Array<string | null>>()

  /** Call before producing `value` (null: a tombstone) under `key`. */
  wrote (key: string, value: string | null): void {
    const values = this.#pending.get(key)
    if (values === undefined) this.#pending.set(key, [value])
    else values.push(value)
  }

  /** Call when producing failed: the write may never be read back. */
  failed (key: string, value: string | null): void {
    const values = this.#pending.get(key)
    const index = values?.indexOf(value) ?? -1
    if (values === undefined || index === -1) return
    values.splice(index, 1)
    if (values.length === 0) this.#pending.delete(key)
  }

  /** Whether a record read from the topic is to be applied to the table. */
  readBack (key: string, value: string | null): boolean {
    const values = this.#pending.get(key)
    if (values === undefined) return true
    if (values[0] !== value) return false
    values.shift()
    if (values.length > 0) return false
    this.#pending.delete(key)
    return true
  }
}
