import { randomBytes } from 'node:crypto'
import { access, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DeepPartial, GatewayConfig } from '../config/index.ts'
import { relayEnvironments } from '../config/relay-environments.ts'
import { defaultSimClients, startPlatformSimulator } from '../platform-sim/index.ts'
import { newRelayKeyTexts, relayKeyFileNames, type RelayKeyFile } from '../relay/vault/key-files.ts'
import { startMoControl, type SmscSimulator } from '../smpp/simulator/index.ts'
import { DEMO_CLIENT } from './demo-setup.ts'

// The inbound half of the demo (docs/relay.md, "Try it: the demo"): with no configuration file,
// `smsgw run` also runs the relay (vault and publisher gRPC, the ingress on the HTTP port and on a
// relay number of the demo SMSC), the platform simulator in-process, and the SMSC simulator's MO
// control, so that `smsgw relay app` can sign up, link the simulated Mastodon and post by SMS.
// Its keys and files are made once in `<data>/relay/` and never replaced: the account, its
// linked tokens and the simulator's grants survive a restart.

/** The demo user's phone number, whose fixed one-time code is accepted (development only). */
export const DEMO_RELAY_PHONE = '+237650000044'
export const DEMO_RELAY_COUNTRY = 'CM'
/** relay.otpDevelopmentCode of the demo: refused anywhere but relay.environment development. */
export const DEMO_OTP_CODE = '135790'
/** The relay number on the demo SMSC: an MO to it enters the ingress, not inbound.owners. */
export const DEMO_RELAY_NUMBER = '15999'
/** The platforms of the simulator the relay is pointed at (Telegram has no simulator). */
const SIMULATED = ['gmail', 'twitter', 'mastodon', 'bluesky'] as const

/** What the welcome prints: where each part listens and the files the app commands name. */
export interface RelayDemo {
  /** The platform simulator's page (`/`) and `GET /_sim/posts`. */
  readonly platformsUrl: string
  /** The SMSC simulator's MO control (`smsgw relay app send --via smsc --smsc-sim URL`). */
  readonly moControlUrl: string
  /** The demo app's state file (made by its signup) and its password's file. */
  readonly stateFile: string
  readonly statePasswordFile: string
  /** The demo account's password's file. */
  readonly accountPasswordFile: string
  /** Whether the state file exists: the demo user signed up on an earlier start. */
  readonly signedUp: boolean
  /** The relay's settings of the demo, over which the rest of the configuration is loaded. */
  readonly config: DeepPartial<GatewayConfig>['relay']
  close: () => Promise<void>
}

/** Makes the demo relay's files (once) and starts its simulators; `smsc` is the demo's SMSC simulator. */
export async function startRelayDemo (dataDir: string, smsc: SmscSimulator): Promise<RelayDemo> {
  const dir = join(dataDir, 'relay')
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const keyTexts = newRelayKeyTexts(new Date())
  const keyFiles: Partial<Record<RelayKeyFile, string>> = {}
  for (const [setting, name] of Object.entries(relayKeyFileNames) as Array<[RelayKeyFile, string]>) {
    keyFiles[setting] = await fileOnce(join(dir, name), keyTexts[setting])
  }
  const secretFiles: Record<string, string> = {}
  for (const client of defaultSimClients().filter(client => (SIMULATED as readonly string[]).includes(client.platform))) {
    secretFiles[client.platform] = await fileOnce(join(dir, `${client.platform}.secret`), `${client.clientSecret}\n`)
  }
  // Random, once: the demo's passwords are in no source and in no output, only in these files.
  const statePasswordFile = await fileOnce(join(dir, 'demo-app.password'), `${randomBytes(18).toString('base64url')}\n`)
  const accountPasswordFile = await fileOnce(join(dir, 'demo-user.password'), `Aa1!${randomBytes(18).toString('base64url')}\n`)
  const stateFile = join(dir, 'demo-app.state')
  const simulator = await startPlatformSimulator({ grantsFile: join(dir, 'platform-sim-grants.json') })
  const control = await startMoControl(smsc, { host: '127.0.0.1', port: 0 }).catch(async (error: unknown) => {
    await simulator.close()
    throw error
  })
  const platforms = Object.fromEntries(defaultSimClients().filter(client => client.platform in secretFiles).map(client => [client.platform, {
    ...simulatorUrls(client.platform as typeof SIMULATED[number], simulator.url),
    clientId: client.clientId,
    clientSecretFile: secretFiles[client.platform]
  }]))
  return {
    platformsUrl: simulator.url,
    moControlUrl: control.url,
    stateFile,
    statePasswordFile,
    accountPasswordFile,
    signedUp: await access(stateFile).then(() => true, () => false),
    config: {
      ...keyFiles,
      // Free ports: printed, and named in the commands the welcome prints.
      grpcPort: 0,
      publisherGrpcPort: 0,
      ingress: true,
      ingressNumbers: [`+${DEMO_RELAY_NUMBER}`],
      environment: relayEnvironments.development,
      otpDevelopmentCode: DEMO_OTP_CODE,
      otpDevelopmentIdentifiers: [DEMO_RELAY_PHONE],
      // The delivery notices go out as the demo client, over SMPP to the demo SMSC.
      otpSmsClient: DEMO_CLIENT,
      deliveryNotices: true,
      platforms
    },
    close: async () => {
      await control.close()
      await simulator.close()
    }
  }
}

/** A platform's endpoints at the simulator (docs/relay.md, "Platform simulator"). */
function simulatorUrls (platform: typeof SIMULATED[number], url: string): Record<string, string> {
  if (platform === 'twitter') return { baseUrl: url, authorizationUrl: `${url}/i/oauth2/authorize` }
  if (platform === 'gmail') return { baseUrl: url, authorizationUrl: `${url}/o/oauth2/auth`, tokenUrl: `${url}/token`, revokeUrl: `${url}/revoke` }
  return { baseUrl: url }
}

/** `file` with `text` when it does not exist yet (mode 0600); an existing one is kept as it is. */
async function fileOnce (file: string, text: string): Promise<string> {
  await writeFile(file, text, { flag: 'wx', mode: 0o600 }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  })
  return file
}
