/** The label value that stands for every value past the cap (unknown clients, surplus names). */
export const OTHER_LABEL = 'other'

export interface LabelCapOptions {
  /** Values that always get a label of their own, such as the allowed client ids; omit to allow any. */
  allowed?: Iterable<string> | ((value: string) => boolean)
  /** Most distinct values labelled, `other` aside; past it every new value is `other`. */
  maxValues: number
}

/**
 * Keeps a label's cardinality bounded: each series costs memory in this process and in
 * Prometheus, and some label values come from outside (a client id on an INVALID request from a
 * stranger). A value is kept when it is allowed and there is room; anything else becomes `other`.
 */
export class LabelCap {
  readonly #allowed: (value: string) => boolean
  readonly #maxValues: number
  readonly #seen = new Set<string>()

  constructor (options: LabelCapOptions) {
    const allowed = options.allowed
    if (allowed === undefined) this.#allowed = () => true
    else if (typeof allowed === 'function') this.#allowed = allowed
    else {
      const set = new Set(allowed)
      this.#allowed = value => set.has(value)
    }
    this.#maxValues = options.maxValues
  }

  /** `value` itself when it may have a series of its own, otherwise `other`. */
  label (value: string): string {
    if (this.#seen.has(value)) return value
    if (!this.#allowed(value) || this.#seen.size >= this.#maxValues) return OTHER_LABEL
    this.#seen.add(value)
    return value
  }
}
