import type { InboundSms } from '../../smpp/inbound/index.ts'
import type { JsonValue } from './forward.ts'

// Ours (relay.md §1): mobile-originated SMS on our own SMPP binds addressed to a relay number are
// forwards like a gateway phone's, so an operator with an SMSC account needs no phone at all.

/** The MO for a relay number, and how they enter the ingress: what the embedded gateway asks of it. */
export interface MoIngress {
  /** Whether `sms` is for a relay number (relay.ingressNumbers: the recipient as the inbound JSON writes it, exactly). */
  readonly takes: (sms: InboundSms) => boolean
  /** Stores `sms` as a forward; resolves once durable (the deliver_sm_resp may go), rejects when it cannot be stored. */
  readonly accept: (sms: InboundSms) => Promise<void>
}

/**
 * An MO as a gateway phone would forward it: its text, its source as the sender, its receive time
 * (ms) as both dates (SMPP carries no sending time).
 */
export function forwardBodyOfMo (sms: InboundSms): { [key: string]: JsonValue } {
  const receivedMs = sms.receivedAt.getTime()
  return { text: sms.text, address: sms.sender, date: receivedMs, date_sent: receivedMs }
}
