/** The largest sequence_number (§3.2.1.4: 0x00000001 to 0x7FFFFFFF). */
export const MAX_SEQUENCE_NUMBER = 0x7fffffff

/**
 * Hands out sequence numbers 1, 2, … 0x7FFFFFFF, then 1 again, skipping any number still
 * outstanding, so a late response can never be matched to the wrong request.
 */
export class SequenceNumbers {
  #last: number

  /** `last` is the number handed out before the first `next()` (0: start at 1). */
  constructor (last = 0) {
    this.#last = last
  }

  /**
   * The next number for which `isOutstanding` is false.
   * @throws RangeError when every number is outstanding, which a bounded window never allows.
   */
  next (isOutstanding: (sequenceNumber: number) => boolean): number {
    for (let tried = 0; tried < MAX_SEQUENCE_NUMBER; tried++) {
      this.#last = this.#last >= MAX_SEQUENCE_NUMBER ? 1 : this.#last + 1
      if (!isOutstanding(this.#last)) return this.#last
    }
    throw new RangeError('every SMPP sequence number is outstanding')
  }
}
