import { errorCodes, SmsgwError } from '../../errors.ts'

/**
 * The misbehaviour a test can switch on and off while the simulator runs (`setFaults`). Each
 * one is something real SMSCs do; the gateway must survive all of them.
 */
export interface SmscFaults {
  /** Answer submit_sm with ESME_RTHROTTLED once this many were accepted in the last second; null: no limit. */
  readonly throttlePerSecond: number | null
  /** Answer the next this many submit_sm with ESME_RTHROTTLED; counts down to 0. */
  readonly throttleNextSubmits: number
  /** Hold every response (and generic_nack) this long before writing it, in milliseconds. */
  readonly responseDelayMs: number
  /** Read submit_sm and never answer it (nor record it, nor send a receipt). */
  readonly neverAnswerSubmits: boolean
  /**
   * Close a connection after this many more PDUs, counted over all connections: the connection
   * that reads the last of them answers it (and what else it owes), ignores what it reads after
   * it, and closes. Counts down while it waits; back to null once it fired.
   */
  readonly dropAfterPdus: number | null
  /** Answer every submit_sm with this command_status (ESME_RSUBMITFAIL, ESME_RMSGQFUL, …); null: accept. */
  readonly rejectSubmitsWith: number | null
  /** Answer every bind with this command_status (ESME_RBINDFAIL, …); null: authenticate. */
  readonly refuseBindsWith: number | null
  /** Write a receipt due now before the submit_sm_resp, at once and whatever its rule's delay, as SMSCs racing themselves do. */
  readonly receiptBeforeResponse: boolean
}

export const noFaults: SmscFaults = Object.freeze({
  throttlePerSecond: null,
  throttleNextSubmits: 0,
  responseDelayMs: 0,
  neverAnswerSubmits: false,
  dropAfterPdus: null,
  rejectSubmitsWith: null,
  refuseBindsWith: null,
  receiptBeforeResponse: false
})

const faultNames = Object.keys(noFaults) as Array<keyof SmscFaults>

/**
 * `current` with `change` applied, as a new frozen object.
 * @throws SmsgwError SMSGW_CONFIG naming the first fault with an unknown name or a wrong value.
 */
export function mergeFaults (current: SmscFaults, change: Partial<SmscFaults>): SmscFaults {
  for (const name of Object.keys(change)) {
    if (!faultNames.includes(name as keyof SmscFaults)) throw invalid(name, `is not a fault; use ${faultNames.join(', ')}`)
  }
  const merged = { ...current, ...change }
  checkCount(merged, 'throttlePerSecond', 1, true)
  checkCount(merged, 'throttleNextSubmits', 0, false)
  checkCount(merged, 'responseDelayMs', 0, false)
  checkCount(merged, 'dropAfterPdus', 1, true)
  checkStatus(merged, 'rejectSubmitsWith')
  checkStatus(merged, 'refuseBindsWith')
  if (typeof merged.neverAnswerSubmits !== 'boolean') throw invalid('neverAnswerSubmits', 'must be true or false')
  if (typeof merged.receiptBeforeResponse !== 'boolean') throw invalid('receiptBeforeResponse', 'must be true or false')
  return Object.freeze(merged)
}

function checkCount (faults: SmscFaults, name: keyof SmscFaults, min: number, nullable: boolean): void {
  const value = faults[name]
  if (nullable && value === null) return
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw invalid(name, `must be a whole number from ${min}${nullable ? ', or null' : ''}`)
  }
}

function checkStatus (faults: SmscFaults, name: keyof SmscFaults): void {
  const value = faults[name]
  if (value === null) return
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > 0xffffffff) {
    throw invalid(name, 'must be a command_status other than ESME_ROK, or null')
  }
}

function invalid (name: string, reason: string): SmsgwError {
  return new SmsgwError(errorCodes.config, `SMSC simulator fault ${name} ${reason}`)
}

const WINDOW_MS = 1000

/**
 * The times of the submits accepted in the last second, to answer ESME_RTHROTTLED above a rate.
 * It keeps at most `limit` times, so its memory is bounded by the limit, not by the load.
 */
export class SubmitRate {
  #acceptedAtMs: number[] = []

  /** True when `limit` submits were accepted in the second before `nowMs`. */
  isFull (limit: number, nowMs: number): boolean {
    const recent = this.#acceptedAtMs.filter(time => nowMs - time < WINDOW_MS)
    this.#acceptedAtMs = recent.slice(-limit)
    return this.#acceptedAtMs.length >= limit
  }

  /** Counts an accepted submit; `limit` bounds what is kept. */
  accept (limit: number | null, nowMs: number): void {
    if (limit === null) return
    this.#acceptedAtMs.push(nowMs)
    if (this.#acceptedAtMs.length > limit) this.#acceptedAtMs.shift()
  }
}
