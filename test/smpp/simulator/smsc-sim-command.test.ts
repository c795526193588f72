import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import type { PduOf } from '../../../src/smpp/codec/index.ts'
import { parseReceiptText } from '../../../src/smpp/receipts/index.ts'
import { encodeGsm7 } from '../../../src/sms/encoding/index.ts'
import { GatewayProcess } from '../../harness/gateway-process.ts'
import { temporaryFolder } from '../../harness/temporary-folder.ts'
import { SmppTestClient } from './smpp-test-client.ts'

// `smsgw smsc-sim` through the real launcher, as a developer runs it, stopped by a signal. Its
// refusals of bad options and files are in smsc-sim-refusals.test.ts, run in-process.

const folder = await temporaryFolder('smsc-sim')
const WAIT_MS = 10_000

/** `bin/smsgw smsc-sim ARGS…`, killed after the test unless it has ended. */
function startCli (t: TestContext, args: readonly string[]): GatewayProcess {
  const cli = new GatewayProcess({}, args, 'smsc-sim')
  t.after(async () => { await cli.stop() })
  return cli
}

/** The log's events, in order; every line on stdout must be a log record. */
function events (cli: GatewayProcess): unknown[] {
  assert.equal(cli.records.length, cli.stdoutLines.length, `stdout holds lines that are no log record:\n${cli.output}`)
  return cli.records.map(record => record.event)
}

test('smsc-sim starts, takes binds and submits, sends receipts by its rules file, and stops on SIGTERM with exit 0', async t => {
  const rulesFile = join(folder, 'rules.json')
  await writeFile(rulesFile, JSON.stringify([{ destination: '/^4479/', outcome: 'UNDELIV', delayMs: 0, err: '011' }]))
  const cli = startCli(t, ['--port', '0', '--system-id', 'esme1', '--password', 'pw1', '--id-format', 'zero-padded', '--rules', rulesFile])
  const listening = await cli.waitForLog('SMSC simulator listening', WAIT_MS)
  assert.equal(listening.host, '127.0.0.1')
  const client = await SmppTestClient.connect(listening.port as number)
  t.after(() => { client.close() })
  assert.equal((await client.bind('transceiver', 'esme1', 'wrong')).commandStatus, 0x0e)
  assert.equal((await client.bind('transceiver', 'esme1', 'pw1')).commandStatus, 0)
  const response = await client.submit({ destinationAddr: '447911223344', shortMessage: encodeGsm7('Not for the log') as Buffer }) as PduOf<'submit_sm_resp'>
  assert.equal(response.body.messageId, '0000000001')
  const receipt = await client.waitFor(pdu => pdu.command === 'deliver_sm') as PduOf<'deliver_sm'>
  assert.equal(parseReceiptText(receipt.body.shortMessage.toString('latin1'))?.stat, 'UNDELIV')
  await cli.waitForLog('receipt delivered', WAIT_MS)

  cli.kill('SIGTERM')
  assert.equal((await cli.exited).code, 0)
  await client.closed()
  assert.deepStrictEqual(events(cli), [
    'listening', 'bind', 'bind', 'submit', 'receipt', 'stopping', 'unbind', 'disconnect', 'stopped'
  ])
  const submit = cli.records.find(record => record.event === 'submit')
  assert.deepStrictEqual([submit?.messageId, submit?.systemId, submit?.destination], ['0000000001', 'esme1', '**********44'])
  const output = JSON.stringify(cli.records)
  assert.ok(!output.includes('Not for the log') && !output.includes('447911223344'), 'no text or full recipient in the log')
  assert.equal(cli.stderr, '')
})

test('smsc-sim takes its accounts from an --accounts file', async t => {
  const accountsFile = join(folder, 'accounts.json')
  await writeFile(accountsFile, JSON.stringify([{ systemId: 'one', password: 'p1' }, { systemId: 'two', password: 'p2', maxBinds: 1 }]))
  const cli = startCli(t, ['--port', '0', '--accounts', accountsFile])
  const port = (await cli.waitForLog('SMSC simulator listening', WAIT_MS)).port as number
  const client = await SmppTestClient.connect(port)
  t.after(() => { client.close() })
  assert.equal((await client.bind('transmitter', 'two', 'p2')).commandStatus, 0)
  const second = await SmppTestClient.connect(port)
  t.after(() => { second.close() })
  assert.equal((await second.bind('receiver', 'two', 'p2')).commandStatus, 0x0d)
  assert.equal((await second.bind('receiver', 'one', 'p1')).commandStatus, 0)
  cli.kill('SIGINT')
  assert.equal((await cli.exited).code, 0)
  assert.deepStrictEqual(cli.records.filter(record => record.event === 'bind').map(record => [record.systemId, record.status]), [
    ['two', undefined], ['two', 'ESME_RBINDFAIL'], ['one', undefined]
  ])
  assert.equal(cli.records.find(record => record.event === 'stopping')?.signal, 'SIGINT')
})

test('smsc-sim --control-port takes POST /mo from another process and delivers it on a bound receiver', async t => {
  const cli = startCli(t, ['--port', '0', '--control-port', '0'])
  const port = (await cli.waitForLog('SMSC simulator listening', WAIT_MS)).port as number
  const url = (await cli.waitForLog('SMSC simulator control port listening (POST /mo)', WAIT_MS)).url as string
  const client = await SmppTestClient.connect(port)
  t.after(() => { client.close() })
  assert.equal((await client.bind('receiver')).commandStatus, 0)
  const response = await fetch(`${url}/mo`, { method: 'POST', body: JSON.stringify({ from: '+237650000001', to: '15505', text: 'from another process' }) })
  assert.deepEqual([response.status, (await response.json() as { commandStatuses: number[] }).commandStatuses], [200, [0]])
  const deliver = await client.waitFor(pdu => pdu.command === 'deliver_sm') as PduOf<'deliver_sm'>
  assert.equal(deliver.body.shortMessage.toString('latin1'), 'from another process')
  cli.kill('SIGTERM')
  assert.equal((await cli.exited).code, 0)
})
