import { errorCodes, SmsgwError } from '../../errors.ts'
import { allowedReceiptStats, receiptStats } from '../receipts/index.ts'
import type { ReceiptStat } from '../receipts/index.ts'

// Which receipt a submit_sm earns is data: an ordered table, first match wins, with an explicit
// default (DELIVRD after the default delay) when no rule matches.

/** The receipt delay when no rule gives one, in milliseconds. */
export const DEFAULT_RECEIPT_DELAY_MS = 100
/** The `err:` of a receipt when its rule gives none. */
export const DEFAULT_RECEIPT_ERR = '000'

/** One row of the receipt table. */
export interface ReceiptRule {
  /**
   * Which destinations the rule is for: a string is a prefix of the destination_addr (a leading
   * `+` on either side is ignored), a RegExp is tested against the destination_addr as sent.
   * Absent: every destination.
   */
  readonly destination?: RegExp | string
  /**
   * The share, 0–100, of the messages reaching this rule that it takes; the others go on to the
   * next rule. Each rule draws on its own, so `[{ percent: 10 }, { percent: 10 }]` takes 10 % and
   * then 9 %. Absent: 100.
   */
  readonly percent?: number
  /** The receipt's `stat:` and message_state. */
  readonly outcome: ReceiptStat
  /** The time from the submit_sm to the receipt, in milliseconds. Absent: the simulator's default. */
  readonly delayMs?: number
  /** The receipt's `err:`; absent: `000`. */
  readonly err?: string
}

/** The receipt chosen for one message. */
export interface ReceiptPlan {
  readonly outcome: ReceiptStat
  readonly delayMs: number
  readonly err: string
}

/** A rule in the form the simulator matches with: destination tests are functions, defaults are filled in later. */
interface CompiledRule {
  readonly matches: (destination: string) => boolean
  readonly percent: number
  readonly outcome: ReceiptStat
  readonly delayMs: number | undefined
  readonly err: string
}

/** A receipt table ready to use; build it with `compileReceiptRules`. */
export interface ReceiptRules {
  readonly rules: readonly CompiledRule[]
}

const ERR_TEXT = /^[0-9A-Za-z]{1,10}$/

/**
 * Checks `rules` and copies them into a table (the caller's RegExps are copied without their
 * `g` and `y` flags, so matching keeps no state).
 * @throws SmsgwError SMSGW_CONFIG naming the first rule and field that is wrong.
 */
export function compileReceiptRules (rules: readonly ReceiptRule[]): ReceiptRules {
  return { rules: rules.map((rule, index) => compileRule(rule, `rules[${index}]`)) }
}

function compileRule (rule: ReceiptRule, path: string): CompiledRule {
  if (!allowedReceiptStats.includes(rule.outcome)) {
    throw invalid(`${path}.outcome`, `must be one of ${allowedReceiptStats.join(', ')}`)
  }
  const percent = rule.percent ?? 100
  if (typeof percent !== 'number' || !(percent >= 0 && percent <= 100)) throw invalid(`${path}.percent`, 'must be a number from 0 to 100')
  if (rule.delayMs !== undefined && !isDelay(rule.delayMs)) throw invalid(`${path}.delayMs`, 'must be a whole number of milliseconds, 0 or more')
  const err = rule.err ?? DEFAULT_RECEIPT_ERR
  if (typeof err !== 'string' || !ERR_TEXT.test(err)) throw invalid(`${path}.err`, 'must be 1 to 10 letters or digits')
  return { matches: destinationTest(rule.destination, `${path}.destination`), percent, outcome: rule.outcome, delayMs: rule.delayMs, err }
}

function destinationTest (destination: RegExp | string | undefined, path: string): (value: string) => boolean {
  if (destination === undefined) return () => true
  if (destination instanceof RegExp) {
    const pattern = new RegExp(destination.source, destination.flags.replace(/[gy]/gu, ''))
    return value => pattern.test(value)
  }
  if (typeof destination !== 'string') throw invalid(path, 'must be a prefix string or a RegExp')
  const prefix = withoutPlus(destination)
  return value => withoutPlus(value).startsWith(prefix)
}

function withoutPlus (address: string): string {
  return address.startsWith('+') ? address.slice(1) : address
}

function isDelay (value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

/**
 * The receipt for a message to `destination`: the first rule whose destination matches and
 * whose percent draw succeeds, else DELIVRD. `random` returns a number in [0, 1), like Math.random.
 */
export function chooseReceipt (table: ReceiptRules, destination: string, defaultDelayMs: number, random: () => number): ReceiptPlan {
  for (const rule of table.rules) {
    if (!rule.matches(destination)) continue
    if (rule.percent < 100 && random() * 100 >= rule.percent) continue
    return { outcome: rule.outcome, delayMs: rule.delayMs ?? defaultDelayMs, err: rule.err }
  }
  return { outcome: receiptStats.delivered, delayMs: defaultDelayMs, err: DEFAULT_RECEIPT_ERR }
}

/**
 * The rules of a rules file: a JSON array of rules as in `ReceiptRule`, where a destination
 * written `/pattern/flags` is a regular expression and any other string a prefix.
 * @throws SmsgwError SMSGW_CONFIG naming the first rule and field that is wrong.
 */
export function parseReceiptRules (json: unknown): ReceiptRule[] {
  if (!Array.isArray(json)) throw invalid('rules', 'must be a JSON array of rules')
  const rules = json.map((value: unknown, index): ReceiptRule => {
    const path = `rules[${index}]`
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(path, 'must be an object')
    const entry = value as Record<string, unknown>
    const unknownKey = Object.keys(entry).find(key => !ruleKeys.includes(key))
    if (unknownKey !== undefined) throw invalid(`${path}.${unknownKey}`, `is not a rule field; use ${ruleKeys.join(', ')}`)
    if (typeof entry.outcome !== 'string') throw invalid(`${path}.outcome`, `must be one of ${allowedReceiptStats.join(', ')}`)
    if (entry.destination !== undefined && typeof entry.destination !== 'string') throw invalid(`${path}.destination`, 'must be a string')
    if (entry.err !== undefined && typeof entry.err !== 'string') throw invalid(`${path}.err`, 'must be a string')
    return {
      outcome: entry.outcome as ReceiptStat,
      ...(entry.destination === undefined ? {} : { destination: parseDestination(entry.destination, `${path}.destination`) }),
      ...(entry.percent === undefined ? {} : { percent: entry.percent as number }),
      ...(entry.delayMs === undefined ? {} : { delayMs: entry.delayMs as number }),
      ...(entry.err === undefined ? {} : { err: entry.err })
    }
  })
  compileReceiptRules(rules)
  return rules
}

const ruleKeys = ['destination', 'percent', 'outcome', 'delayMs', 'err']
const PATTERN_LITERAL = /^\/(.+)\/([a-z]*)$/su

function parseDestination (text: string, path: string): RegExp | string {
  const literal = PATTERN_LITERAL.exec(text)
  if (literal === null) return text
  try {
    return new RegExp(literal[1] as string, literal[2])
  } catch (error) {
    throw invalid(path, `is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`)
  }
}

function invalid (path: string, reason: string): SmsgwError {
  return new SmsgwError(errorCodes.config, `receipt rule ${path} ${reason}`)
}
