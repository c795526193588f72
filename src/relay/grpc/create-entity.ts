import { status } from '@grpc/grpc-js'
import { publishHandshake } from '../relay-diagnostics.ts'
import { createAccount, findAccount, hashPassword, MAX_COUNTRY_CODE_BYTES } from '../vault/index.ts'
import { checkCaptcha } from './captcha.ts'
import type { EntityContext } from './entity-context.ts'
import { checkPasswordStrength, checkPhoneCountry, clientKeysOf, otpCodeOf, recipientOf, requireField } from './entity-inputs.ts'
import type { OtpRecipient } from './otp-sender.ts'
import { invalidArgument, RpcFailure } from './rpc-failure.ts'
import { completed, ownershipProofRequired, type TwoStepRequest, type TwoStepResponse } from './two-step-response.ts'

// CreateEntity (relay-wire.md §1, §4; relay.md §2): without ownership_proof_response it checks
// every input and sends the OTP; with it, it verifies the code and creates the account.

export interface CreateEntityRequest extends TwoStepRequest {
  readonly country_code: string
  readonly password: string
}

export async function createEntity (context: EntityContext, request: CreateEntityRequest): Promise<TwoStepResponse> {
  requireField(request.country_code, 'country_code')
  const recipient = recipientOf(request)
  requireField(request.password, 'password')
  const keys = clientKeysOf(request)
  if (Buffer.byteLength(request.country_code) > MAX_COUNTRY_CODE_BYTES) throw invalidArgument(`The phone number does not match the provided country code ${request.country_code.slice(0, MAX_COUNTRY_CODE_BYTES)}. Expected country code is unknown.`)
  if (recipient.channel === 'phone') checkPhoneCountry(recipient.identifier, request.country_code)
  if (request.ownership_proof_response === '') await checkCaptcha(context.captcha, request.captcha_token)
  await checkPasswordStrength(request.password, context.breachLookup)
  if ((await findAccount(context.vault, { identifier: recipient.identifier })).ok) throw alreadyExists(recipient)

  if (request.ownership_proof_response === '') {
    return ownershipProofRequired(await context.otp.send(recipient, 'create'))
  }
  await context.otp.verify(recipient, 'create', otpCodeOf(request.ownership_proof_response))
  const passwordHash = await hashPassword(context.pepper, request.password)
  const created = await createAccount(context.vault, { identifier: recipient.identifier, countryCode: request.country_code, passwordHash, ...keys })
  // The only refusal left after the checks above: another call created the account meanwhile.
  if (!created.ok) throw alreadyExists(recipient)
  publishHandshake('create')
  return await completed(created.value, 'Entity created successfully')
}

function alreadyExists (recipient: OtpRecipient): RpcFailure {
  return new RpcFailure(status.ALREADY_EXISTS, `Entity with this ${recipient.channel === 'email' ? 'email_address' : 'phone_number'} already exists.`)
}
