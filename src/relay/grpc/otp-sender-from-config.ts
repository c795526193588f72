import { hostname } from 'node:os'
import type { GatewayConfig } from '../../config/index.ts'
import type { VaultKey } from '../../crypto/vault/index.ts'
import { errorCodes } from '../../errors.ts'
import type { RequestIngress } from '../../gateway/request-ingress.ts'
import type { RelayOtpStore } from '../../store/relay-otps.ts'
import { emailOtpDelivery } from '../otp/email-otp-delivery.ts'
import type { OtpDelivery } from '../otp/otp-delivery.ts'
import { smsOtpDelivery } from '../otp/sms-otp-delivery.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { developmentOtpSender } from './development-otp-sender.ts'
import type { OtpChannel, OtpSender } from './otp-sender.ts'
import { firstLineOf, readSettingFile } from './setting-file.ts'
import { storedOtpSender } from './stored-otp-sender.ts'

// The OTP sender from the configuration (docs/relay.md, "One-time codes"): in development with a
// fixed code, the development sender; otherwise codes kept in the store, sent by SMS through the
// gateway's own pipeline (relay.otpSmsClient) and by e-mail over SMTP (relay.smtpHost). A channel
// left unconfigured answers that its OTP service is unavailable.

/** How long one SMTP step is awaited; the RPC waits for the mail server's acceptance. */
const SMTP_STEP_TIMEOUT_MS = 15_000

/** The outbound side, as the composition root hands it to the relay: the relay is one of its clients. */
export interface OutboundSide {
  /** Where the gateway takes requests (the embedded queue, or `send-sms`). */
  readonly ingress: RequestIngress
  /**
   * A client's current key in the gateway's vault, private half included (the relay runs in the
   * gateway's process and seals its SMS as the key's holder); undefined when it has none.
   */
  readonly keyOf: (clientId: string) => VaultKey | undefined
}

export interface OtpSenderParts {
  readonly store: RelayOtpStore
  readonly identifierKey: Buffer
  readonly outbound?: OutboundSide | undefined
  readonly onDeliveryError?: ((channel: OtpChannel, error: unknown) => void) | undefined
}

export function otpSenderFromConfig (relay: GatewayConfig['relay'], parts: OtpSenderParts): Outcome<OtpSender> {
  // The configuration refuses these outside development (config-rules.ts).
  if (relay.environment === 'development' && relay.otpDevelopmentCode !== undefined) {
    return succeed(developmentOtpSender({ code: relay.otpDevelopmentCode, identifiers: relay.otpDevelopmentIdentifiers }))
  }
  const deliveries: Partial<Record<OtpChannel, OtpDelivery>> = {}
  if (relay.otpSmsClient !== undefined) {
    const sms = smsDelivery(relay, relay.otpSmsClient, parts.outbound)
    if (!sms.ok) return sms
    deliveries.phone = sms.value
  }
  if (relay.smtpHost !== undefined && relay.smtpFrom !== undefined) {
    const email = emailDelivery(relay, relay.smtpHost, relay.smtpFrom)
    if (!email.ok) return email
    deliveries.email = email.value
  }
  return succeed(storedOtpSender({ store: parts.store, identifierKey: parts.identifierKey, deliveries, onDeliveryError: parts.onDeliveryError }))
}

function smsDelivery (relay: GatewayConfig['relay'], clientId: string, outbound: OutboundSide | undefined): Outcome<OtpDelivery> {
  if (outbound === undefined) return fail(errorCodes.relayKeyFile, 'relay.otpSmsClient is set, but no outbound gateway runs here to send the OTP SMS through')
  const key = outbound.keyOf(clientId)
  if (key === undefined) return fail(errorCodes.relayKeyFile, `relay.otpSmsClient: the vault holds no key of client ${clientId}`)
  return succeed(smsOtpDelivery({ ingress: outbound.ingress, clientId, key, sender: relay.otpSmsSender }))
}

function emailDelivery (relay: GatewayConfig['relay'], host: string, from: string): Outcome<OtpDelivery> {
  const password = relay.smtpPasswordFile === undefined ? undefined : readSettingFile(relay.smtpPasswordFile, 'relay.smtpPasswordFile')
  if (password !== undefined && !password.ok) return password
  const ca = relay.smtpCaFile === undefined ? undefined : readSettingFile(relay.smtpCaFile, 'relay.smtpCaFile')
  if (ca !== undefined && !ca.ok) return ca
  return succeed(emailOtpDelivery({
    from,
    server: {
      host,
      port: relay.smtpPort,
      tls: relay.smtpTls,
      user: relay.smtpUser,
      password: password === undefined ? undefined : firstLineOf(password.value.toString('utf8')),
      ca: ca?.value,
      clientName: hostname(),
      timeoutMs: SMTP_STEP_TIMEOUT_MS
    }
  }))
}
