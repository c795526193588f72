import assert from 'node:assert/strict'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { DEMO_CLIENT, DEMO_VAULT_PASSWORD, prepareDemo } from '../../src/app/demo-setup.ts'
import { openPayload } from '../../src/crypto/payload/index.ts'
import { Vault } from '../../src/crypto/vault/index.ts'
import { ApiKeyFile } from '../../src/http/api-keys/index.ts'
import { commandStatus } from '../../src/smpp/codec/index.ts'
import { decodeInboundSms } from '../../src/smpp/inbound/index.ts'
import { SmscSimulator } from '../../src/smpp/simulator/index.ts'
import { eventually, temporaryFolder, within } from './app-fixtures.ts'
import { RunChild } from './run-child.ts'

// Issue 9, item 10, across a crash: `smsgw run` (the real CLI in a child process, configured
// for an SMSC simulator that this test drives) is killed with SIGKILL while mobile-originated
// SMS come in. The simulator then does what an SMSC does after a lost deliver_sm_resp: it
// delivers again. Every message ends up stored once: none lost, none doubled.

const ACCOUNT = { systemId: 'smsgw', password: 'secret' }
const COUNT = 300
const KILL_AFTER_ACKNOWLEDGED = 10
const INJECTING_AT_ONCE = 8
const mo = (n: number): { from: string, to: string, text: string } => ({ from: `+2557765${String(n).padStart(5, '0')}`, to: '15505', text: `Ujumbe ${n} kutoka Pemba, samaki wamefika` })

async function started (dataDir: string, configFile: string, simulator: SmscSimulator, t: test.TestContext): Promise<{ child: RunChild, url: string }> {
  const child = new RunChild(dataDir, {}, ['--config', configFile])
  t.after(() => { if (child.running) child.signal('SIGKILL') })
  const url = (await child.stdoutMatch(/^ {2}dashboard +(http:\/\/\S+)\/dashboard$/m))[1] as string
  await eventually('the gateway to bind to the simulator', () => simulator.boundSessions > 0, 20_000)
  return { child, url }
}

test('smsgw run killed with SIGKILL while inbound SMS arrive stores each once after the SMSC delivers again what it saw unacknowledged, and refuses one for a number no client owns', { timeout: 90_000 }, async t => {
  const dataDir = await temporaryFolder('run-inbound')
  await prepareDemo(dataDir)
  const simulator = await SmscSimulator.start({ accounts: [ACCOUNT], port: 0 })
  t.after(async () => { await simulator.close() })
  const configFile = join(dataDir, 'gateway.yaml')
  await writeFile(configFile, [
    `vault: { file: ${join(dataDir, 'demo.vault')}, password: "${DEMO_VAULT_PASSWORD}" }`,
    `clients: { allowed: [${DEMO_CLIENT}] }`,
    `smpp: { host: 127.0.0.1, port: ${simulator.address.port}, systemId: ${ACCOUNT.systemId}, password: ${ACCOUNT.password}, reconnectDelayMs: 200 }`,
    `inbound: { owners: [{ client: ${DEMO_CLIENT}, prefixes: ["+15505"] }] }`
  ].join('\n'))
  const key = (await (await ApiKeyFile.open(join(dataDir, 'api-keys.json'))).create(DEMO_CLIENT)).key

  const first = await started(dataDir, configFile, simulator, t)
  // A few at a time, so the kill lands while most are still to come (all 300 at once could all
  // be acknowledged before the signal does); the kill comes once a few are acknowledged, with
  // others in the gateway's hands. Injections after the kill find no bound gateway and fail.
  const acknowledged = new Set<number>()
  let next = 0
  const injections = Array.from({ length: INJECTING_AT_ONCE }, async () => {
    for (let n = next++; n < COUNT; n = next++) {
      const delivery = await simulator.injectMo(mo(n)).catch(() => undefined)
      if (delivery?.commandStatuses.every(status => status === commandStatus.ESME_ROK) !== true) continue
      acknowledged.add(n)
      if (acknowledged.size === KILL_AFTER_ACKNOWLEDGED) first.child.signal('SIGKILL')
    }
  })
  await Promise.all(injections)
  assert.equal((await within(first.child.exited, 10_000, 'the kill')).signal, 'SIGKILL')
  t.diagnostic(`acknowledged before the kill: ${acknowledged.size} of ${COUNT}`)
  assert.ok(acknowledged.size < COUNT, 'the kill came while messages were coming in')

  // The SMSC delivers again every message it holds no ESME_ROK for, and (as if those answers
  // were lost too) the acknowledged ones as well.
  const second = await started(dataDir, configFile, simulator, t)
  const vault = await Vault.load(join(dataDir, 'demo.vault'), DEMO_VAULT_PASSWORD)
  t.after(() => { vault.close() })
  const storedTexts = async (): Promise<string[]> => {
    const response = await fetch(`${second.url}/v1/inbound?limit=500`, { headers: { authorization: `Bearer ${key}` } })
    const { messages } = await response.json() as { messages: Array<{ payload: string }> }
    return messages.map(message => decodeInboundSms(openPayload(message.payload, vault.keysFor(DEMO_CLIENT)))?.text ?? 'unreadable')
  }
  // Stored before acknowledged: every message the SMSC got ESME_ROK for survived the kill.
  const beforeRedelivery = new Set(await storedTexts())
  assert.deepStrictEqual([...acknowledged].filter(n => !beforeRedelivery.has(mo(n).text)), [])
  t.diagnostic(`stored at the kill: ${beforeRedelivery.size} (acknowledged ${acknowledged.size})`)
  for (let n = 0; n < COUNT; n++) assert.deepStrictEqual((await simulator.injectMo(mo(n))).commandStatuses, [commandStatus.ESME_ROK], `message ${n}`)

  assert.deepStrictEqual((await storedTexts()).sort(), Array.from({ length: COUNT }, (_, n) => mo(n).text).sort())
  // A number no client owns: refused for good, so the SMSC does not deliver it again, and not stored.
  assert.deepStrictEqual((await simulator.injectMo({ ...mo(COUNT), to: '15506' })).commandStatuses, [commandStatus.ESME_RX_R_APPN])
  assert.equal((await storedTexts()).length, COUNT)
  const metrics = await (await fetch(`${second.url}/metrics`)).text()
  assert.match(metrics, /^smsgw_inbound_sms_total\{connection="smsc",owner="none",outcome="refused"\} 1$/m)
  second.child.signal('SIGINT')
  assert.deepStrictEqual(await within(second.child.exited, 10_000, 'exit after SIGINT'), { code: 0, signal: null })

  // Neither the senders nor the texts are in the store's files or the output.
  const needles = ['2557765000', 'kutoka Pemba']
  for (const file of (await readdir(dataDir)).filter(name => name.startsWith('smsgw.db'))) {
    const bytes = await readFile(join(dataDir, file))
    for (const needle of needles) assert.equal(bytes.indexOf(needle), -1, `${file} holds ${needle}`)
  }
  for (const needle of needles) assert.ok(!(first.child.output + second.child.output).includes(needle), `the output holds ${needle}`)
})
