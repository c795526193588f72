import type { Command } from 'commander'
import { SmsgwError, errorCodes } from '../errors.ts'
import type { AppState, Endpoints } from '../relay/client/app-state.ts'
import { platforms, type Platform } from '../relay/payload/platforms.ts'
import { warn, type ProgramIo } from './program-io.ts'
import { endpointsOf, printJson, withEndpoints, withRelayClient, withState, withStateFile, type EndpointOptions, type OpenedState, type StateOptions } from './relay-app-state.ts'

/** The redirect URL the RelaySMS Android app registers (relay-wire.md §3). */
export const APP_REDIRECT_URL = 'https://relay.smswithoutborders.com/android'

interface LinkOptions extends StateOptions, EndpointOptions {
  redirectUrl: string
  consent?: boolean
  simAccount?: string
  code?: string
}

/** `smsgw relay app link <platform>` and `smsgw relay app tokens`. */
export function addLinkCommands (app: Command, io: ProgramIo): void {
  withEndpoints(withState(app.command('link')))
    .description('link a platform account (OAuth2 through the publisher): print the authorization URL, or with --consent approve it at the platform simulator and store the token')
    .argument('<platform>', `an OAuth2 platform: ${oauthPlatforms().map(platform => platform.name).join(', ')}`)
    .option('--redirect-url <url>', 'the redirect URL registered for the platform\'s client', APP_REDIRECT_URL)
    .option('--consent', 'approve at the platform simulator\'s consent page (no browser), then exchange the code')
    .option('--sim-account <name>', 'the simulator account to approve as (its default otherwise)')
    .option('--code <code>', 'the authorization code (or the whole redirect URL) after approving in a browser: completes the link the last run started')
    .action(async (name: string, options: LinkOptions) => { await link(name, options, io) })

  withEndpoints(withState(app.command('tokens')))
    .description('list the linked accounts (ListEntityStoredTokens) as JSON lines, and keep them for compose')
    .action(async (options: StateOptions & EndpointOptions) => {
      const tokens = await withStateFile(options, io, async opened => await listTokens(opened, endpointsOf(opened.state.endpoints, options)))
      for (const token of tokens) await printJson(io, { platform: token.platform, account: token.account })
    })
}

async function link (name: string, options: LinkOptions, io: ProgramIo): Promise<void> {
  const platform = oauthPlatforms().find(candidate => candidate.name === name.toLowerCase())
  if (platform === undefined) throw new SmsgwError(errorCodes.usage, `unknown OAuth2 platform '${name}': use ${oauthPlatforms().map(candidate => candidate.name).join(', ')}`)
  if (options.consent === true && options.code !== undefined) throw new SmsgwError(errorCodes.usage, '--consent and --code exclude each other')
  await withStateFile(options, io, async opened => { await linkWith(opened, platform, options, io) })
}

async function linkWith (opened: OpenedState, platform: Platform, options: LinkOptions, io: ProgramIo): Promise<void> {
  // Loaded here, not at the top, as every relay module of the CLI (relay-app-state.ts).
  const { authorizationCodeOf, consentAtSimulator } = await import('../relay/client/simulator-consent.ts')
  const endpoints = endpointsOf(opened.state.endpoints, options)
  const requestIdentifier = opened.state.session.serverPublishPublicKey.toString('base64')
  let pending = opened.state.pendingLinks[platform.name]
  let code: string | undefined
  if (options.code === undefined) {
    const url = await withRelayClient('Publisher', endpoints, async publisher => await publisher.call('GetOAuth2AuthorizationUrl', {
      platform: platform.name,
      // What the app sends: base64 of "<platform>,<support_url_scheme>".
      state: Buffer.from(`${platform.name},false`).toString('base64'),
      autogenerate_code_verifier: true,
      redirect_url: options.redirectUrl,
      request_identifier: requestIdentifier
    }))
    pending = { codeVerifier: String(url.code_verifier), redirectUrl: options.redirectUrl }
    if (options.consent !== true) {
      await opened.save(withPending(opened.state, endpoints, platform.name, pending))
      await io.writeStdout(`${String(url.authorization_url)}\n`)
      warn(io, `open that URL, approve, then run: smsgw relay app link ${platform.name} --code CODE (the code of the redirect to ${options.redirectUrl})`)
      return
    }
    code = await consentAtSimulator(String(url.authorization_url), options.simAccount)
  } else {
    if (pending === undefined) throw new SmsgwError(errorCodes.usage, `no link of ${platform.name} is waiting for its code: run smsgw relay app link ${platform.name} first`)
    code = options.code.includes('://') ? authorizationCodeOf(options.code) : options.code
  }
  const { codeVerifier, redirectUrl } = pending
  await withRelayClient('Publisher', endpoints, async publisher => await publisher.call('ExchangeOAuth2CodeAndStore', {
    long_lived_token: opened.state.session.longLivedToken,
    platform: platform.name,
    authorization_code: code,
    code_verifier: codeVerifier,
    redirect_url: redirectUrl,
    store_on_device: false,
    request_identifier: requestIdentifier
  }))
  const { [platform.name]: _done, ...stillPending } = opened.state.pendingLinks
  const saved = { ...opened, state: { ...opened.state, endpoints, pendingLinks: stillPending } }
  const tokens = await listTokens(saved, endpoints)
  await printJson(io, { event: 'linked', platform: platform.name, accounts: tokens.filter(token => token.platform === platform.name).map(token => token.account) })
}

/** ListEntityStoredTokens; the accounts it lists are kept in the state (compose's default account). */
async function listTokens (opened: OpenedState, endpoints: Endpoints): Promise<Array<{ platform: string, account: string }>> {
  const answer = await withRelayClient('Entity', endpoints, async vault => await vault.call('ListEntityStoredTokens', { long_lived_token: opened.state.session.longLivedToken, migrate_to_device: false }))
  const tokens = (answer.stored_tokens as Array<Record<string, unknown>> | undefined ?? []).map(token => ({ platform: String(token.platform), account: String(token.account_identifier) }))
  const accounts: Record<string, string[]> = {}
  for (const token of tokens) (accounts[token.platform] ??= []).push(token.account)
  await opened.save({ ...opened.state, endpoints, accounts })
  return tokens
}

function withPending (state: AppState, endpoints: Endpoints, platform: string, pending: AppState['pendingLinks'][string]): AppState {
  return { ...state, endpoints, pendingLinks: { ...state.pendingLinks, [platform]: pending } }
}

function oauthPlatforms (): readonly Platform[] {
  return platforms.filter(platform => platform.protocol === 'oauth2')
}
