import type { Command } from 'commander'
import type { ProgramIo } from './program-io.ts'
import { onStopSignals } from './stop-signals.ts'
import { wholeNumber } from './whole-number-option.ts'

interface PlatformSimOptions {
  host: string
  port: string
  tokenLifetimeSeconds: string
  maxPosts: string
  autoApprove?: boolean
}

/**
 * `smsgw platform-sim`: the platform simulator (src/platform-sim/, docs/relay.md "Platform
 * simulator") on an HTTP port, until SIGTERM or SIGINT. Prints its URL and the OAuth clients it
 * accepts (public test values) on stdout.
 */
export function addPlatformSimCommand (program: Command, io: ProgramIo): void {
  program.command('platform-sim')
    .description('run the platform simulator (OAuth2 server; Mastodon, X, Gmail and Bluesky APIs; recorded posts, faults) until SIGTERM or SIGINT')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'HTTP port; 0 picks a free one (printed)', '8090')
    .option('--token-lifetime-seconds <s>', 'how long an access token lives before it must be refreshed', '7200')
    .option('--max-posts <n>', 'how many of the latest posts are kept', '10000')
    .option('--auto-approve', 'approve every authorization request at once, as account sim-user, without a consent page')
    .action(async (options: PlatformSimOptions) => {
      const port = wholeNumber('--port', options.port, 65535)
      const tokenLifetimeSeconds = wholeNumber('--token-lifetime-seconds', options.tokenLifetimeSeconds, 366 * 86400)
      const maxRecordedPosts = Math.max(1, wholeNumber('--max-posts', options.maxPosts, 10_000_000))
      const { startPlatformSimulator } = await import('../platform-sim/index.ts')
      const simulator = await startPlatformSimulator({ host: options.host, port, tokenLifetimeSeconds, maxRecordedPosts, autoApprove: options.autoApprove === true })
      const clients = simulator.clients.map(client => `  ${client.platform.padEnd(10)} client id ${client.clientId}   client secret ${client.clientSecret}\n`)
      await io.writeStdout(`platform simulator listening on ${simulator.url} (posts: ${simulator.url}/, faults: POST ${simulator.url}/_sim/faults)\n` +
        `OAuth2 clients it accepts (authorize ${simulator.url}/oauth/authorize, token ${simulator.url}/oauth/token):\n${clients.join('')}`)
      // A second signal means "now"; the copy of one Ctrl-C that a parent forwards does not.
      const stopping = Promise.withResolvers<NodeJS.Signals>()
      const signals = onStopSignals(io, stopping.resolve)
      await stopping.promise
      await simulator.close()
      await signals.graceOver()
    })
}
