import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { open, seal } from '../vault/sealing.ts'
import type { SealingKeyRing } from '../vault/sealing-key-ring.ts'
import type { Forward, JsonValue } from './forward.ts'
import type { ForwardResult, IngressOrigin } from './forward-processing.ts'

// A forward, and the answer it got, sealed with the vault's key ring wherever they are held out
// of memory: a row of the store (relay-ingress.ts) or a record of the ingress topic and its replies
// (topic-ingress.ts). The sender's number and the text are never in clear there; the associated
// data binds each to its forward's id, so a value copied under another id does not open.

interface SealedForwardJson {
  readonly text: string
  readonly sender: string
  readonly date: JsonValue
  readonly date_sent: JsonValue
  readonly origin: IngressOrigin
}

export function sealForward (keys: SealingKeyRing, id: string, forward: Forward, origin: IngressOrigin): Buffer {
  const json: SealedForwardJson = { text: forward.text, sender: forward.sender, date: forward.date, date_sent: forward.dateSent, origin }
  return seal(keys, 'ingressForward', id, Buffer.from(JSON.stringify(json), 'utf8'))
}

/** The forward sealed under `id`; SMSGW_RELAY_SEALED when it does not open (a key taken out of the ring, another id). */
export function openForward (keys: SealingKeyRing, id: string, sealed: Buffer): Outcome<{ readonly forward: Forward, readonly origin: IngressOrigin }> {
  const opened = open(keys, 'ingressForward', id, sealed)
  if (!opened.ok) return opened
  const stored = JSON.parse(opened.value.toString('utf8')) as SealedForwardJson
  return succeed({ forward: { text: stored.text, sender: stored.sender, date: stored.date, dateSent: stored.date_sent }, origin: stored.origin })
}

/** An answer is sealed too: a publisher's refusal can name a number, a segment's answer its masked sender. */
export function sealResult (keys: SealingKeyRing, id: string, result: ForwardResult): Buffer {
  return seal(keys, 'ingressResult', id, Buffer.from(JSON.stringify(result), 'utf8'))
}

export function openResult (keys: SealingKeyRing, id: string, sealed: Buffer): Outcome<ForwardResult> {
  const opened = open(keys, 'ingressResult', id, sealed)
  if (!opened.ok) return opened
  try {
    return succeed(JSON.parse(opened.value.toString('utf8')) as ForwardResult)
  } catch {
    return fail(errorCodes.relaySealed, 'the sealed ingressResult is not JSON')
  }
}
