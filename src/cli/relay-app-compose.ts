import type { Command } from 'commander'
import { SmsgwError, errorCodes } from '../errors.ts'
import type { AppState } from '../relay/client/app-state.ts'
import { platforms, type Platform } from '../relay/payload/platforms.ts'
import type { ProgramIo } from './program-io.ts'
import { printJson, secretOf, withState, withStateFile, type StateOptions } from './relay-app-state.ts'

interface ComposeOptions extends StateOptions {
  body?: string
  account?: string
  to?: string
  cc?: string
  bcc?: string
  subject?: string
  language: string
}

interface SendOptions extends ComposeOptions {
  via: string
  gateway?: string
  forwarderKeyFile?: string
  from?: string
  smscSim?: string
  relayNumber?: string
}

const VIAS = ['http', 'smsc'] as const

/** `smsgw relay app compose <platform>` and `smsgw relay app send <platform>`. */
export function addComposeCommands (app: Command, io: ProgramIo): void {
  withContent(withState(app.command('compose')))
    .description('compose a post, e-mail or message as the app does (content v2, ratchet-encrypted, v2 payload) and print the SMS text: standard base64, no wrap, no newline')
    .action(async (name: string, options: ComposeOptions) => {
      const platform = platformNamed(name)
      await io.writeStdout(await composeAndSave(platform, options, io))
    })

  withContent(withState(app.command('send')))
    .description('compose as `compose` does, then deliver the SMS text as a gateway phone would (--via http: POST /v3/publish) or as the network would (--via smsc: an MO injected into the SMSC simulator)')
    .requiredOption('--via <route>', `how the SMS reaches the relay: ${VIAS.join(' or ')}`)
    .option('--gateway <url>', 'with --via http: the relay\'s HTTP front (POST <url>/v3/publish)')
    .option('--forwarder-key-file <file>', 'with --via http: the gateway client\'s forwarding key on the file\'s first line, where relay.requireForwarderKey asks for one')
    .option('--from <msisdn>', 'the number the SMS comes from (default: the account\'s phone number)')
    .option('--smsc-sim <url>', 'with --via smsc: the SMSC simulator\'s control URL (smsgw smsc-sim --control-port)')
    .option('--relay-number <number>', 'with --via smsc: the relay number the SMS is sent to (relay.ingressNumbers; --to is the content\'s recipient)')
    .action(async (name: string, options: SendOptions) => {
      const platform = platformNamed(name)
      // Usage first: a payload composed for a route that cannot be taken would spend a message key.
      if (!(VIAS as readonly string[]).includes(options.via)) throw new SmsgwError(errorCodes.usage, `unknown --via '${options.via}': use ${VIAS.join(' or ')}`)
      if (options.via === 'http' && options.gateway === undefined) throw new SmsgwError(errorCodes.usage, '--via http needs --gateway URL')
      if (options.via === 'smsc' && (options.smscSim === undefined || options.relayNumber === undefined)) throw new SmsgwError(errorCodes.usage, '--via smsc needs --smsc-sim URL and --relay-number NUMBER')
      const forwarderKey = options.forwarderKeyFile === undefined ? undefined : await secretOf(options.forwarderKeyFile, '', '--forwarder-key-file', io)
      let from = options.from
      const text = await composeAndSave(platform, options, io, state => { from ??= state.session.identifier.startsWith('+') ? state.session.identifier : undefined })
      if (from === undefined) throw new SmsgwError(errorCodes.usage, 'the account is an e-mail address: give --from MSISDN, the number the SMS comes from')
      const { injectMoIntoSimulator, publishViaGateway } = await import('../relay/client/gateway-delivery.ts')
      const nowMs = Date.now()
      const delivered = options.via === 'http'
        ? await publishViaGateway(options.gateway as string, { from, text, sentAtMs: nowMs, receivedAtMs: nowMs }, forwarderKey)
        : await injectMoIntoSimulator(options.smscSim as string, { from, to: options.relayNumber as string, text })
      await printJson(io, { event: 'sent', via: options.via, answer: delivered.answer })
    })
}

function withContent (command: Command): Command {
  return command
    .argument('<platform>', `the platform: ${platforms.map(platform => platform.name).join(', ')}`)
    .option('--body <text>', 'the post, e-mail or message text')
    .option('--account <id>', 'the linked account it is from (default: the only one linked for the platform, see tokens); the test id for reliability')
    .option('--to <recipient>', 'the recipient (gmail: addresses; telegram: a phone number or user)')
    .option('--cc <addresses>', 'gmail: copies')
    .option('--bcc <addresses>', 'gmail: blind copies')
    .option('--subject <text>', 'gmail: the subject')
    .option('--language <code>', 'ISO 639-1 language of the delivery notice', 'en')
}

/**
 * Composes with the state's ratchet and saves the advanced ratchet before the text is handed out:
 * a text printed but not saved would let the next one reuse its message key.
 */
async function composeAndSave (platform: Platform, options: ComposeOptions, io: ProgramIo, inspect?: (state: AppState) => void): Promise<string> {
  if (platform.serviceType !== 'test' && options.body === undefined) throw new SmsgwError(errorCodes.usage, `${platform.name} needs --body TEXT`)
  // Loaded here, not at the top, as every relay module of the CLI (relay-app-state.ts): it brings the ratchet.
  const { composeSms, contentFor } = await import('../relay/client/compose.ts')
  return await withStateFile(options, io, async opened => {
    inspect?.(opened.state)
    const content = contentFor(platform, { from: accountOf(platform, options.account, opened.state), to: options.to, cc: options.cc, bcc: options.bcc, subject: options.subject, body: options.body })
    if (!content.ok) throw new SmsgwError(errorCodes.usage, content.error.message)
    const composed = composeSms(opened.state.session, platform, content.value, options.language)
    if (!composed.ok) throw composed.error
    await opened.save({ ...opened.state, session: { ...opened.state.session, ratchet: composed.value.ratchet } })
    return composed.value.text
  })
}

function accountOf (platform: Platform, given: string | undefined, state: AppState): string {
  if (given !== undefined) return given
  const linked = state.accounts[platform.name] ?? []
  if (linked.length === 1) return linked[0] as string
  const hint = linked.length === 0 ? `no ${platform.name} account is known to the state: link one, or run smsgw relay app tokens` : `${linked.length} ${platform.name} accounts are linked`
  throw new SmsgwError(errorCodes.usage, `${hint}; or give --account ID`)
}

function platformNamed (name: string): Platform {
  const platform = platforms.find(candidate => candidate.name === name.toLowerCase())
  if (platform === undefined) throw new SmsgwError(errorCodes.usage, `unknown platform '${name}': use ${platforms.map(candidate => candidate.name).join(', ')}`)
  return platform
}
