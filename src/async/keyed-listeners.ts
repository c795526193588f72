/**
 * Listeners by key: the watches of a ledger view, the subscribers of a status feed, the
 * receipts waiting for their correlation record. A key with no listener left is dropped, so a
 * long-running gateway does not collect empty sets.
 */
export class KeyedListeners<T, K = string> {
  readonly #listeners = new Map<K, Set<(value: T) => void>>()

  /**
   * Adds `listener` for `key`; returns a function that removes it. A function added twice for
   * one key is called once, and one call of the returned function removes it.
   */
  add (key: K, listener: (value: T) => void): () => void {
    let listeners = this.#listeners.get(key)
    if (listeners === undefined) {
      listeners = new Set()
      this.#listeners.set(key, listeners)
    }
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
      if (listeners.size === 0) this.#listeners.delete(key)
    }
  }

  /**
   * Calls every listener of `key` with `value` (a listener removing itself meanwhile is fine).
   * With `onError`, a listener that throws is reported there and the others are still called.
   */
  notify (key: K, value: T, onError?: (error: unknown) => void): void {
    for (const listener of [...(this.#listeners.get(key) ?? [])]) {
      if (onError === undefined) listener(value)
      else {
        try {
          listener(value)
        } catch (error) {
          onError(error)
        }
      }
    }
  }

  /**
   * Resolves with the first value notified for `key`, or with `onTimeout()` after `timeoutMs`.
   */
  async next (key: K, timeoutMs: number, onTimeout: () => T | undefined): Promise<T | undefined> {
    return await new Promise(resolve => {
      const remove = this.add(key, value => finish(value))
      const timer = setTimeout(() => finish(onTimeout()), timeoutMs)
      function finish (value: T | undefined): void {
        clearTimeout(timer)
        remove()
        resolve(value)
      }
    })
  }
}
