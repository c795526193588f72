import { publishHandshake } from '../relay-diagnostics.ts'
import { replaceDevice } from '../vault/index.ts'
import { accountOf, checkPassword, INCORRECT_CREDENTIALS } from './account-of-identifier.ts'
import { checkCaptcha } from './captcha.ts'
import type { EntityContext } from './entity-context.ts'
import { clientKeysOf, otpCodeOf, recipientOf, requireField } from './entity-inputs.ts'
import { completed, ownershipProofRequired, type TwoStepRequest, type TwoStepResponse } from './two-step-response.ts'

// AuthenticateEntity (relay-wire.md §1, §4; relay.md §2). Step 1 checks the password and sends
// the OTP. Ours: step 1 leaves the current device alone (only a completed login replaces it, so
// knowing the password cannot log someone out), and step 2 checks the password again (the app
// sends it on both steps), so a code alone never logs in. Step 2 replaces the device.

export interface AuthenticateEntityRequest extends TwoStepRequest {
  readonly password: string
}

/** Accounts made here always have a password, so requires_password_reset is always false. */
export type AuthenticateEntityResponse = TwoStepResponse & { readonly requires_password_reset: boolean }

export async function authenticateEntity (context: EntityContext, request: AuthenticateEntityRequest): Promise<AuthenticateEntityResponse> {
  const recipient = recipientOf(request)
  requireField(request.password, 'password')
  const completing = request.ownership_proof_response !== ''
  const keys = completing ? clientKeysOf(request) : undefined
  if (!completing) await checkCaptcha(context.captcha, request.captcha_token)
  const account = await accountOf(context, recipient)
  await checkPassword(context, account, request.password, INCORRECT_CREDENTIALS)
  if (keys === undefined) return { ...ownershipProofRequired(await context.otp.send(recipient, 'authenticate')), requires_password_reset: false }

  await context.otp.verify(recipient, 'authenticate', otpCodeOf(request.ownership_proof_response))
  const replaced = await replaceDevice(context.vault, { identifier: recipient.identifier, ...keys })
  // An account deleted meanwhile: the catch-all answer (unary()).
  if (!replaced.ok) throw replaced.error
  publishHandshake('authenticate')
  return { ...await completed(replaced.value, 'Entity authenticated successfully!'), requires_password_reset: false }
}
