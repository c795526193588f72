import { publishHandshake } from '../relay-diagnostics.ts'
import { hashPassword, replaceDevice } from '../vault/index.ts'
import { accountOf } from './account-of-identifier.ts'
import { checkCaptcha } from './captcha.ts'
import type { EntityContext } from './entity-context.ts'
import { checkPasswordStrength, clientKeysOf, otpCodeOf, recipientOf, requireField } from './entity-inputs.ts'
import { completed, ownershipProofRequired, type TwoStepRequest, type TwoStepResponse } from './two-step-response.ts'

// ResetPassword (relay-wire.md §1, §4): step 1 checks the new password's strength and that the
// account exists and sends the OTP; step 2 verifies the code, then the new password hash and a new
// device are written in one write (replaceDevice), and keys and token are returned.

export interface ResetPasswordRequest extends TwoStepRequest {
  readonly new_password: string
}

export async function resetPassword (context: EntityContext, request: ResetPasswordRequest): Promise<TwoStepResponse> {
  const recipient = recipientOf(request)
  requireField(request.new_password, 'new_password')
  const completing = request.ownership_proof_response !== ''
  const keys = completing ? clientKeysOf(request) : undefined
  if (!completing) await checkCaptcha(context.captcha, request.captcha_token)
  await checkPasswordStrength(request.new_password, context.breachLookup)
  await accountOf(context, recipient)
  if (keys === undefined) return ownershipProofRequired(await context.otp.send(recipient, 'reset'))

  await context.otp.verify(recipient, 'reset', otpCodeOf(request.ownership_proof_response))
  const passwordHash = await hashPassword(context.pepper, request.new_password)
  const replaced = await replaceDevice(context.vault, { identifier: recipient.identifier, passwordHash, ...keys })
  // An account deleted meanwhile: the catch-all answer (unary()).
  if (!replaced.ok) throw replaced.error
  publishHandshake('reset')
  return await completed(replaced.value, 'Password reset successfully!')
}
