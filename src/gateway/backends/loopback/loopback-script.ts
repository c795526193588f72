import { smsStatuses, type SmsStatus } from '../../../domain/status-event.ts'

// Spec §6: requests of client `test` never reach an SMSC. A marker in the body picks the statuses
// the loopback reports and when; the first marker of this table found in the body wins
// (case-sensitive substring). "normal" is normal-delay after the submission; "long" is a further
// long-delay after that.

export const DEFAULT_NORMAL_DELAY_MS = 100
export const DEFAULT_LONG_DELAY_MS = 1500

export interface LoopbackDelays {
  readonly normalDelayMs: number
  /** Counted from the normal step, not from the submission. */
  readonly longDelayMs: number
}

/** One status the loopback reports for a request. */
export interface LoopbackStep {
  /** Milliseconds after the submission. */
  readonly afterMs: number
  readonly status: SmsStatus
  readonly errorText?: string
}

const at = { normal: 'normal', long: 'long' } as const
type At = typeof at[keyof typeof at]

interface ScriptedStatus {
  readonly at: At
  readonly status: SmsStatus
  readonly errorText?: string
}

const { sent, delivered, expired, invalid, failed } = smsStatuses
const normal = (status: SmsStatus, errorText?: string): ScriptedStatus => scripted(at.normal, status, errorText)
const long = (status: SmsStatus, errorText?: string): ScriptedStatus => scripted(at.long, status, errorText)

function scripted (when: At, status: SmsStatus, errorText: string | undefined): ScriptedStatus {
  return errorText === undefined ? { at: when, status } : { at: when, status, errorText }
}

const scripts: ReadonlyArray<readonly [marker: string, steps: readonly ScriptedStatus[]]> = [
  ['S0D0', []],
  ['S0D1', [normal(delivered)]],
  ['S1D0', [normal(sent)]],
  ['S0X1', [normal(expired, 'Expired message')]],
  ['S0I1', [normal(invalid, 'Invalid message')]],
  ['S1X1', [normal(sent), long(expired, 'Expired after successful send')]],
  ['S1I1', [normal(sent), long(invalid, 'Invalid after successful send')]],
  ['S1D1', [normal(sent), long(delivered)]],
  ['S2D0', [normal(sent), long(sent)]],
  ['D1S1', [normal(delivered), long(sent)]],
  ['S1F1', [normal(sent), long(failed, 'Failed after successful send')]],
  ['F1S1', [normal(failed, 'Reporting failed before reporting sent'), long(sent)]],
  // The older gateway sent this one long-delay after the submission; §6 says long, i.e. normal + long.
  ['FAIL', [long(failed, 'You requested this to FAIL')]]
]

const withoutMarker: readonly ScriptedStatus[] = [normal(sent), long(delivered)]

/** The marker that decides the script for `body`, or undefined when it has none. */
export function loopbackMarker (body: string): string | undefined {
  return scripts.find(([marker]) => body.includes(marker))?.[0]
}

/** The statuses the loopback reports for an SMS with `body`, in the order of their times. */
export function loopbackScript (body: string, delays: LoopbackDelays): LoopbackStep[] {
  const steps = scripts.find(([marker]) => body.includes(marker))?.[1] ?? withoutMarker
  return steps.map(({ at: when, status, errorText }) => ({
    afterMs: when === at.normal ? delays.normalDelayMs : delays.normalDelayMs + delays.longDelayMs,
    status,
    ...(errorText === undefined ? {} : { errorText })
  }))
}
