import type { CreatedAccount } from '../vault/index.ts'
import { completedFields } from './entity-context.ts'
import type { OtpSent } from './otp-sender.ts'

// The request and response of the two-step RPCs (relay-wire.md §1: CreateEntityResponse, with
// AuthenticateEntityResponse adding requires_password_reset and ResetPasswordResponse identical).

/** The request fields the two-step RPCs share; each adds its password field (and CreateEntity its country_code). */
export interface TwoStepRequest {
  readonly phone_number: string
  readonly client_publish_pub_key: string
  readonly client_device_id_pub_key: string
  readonly ownership_proof_response: string
  readonly captcha_token: string
  readonly email_address: string
}

export interface TwoStepResponse {
  readonly requires_ownership_proof: boolean
  readonly long_lived_token: string
  readonly server_publish_pub_key: string
  readonly server_device_id_pub_key: string
  readonly message: string
  readonly next_attempt_timestamp: number
}

const EMPTY: TwoStepResponse = Object.freeze({ requires_ownership_proof: false, long_lived_token: '', server_publish_pub_key: '', server_device_id_pub_key: '', message: '', next_attempt_timestamp: 0 })

/** The first step's answer: the code is on its way. */
export function ownershipProofRequired (sent: OtpSent): TwoStepResponse {
  return { ...EMPTY, requires_ownership_proof: true, message: sent.message, next_attempt_timestamp: sent.nextAttemptSeconds }
}

/** The second step's answer: the server's public keys and the long-lived token. */
export async function completed (created: CreatedAccount, message: string): Promise<TwoStepResponse> {
  return { ...EMPTY, ...await completedFields(created), message }
}
