import { parsePhoneNumberWithError } from 'libphonenumber-js/max'
import { errorCodes } from '../../errors.ts'
import { gatewayClientLimits, type NewGatewayClient } from '../../store/gateway-clients.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'

// What an operator gives to register a gateway client (`smsgw relay gateway-client add`), checked
// into the registry's row. Upstream's CLI looks the country and operator up from the number; the
// operator and its code are not in libphonenumber-js, so the operator gives them, and the country
// defaults to the English name of the number's region.

export interface GatewayClientRegistration {
  readonly msisdn: string
  readonly country?: string | undefined
  readonly operator: string
  readonly operatorCode: string
  /** Comma-separated, e.g. `https,smtp,ftp`. */
  readonly protocols: string
}

const OPERATOR_CODE = /^\d{5,6}$/
const PROTOCOL = /^[A-Za-z0-9+.-]+$/
// Control characters would garble the CLI's and the app's lists.
const CONTROL = /\p{Cc}/u

/** The msisdn itself when it is a valid number written in E.164, as libphonenumber-js formats it. */
export function checkMsisdn (msisdn: string): Outcome<string> {
  const refused = fail<string>(errorCodes.relayGatewayClient, `${msisdn} is not a valid phone number in E.164 form (+ and the digits, e.g. +237650000001)`)
  try {
    const parsed = parsePhoneNumberWithError(msisdn)
    return parsed.isValid() && parsed.number === msisdn ? succeed(msisdn) : refused
  } catch {
    return refused
  }
}

/** The row to store for a registration at `registeredAtMs`, or why not. */
export function newGatewayClientOf (registration: GatewayClientRegistration, registeredAtMs: number): Outcome<NewGatewayClient> {
  const msisdn = checkMsisdn(registration.msisdn)
  if (!msisdn.ok) return msisdn
  const country = registration.country ?? countryNameOf(registration.msisdn)
  const texts: Array<[string, string, number]> = [['country', country, gatewayClientLimits.countryBytes], ['operator', registration.operator, gatewayClientLimits.operatorBytes]]
  for (const [name, value, bytes] of texts) {
    if (value.trim() === '' || CONTROL.test(value) || Buffer.byteLength(value) > bytes) return fail(errorCodes.relayGatewayClient, `the ${name} must be 1 to ${bytes} bytes of text`)
  }
  if (!OPERATOR_CODE.test(registration.operatorCode)) return fail(errorCodes.relayGatewayClient, 'the operator code is the MCC and MNC: 5 or 6 digits')
  const protocols = registration.protocols.split(',').map(protocol => protocol.trim()).filter(protocol => protocol !== '')
  if (protocols.some(protocol => !PROTOCOL.test(protocol)) || Buffer.byteLength(protocols.join(',')) > gatewayClientLimits.protocolsBytes) {
    return fail(errorCodes.relayGatewayClient, `the protocols are words separated by commas, ${gatewayClientLimits.protocolsBytes} bytes in all at most`)
  }
  return succeed({ msisdn: msisdn.value, country, operator: registration.operator, operatorCode: registration.operatorCode, protocols, registeredAtMs })
}

/** The English name of a valid number's region ("Cameroon" for +237…), as upstream's geocoder names it. */
function countryNameOf (msisdn: string): string {
  const region = parsePhoneNumberWithError(msisdn).country
  return region === undefined ? '' : new Intl.DisplayNames(['en'], { type: 'region' }).of(region) ?? region
}
