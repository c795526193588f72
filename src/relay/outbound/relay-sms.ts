import { randomUUID } from 'node:crypto'
import { sealPayloadAsHolder } from '../../crypto/payload/index.ts'
import type { VaultKey } from '../../crypto/vault/index.ts'
import type { RequestIngress } from '../../gateway/request-ingress.ts'
import { formatSmsText } from '../../sms/sms-text.ts'

// The relay's own SMS (relay.md §2, §6, ours): one-time codes and delivery notices are outbound
// SMS of ours. The relay is a client of the outbound side like any other: it seals the SMS text
// for its client's key and puts the request JSON (outbound-gateway.md §2) on the gateway's
// request ingress (the embedded durable queue, or `send-sms` on Kafka), from where the same
// pipeline and backends send it. The relay runs inside the gateway with its vault, so it holds
// that key's private half and seals as its holder (v2 suite 03: no key agreement on either side,
// docs/sealed-payload-v2.md); any gateway instance with the vault opens it. The text is in clear
// only here, before sealing, and inside the gateway while it submits the SMS.

export interface RelaySmsOptions {
  /** Where the gateway takes requests. */
  readonly ingress: RequestIngress
  /** The client the relay sends as: allowed by the gateway, with its key in the gateway's vault. */
  readonly clientId: string
  /** That client's key in the gateway's vault, private half included, to seal with as its holder. */
  readonly key: VaultKey
  /** The SMS's `Sender` header. */
  readonly sender: string
}

export interface RelaySms {
  /**
   * Seals (v2, suite 03) and queues one SMS; resolves once the request is durable. `purpose` starts
   * its random correl-id (no identifier shows in the request's clear fields); `deadlineMs` is
   * when the SMS is of no use any more.
   */
  send: (recipient: string, text: string, purpose: string, deadlineMs: number) => Promise<void>
}

export function relaySmsSender (options: RelaySmsOptions): RelaySms {
  return {
    send: async (recipient, text, purpose, deadlineMs) => {
      const request = {
        'client-id': options.clientId,
        'correl-id': `relay-${purpose}-${randomUUID()}`,
        deadline: new Date(deadlineMs).toISOString(),
        payload: sealPayloadAsHolder(options.key, Buffer.from(formatSmsText({ To: recipient, Sender: options.sender }, text), 'utf8'))
      }
      await options.ingress.accept([JSON.stringify(request)])
    }
  }
}
