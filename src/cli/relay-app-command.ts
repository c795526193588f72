import type { Command } from 'commander'
import { existsSync } from 'node:fs'
import { SmsgwError, errorCodes } from '../errors.ts'
import type { RelayClient } from '../relay/client/relay-grpc-client.ts'
import { warn, type ProgramIo } from './program-io.ts'
import { addComposeCommands } from './relay-app-compose.ts'
import { addLinkCommands } from './relay-app-link.ts'
import { endpointsOf, printJson, secretOf, statePasswordOf, withEndpoints, withRelayClient, withState, type EndpointOptions, type StateOptions } from './relay-app-state.ts'

interface AccountOptions extends StateOptions, EndpointOptions {
  phone?: string
  email?: string
  countryCode?: string
  passwordFile?: string
  otp?: string
}

/**
 * `smsgw relay app …`: the RelaySMS app's client side as a command (docs/relay.md, "smsgw relay
 * app"): sign up or log in to a vault, link platforms through the publisher, compose payloads and
 * deliver them as a gateway phone or the network would. Its keys, token and ratchet live in a
 * state file sealed with a password.
 */
export function addRelayAppCommand (relay: Command, io: ProgramIo): void {
  const app = relay.command('app').description('the RelaySMS app as a command: sign up, link a platform, compose and send payloads (docs/relay.md)')
  for (const step of ['signup', 'login'] as const) {
    const command = withEndpoints(withState(app.command(step)))
      .description(step === 'signup'
        ? 'create an account on the vault (CreateEntity, both steps), keeping its keys, token and ratchet in the state file'
        : 'log in to an account (AuthenticateEntity, both steps): a new device, keys and ratchet in the state file')
      .option('--phone <number>', 'the phone number, E.164 (the account identifier)')
      .option('--email <address>', 'an e-mail address as the identifier instead of a phone number')
      .option('--password-file <file>', 'the account password, on the file\'s first line (else typed at the terminal)')
      .option('--otp <code>', 'the one-time code; in development the fixed relay.otpDevelopmentCode (else typed at the terminal once sent)')
    if (step === 'signup') command.option('--country-code <cc>', 'ISO 3166-1 alpha-2 country of the phone number (required with --phone)')
    command.action(async (options: AccountOptions) => { await enter(step, options, io) })
  }
  addLinkCommands(app, io)
  addComposeCommands(app, io)
}

async function enter (step: 'signup' | 'login', options: AccountOptions, io: ProgramIo): Promise<void> {
  // Loaded here, not at the top, as every relay module of the CLI (relay-app-state.ts).
  const { completeLogin, keyFieldsOf, newAppKeys } = await import('../relay/client/app-session.ts')
  const { withStateLock, writeAppState } = await import('../relay/client/state-file.ts')
  const { normalizePhoneNumber } = await import('../relay/vault/input-checks.ts')
  // Usage first: nothing is asked or sent for a command line that cannot work.
  if ((options.phone === undefined) === (options.email === undefined)) throw new SmsgwError(errorCodes.usage, 'give the account\'s --phone or its --email (one of them)')
  if (step === 'signup' && options.phone !== undefined && options.countryCode === undefined) throw new SmsgwError(errorCodes.usage, 'signup with --phone needs --country-code (ISO 3166-1 alpha-2, e.g. CM)')
  const identifier = options.phone === undefined ? options.email as string : normalizePhoneNumber(options.phone)
  const endpoints = endpointsOf(undefined, options)
  if (endpoints.vault === undefined) throw new SmsgwError(errorCodes.usage, `${step} needs --vault HOST:PORT`)
  const password = await secretOf(options.passwordFile, 'Account password: ', '--password-file', io)
  const statePassword = await statePasswordOf(options, io)
  if (existsSync(options.state)) warn(io, `${options.state} exists: it is replaced once the ${step} completes (one device per account)`)
  const keys = newAppKeys()
  const rpc = step === 'signup' ? 'CreateEntity' : 'AuthenticateEntity'
  const request = {
    phone_number: options.phone === undefined ? '' : identifier,
    email_address: options.email ?? '',
    password,
    ...(step === 'signup' ? { country_code: options.countryCode ?? '' } : {}),
    ...keyFieldsOf(keys)
  }
  await withStateLock(options.state, async () => {
    const session = await withRelayClient('Entity', endpoints, async client => {
      const answer = await twoSteps(client, rpc, request, options.otp, io)
      if (answer.requires_password_reset === true) throw new SmsgwError(errorCodes.relayAppCall, `${rpc}: the vault asks for a password reset first (${String(answer.message)})`)
      const opened = completeLogin(keys, identifier, answer)
      if (!opened.ok) throw opened.error
      return opened.value
    })
    await writeAppState(options.state, { session, endpoints, accounts: {}, pendingLinks: {} }, statePassword)
  })
  await printJson(io, { event: step === 'signup' ? 'signed-up' : 'logged-in', state: options.state })
}

/** The first step (an OTP is sent), then the same call with the code. */
async function twoSteps (client: RelayClient, rpc: string, request: Record<string, unknown>, otp: string | undefined, io: ProgramIo): Promise<Record<string, unknown>> {
  const first = await client.call(rpc, request)
  if (first.requires_ownership_proof !== true) return first
  warn(io, `${rpc}: ${String(first.message)}`)
  const code = otp ?? await io.promptHidden('One-time code: ')
  if (code === undefined || code === '') throw new SmsgwError(errorCodes.usage, 'a one-time code was sent but there is no terminal to type it: give --otp CODE')
  return await client.call(rpc, { ...request, ownership_proof_response: code })
}
