// `npm run start:kafka`: the Kafka flavour of `npm start` (which runs `smsgw run`, no Kafka).
// Starts a throw-away Kafka broker on loopback, runs `smsgw gateway` against it with the built-in
// vault (client `test`, loop-back backend), and tells you how to send a first sealed SMS. Ctrl-C
// stops both.
// `--brokers LIST` uses a running broker instead (nothing to fetch or stop).
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startKafkaBroker } from '../test/harness/kafka-broker.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values: options } = parseArgs({ options: { brokers: { type: 'string' } } })
const broker = options.brokers === undefined
  ? await startBroker()
  : { brokers: options.brokers, stop: async () => {} }
// Ctrl-C reaches the gateway twice, from the terminal (it is in our process group) and from
// stop() below; it takes a repeat within a second as the same request (src/cli/stop-signals.ts).
const gateway = spawn(`${root}bin/smsgw`, ['gateway', '--brokers', broker.brokers], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, SMSGW_KAFKA_BROKERS: broker.brokers }
})

setTimeout(() => {
  console.log(`
smsgw is running: the outbound gateway on Kafka ${broker.brokers} (topics send-sms -> sms-status),
vault assets/builtin.vault with client "test" (the loop-back backend answers it; no SMSC needed).

Send a first sealed SMS from another terminal:
  export SMSGW_KAFKA_BROKERS=${broker.brokers}
  SMSGW_VAULT_PASSWORD=123456 bin/smsgw vault pubkey assets/builtin.vault test > test.pub
  bin/smsgw listen --count 2 &
  bin/smsgw send --pubkey test.pub +31629845432 ACME "Hello S1D1"

Ctrl-C stops the gateway and the broker.
`)
}, 4000).unref()

let stopping = false
const stop = (): void => {
  if (stopping) return
  stopping = true
  gateway.kill('SIGTERM')
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
const code = await new Promise<number>(resolve => gateway.on('exit', exitCode => resolve(exitCode ?? 1)))
await broker.stop()
process.exitCode = code

async function startBroker (): Promise<{ brokers: string, stop: () => Promise<void> }> {
  console.log('smsgw: starting a local Kafka broker (first time: a minute to fetch it) ...')
  return await startKafkaBroker()
}
