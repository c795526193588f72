import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import type { TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { PduOf } from '../../../src/smpp/codec/index.ts'
import { parseReceiptText } from '../../../src/smpp/receipts/index.ts'
import { encodeGsm7 } from '../../../src/sms/encoding/index.ts'
import { SmppTestClient } from './smpp-test-client.ts'

// `smsgw smsc-sim` through the real launcher, as a developer runs it, stopped by a signal. Its
// refusals of bad options and files are in smsc-sim-refusals.test.ts, run in-process.

const SMSGW = fileURLToPath(new URL('../../../bin/smsgw', import.meta.url))
const folder = await mkdtemp(join(tmpdir(), 'smsgw-smsc-sim-test-'))
after(async () => { await rm(folder, { recursive: true, force: true }) })

interface RunningCli {
  readonly child: ChildProcessWithoutNullStreams
  /** The JSON log lines so far. */
  readonly records: Array<Record<string, unknown>>
  readonly stderr: () => string
  readonly exited: Promise<number | null>
  /** The first log record that matches, waiting for it up to `timeoutMs`. */
  readonly waitForRecord: (matches: (record: Record<string, unknown>) => boolean, timeoutMs?: number) => Promise<Record<string, unknown>>
}

function startCli (t: TestContext, args: readonly string[]): RunningCli {
  const env = { ...process.env }
  delete env.NODE_TEST_CONTEXT
  const child = spawn(SMSGW, ['smsc-sim', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] })
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const records: Array<Record<string, unknown>> = []
  const stderr: Buffer[] = []
  let partial = ''
  const listeners = new Set<() => void>()
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) if (line.trim() !== '') records.push(JSON.parse(line) as Record<string, unknown>)
    for (const listener of listeners) listener()
  })
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  const exited = new Promise<number | null>(resolve => child.on('close', code => resolve(code)))
  const waitForRecord = async (matches: (record: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<Record<string, unknown>> => {
    return await new Promise((resolve, reject) => {
      const check = (): void => {
        const found = records.find(matches)
        if (found === undefined) return
        cleanup()
        resolve(found)
      }
      const timer = setTimeout(() => {
        cleanup()
        reject(new Error(`no such log record within ${timeoutMs} ms; stderr: ${Buffer.concat(stderr).toString()}`))
      }, timeoutMs)
      const cleanup = (): void => {
        clearTimeout(timer)
        listeners.delete(check)
      }
      listeners.add(check)
      check()
    })
  }
  return { child, records, stderr: () => Buffer.concat(stderr).toString('utf8'), exited, waitForRecord }
}

test('smsc-sim starts, takes binds and submits, sends receipts by its rules file, and stops on SIGTERM with exit 0', async t => {
  const rulesFile = join(folder, 'rules.json')
  await writeFile(rulesFile, JSON.stringify([{ destination: '/^4479/', outcome: 'UNDELIV', delayMs: 0, err: '011' }]))
  const cli = startCli(t, ['--port', '0', '--system-id', 'esme1', '--password', 'pw1', '--id-format', 'zero-padded', '--rules', rulesFile])
  const listening = await cli.waitForRecord(record => record.event === 'listening')
  assert.equal(listening.host, '127.0.0.1')
  const client = await SmppTestClient.connect(listening.port as number)
  t.after(() => { client.close() })
  assert.equal((await client.bind('transceiver', 'esme1', 'wrong')).commandStatus, 0x0e)
  assert.equal((await client.bind('transceiver', 'esme1', 'pw1')).commandStatus, 0)
  const response = await client.submit({ destinationAddr: '447911223344', shortMessage: encodeGsm7('Not for the log') as Buffer }) as PduOf<'submit_sm_resp'>
  assert.equal(response.body.messageId, '0000000001')
  const receipt = await client.waitFor(pdu => pdu.command === 'deliver_sm') as PduOf<'deliver_sm'>
  assert.equal(parseReceiptText(receipt.body.shortMessage.toString('latin1'))?.stat, 'UNDELIV')
  await cli.waitForRecord(record => record.event === 'receipt')

  cli.child.kill('SIGTERM')
  assert.equal(await cli.exited, 0)
  await client.closed()
  assert.deepStrictEqual(cli.records.map(record => record.event), [
    'listening', 'bind', 'bind', 'submit', 'receipt', 'stopping', 'unbind', 'disconnect', 'stopped'
  ])
  const submit = cli.records.find(record => record.event === 'submit')
  assert.deepStrictEqual([submit?.messageId, submit?.systemId, submit?.destination], ['0000000001', 'esme1', '**********44'])
  const output = JSON.stringify(cli.records)
  assert.ok(!output.includes('Not for the log') && !output.includes('447911223344'), 'no text or full recipient in the log')
  assert.equal(cli.stderr(), '')
})

test('smsc-sim takes its accounts from an --accounts file', async t => {
  const accountsFile = join(folder, 'accounts.json')
  await writeFile(accountsFile, JSON.stringify([{ systemId: 'one', password: 'p1' }, { systemId: 'two', password: 'p2', maxBinds: 1 }]))
  const cli = startCli(t, ['--port', '0', '--accounts', accountsFile])
  const port = (await cli.waitForRecord(record => record.event === 'listening')).port as number
  const client = await SmppTestClient.connect(port)
  t.after(() => { client.close() })
  assert.equal((await client.bind('transmitter', 'two', 'p2')).commandStatus, 0)
  const second = await SmppTestClient.connect(port)
  t.after(() => { second.close() })
  assert.equal((await second.bind('receiver', 'two', 'p2')).commandStatus, 0x0d)
  assert.equal((await second.bind('receiver', 'one', 'p1')).commandStatus, 0)
  cli.child.kill('SIGINT')
  assert.equal(await cli.exited, 0)
  assert.deepStrictEqual(cli.records.filter(record => record.event === 'bind').map(record => [record.systemId, record.status]), [
    ['two', undefined], ['two', 'ESME_RBINDFAIL'], ['one', undefined]
  ])
  assert.equal(cli.records.find(record => record.event === 'stopping')?.signal, 'SIGINT')
})
