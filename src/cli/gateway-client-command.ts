import type { Command } from 'commander'
import { loadConfig } from '../config/index.ts'
import { SmsgwError, errorCodes } from '../errors.ts'
import type { ProgramIo } from './program-io.ts'
import { storeCommand, withStore, type StoreOptions } from './store-command.ts'

interface AddOptions extends StoreOptions { country?: string, operator: string, operatorCode: string, protocols: string }

/**
 * `smsgw relay gateway-client add|list|remove|set-key`: the phones that forward RelaySMS payloads
 * (docs/relay.md, "Gateway clients"). Each prints JSON lines; `set-key` prints the new key once.
 * Each action loads the relay modules it uses: the registration checks' phone number metadata
 * alone is about 6 MiB of RSS that every smsgw process, the gateway too, would carry.
 */
export function addGatewayClientCommands (relay: Command, io: ProgramIo): void {
  const command = relay.command('gateway-client').description('the gateway clients: phones that forward RelaySMS payloads, listed to the app at GET /v3/clients')

  storeCommand(command.command('add'), 'store.url', io)
    .description('register a gateway client (its msisdn is listed to every user of the app)')
    .argument('<msisdn>', 'the phone\'s number in E.164 form, e.g. +237650000001')
    .requiredOption('--operator <name>', 'the mobile operator, e.g. "MTN Cameroon"')
    .requiredOption('--operator-code <mccmnc>', 'the operator\'s MCC and MNC, e.g. 62401')
    .option('--country <name>', 'the country\'s name (default: the English name of the number\'s region)')
    .option('--protocols <list>', 'what the phone forwards by, comma-separated', 'https')
    .action(async (msisdn: string, options: AddOptions) => {
      const { newGatewayClientOf } = await import('../relay/gateway-clients/registration.ts')
      const config = await loadConfig({ file: options.config, env: io.env })
      const client = newGatewayClientOf({ msisdn, country: options.country, operator: options.operator, operatorCode: options.operatorCode, protocols: options.protocols }, Date.now())
      if (!client.ok) throw client.error
      const added = await withStore(options, config.store.url, async store => await store.gatewayClients.clients.add(client.value))
      if (!added) throw new SmsgwError(errorCodes.relayGatewayClient, `${msisdn} is registered already (smsgw relay gateway-client remove it first)`)
      await io.writeStdout(`${JSON.stringify({ event: 'added', msisdn, country: client.value.country })}\n`)
    })

  storeCommand(command.command('list'), 'store.url', io)
    .description('print each gateway client as a JSON line, with its reliability and whether it has a forwarding key')
    .action(async (options: StoreOptions) => {
      const { reliabilityText } = await import('../relay/gateway-clients/registry-json.ts')
      const config = await loadConfig({ file: options.config, env: io.env })
      await withStore(options, config.store.url, async store => {
        const { clients } = await store.gatewayClients.clients.list({}, { offset: 0, limit: Number.MAX_SAFE_INTEGER })
        for (const client of clients) {
          await io.writeStdout(`${JSON.stringify({
            msisdn: client.msisdn,
            country: client.country,
            operator: client.operator,
            operatorCode: client.operatorCode,
            protocols: client.protocols,
            reliability: reliabilityText(client.reliabilityHundredths),
            lastPublished: new Date(client.lastPublishedAtMs).toISOString(),
            forwarderKey: client.hasForwarderKey
          })}\n`)
        }
      })
    })

  storeCommand(command.command('remove'), 'store.url', io)
    .description('forget a gateway client and its reliability tests')
    .argument('<msisdn>', 'the phone\'s number, as registered')
    .action(async (msisdn: string, options: StoreOptions) => {
      const config = await loadConfig({ file: options.config, env: io.env })
      const removed = await withStore(options, config.store.url, async store => await store.gatewayClients.clients.remove(msisdn))
      if (!removed) throw unknownClient(msisdn)
      await io.writeStdout(`${JSON.stringify({ event: 'removed', msisdn })}\n`)
    })

  storeCommand(command.command('set-key'), 'store.url', io)
    .description('give a gateway client a new forwarding key, replacing its last one; prints the key, which is stored only as a digest')
    .argument('<msisdn>', 'the phone\'s number, as registered')
    .action(async (msisdn: string, options: StoreOptions) => {
      const { checkMsisdn } = await import('../relay/gateway-clients/registration.ts')
      const { forwarderKeyDigest, newForwarderKey } = await import('../relay/gateway-clients/forwarder-key.ts')
      const config = await loadConfig({ file: options.config, env: io.env })
      const checked = checkMsisdn(msisdn)
      if (!checked.ok) throw checked.error
      const key = newForwarderKey()
      const set = await withStore(options, config.store.url, async store => await store.gatewayClients.clients.setForwarderKeyDigest(msisdn, forwarderKeyDigest(key)))
      if (!set) throw unknownClient(msisdn)
      await io.writeStdout(key)
    })
}

function unknownClient (msisdn: string): SmsgwError {
  return new SmsgwError(errorCodes.relayGatewayClient, `${msisdn} is not a registered gateway client`)
}
