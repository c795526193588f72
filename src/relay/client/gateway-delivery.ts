import { SmsgwError, errorCodes } from '../../errors.ts'
import { FORWARDER_KEY_HEADER } from '../gateway-clients/forwarder-key.ts'

// Delivering the SMS text as the network would hand it to the relay (relay.md §5):
// - as a gateway phone does (DekuSMS): POST /v3/publish with the SMS's sender and its text, the
//   dates in milliseconds (relay-wire.md §5.1);
// - as the phone network does: an MO from the sender to a relay number, injected into our SMSC
//   simulator through its control port (docs/smsc-simulator.md), which delivers it on the binds of
//   `smsgw run`.

const DELIVERY_TIMEOUT_MS = 60_000

export interface DeliveredSms {
  /** What the gateway (or the simulator's control port) answered. */
  readonly answer: Record<string, unknown>
}

/** `forwarderKey`: the gateway client's key (`smsgw relay gateway-client set-key`), where relay.requireForwarderKey asks for one. */
export async function publishViaGateway (gatewayUrl: string, sms: { from: string, text: string, sentAtMs: number, receivedAtMs: number }, forwarderKey?: string): Promise<DeliveredSms> {
  const body = { address: sms.from, text: sms.text, body: sms.text, date: sms.receivedAtMs, date_sent: sms.sentAtMs, type: 1, read: 0, status: -1, thread_id: 0 }
  return await postJson(new URL('/v3/publish', gatewayUrl).toString(), body, 'the gateway', forwarderKey === undefined ? {} : { [FORWARDER_KEY_HEADER]: forwarderKey })
}

export async function injectMoIntoSimulator (controlUrl: string, sms: { from: string, to: string, text: string }): Promise<DeliveredSms> {
  return await postJson(new URL('/mo', controlUrl).toString(), sms, 'the SMSC simulator', {})
}

async function postJson (url: string, body: unknown, what: string, headers: Record<string, string>): Promise<DeliveredSms> {
  let response: Response
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) })
  } catch (cause) {
    throw new SmsgwError(errorCodes.relayAppCall, `${what} at ${url} did not answer: ${(cause as Error).message}`, { cause })
  }
  const text = await response.text()
  let answer: Record<string, unknown>
  try {
    answer = JSON.parse(text) as Record<string, unknown>
  } catch {
    answer = { text: text.slice(0, 200) }
  }
  if (!response.ok) throw new SmsgwError(errorCodes.relayAppCall, `${what} at ${url} answered ${response.status}: ${String(answer.error ?? answer.message ?? answer.text ?? '')}`)
  return { answer }
}
