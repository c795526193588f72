import { Vault } from '../crypto/vault/index.ts'
import type { GatewayConfig } from '../config/index.ts'
import type { RequestIngress } from '../gateway/request-ingress.ts'
import type { OutboundSide } from '../relay/grpc/otp-sender-from-config.ts'

/**
 * The relay sends its OTP SMS and notices as a client of this gateway (relay.otpSmsClient): sealed
 * with that client's current key in the vault as its holder (v2 suite 03; the relay holds the
 * vault, so the private half too), and queued on the gateway's ingress like any request (the
 * embedded queue in `smsgw run`, `send-sms` in `smsgw gateway`). Undefined when the relay sends
 * no OTP SMS.
 */
export async function relayOutbound (config: GatewayConfig, vaultPassword: string, ingress: RequestIngress): Promise<OutboundSide | undefined> {
  if (config.relay.grpcPort === undefined || config.relay.otpSmsClient === undefined) return undefined
  const vault = await Vault.load(config.vault.file, vaultPassword)
  return { ingress, keyOf: clientId => vault.keysFor(clientId)[0] }
}
