import { status } from '@grpc/grpc-js'
import { createAccount, findAccount, hashPassword, MAX_COUNTRY_CODE_BYTES } from '../vault/index.ts'
import { completedFields, type EntityContext } from './entity-context.ts'
import { checkPasswordStrength, checkPhoneCountry, clientKeysOf, otpCodeOf, recipientOf, requireField } from './entity-inputs.ts'
import type { OtpRecipient } from './otp-sender.ts'
import { invalidArgument, RpcFailure } from './rpc-failure.ts'

// CreateEntity (relay-wire.md §1, §4; relay.md §2): without ownership_proof_response it checks
// every input and sends the OTP; with it, it verifies the code and creates the account.

export interface CreateEntityRequest {
  readonly country_code: string
  readonly phone_number: string
  readonly password: string
  readonly client_publish_pub_key: string
  readonly client_device_id_pub_key: string
  readonly ownership_proof_response: string
  readonly captcha_token: string
  readonly email_address: string
}

export interface CreateEntityResponse {
  readonly requires_ownership_proof: boolean
  readonly long_lived_token: string
  readonly server_publish_pub_key: string
  readonly server_device_id_pub_key: string
  readonly message: string
  readonly next_attempt_timestamp: number
}

const EMPTY_RESPONSE: CreateEntityResponse = Object.freeze({ requires_ownership_proof: false, long_lived_token: '', server_publish_pub_key: '', server_device_id_pub_key: '', message: '', next_attempt_timestamp: 0 })

export async function createEntity (context: EntityContext, request: CreateEntityRequest): Promise<CreateEntityResponse> {
  requireField(request.country_code, 'country_code')
  const recipient = recipientOf(request)
  requireField(request.password, 'password')
  const keys = clientKeysOf(request)
  if (Buffer.byteLength(request.country_code) > MAX_COUNTRY_CODE_BYTES) throw invalidArgument(`The phone number does not match the provided country code ${request.country_code.slice(0, MAX_COUNTRY_CODE_BYTES)}. Expected country code is unknown.`)
  if (recipient.channel === 'phone') checkPhoneCountry(recipient.identifier, request.country_code)
  checkPasswordStrength(request.password)
  if ((await findAccount(context.vault, { identifier: recipient.identifier })).ok) throw alreadyExists(recipient)

  if (request.ownership_proof_response === '') {
    const sent = await context.otp.send(recipient, 'create')
    return { ...EMPTY_RESPONSE, requires_ownership_proof: true, message: sent.message, next_attempt_timestamp: sent.nextAttemptSeconds }
  }
  await context.otp.verify(recipient, 'create', otpCodeOf(request.ownership_proof_response))
  const passwordHash = await hashPassword(context.pepper, request.password)
  const created = await createAccount(context.vault, { identifier: recipient.identifier, countryCode: request.country_code, passwordHash, ...keys })
  // The only refusal left after the checks above: another call created the account meanwhile.
  if (!created.ok) throw alreadyExists(recipient)
  return { ...EMPTY_RESPONSE, ...await completedFields(created.value), message: 'Entity created successfully' }
}

function alreadyExists (recipient: OtpRecipient): RpcFailure {
  return new RpcFailure(status.ALREADY_EXISTS, `Entity with this ${recipient.channel === 'email' ? 'email_address' : 'phone_number'} already exists.`)
}
