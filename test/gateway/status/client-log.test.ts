import assert from 'node:assert/strict'
import { mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { ClientLog } from '../../../src/gateway/status/client-log.ts'
import { clientLogFileName } from '../../../src/gateway/status/client-log-name.ts'
import type { StatusEvent } from '../../../src/domain/status-event.ts'
import { temporaryFolder } from '../../harness/temporary-folder.ts'

const root = await temporaryFolder('client-log')
let folders = 0
const freshDir = (): string => join(root, `run-${folders++}`)

const event = (clientId: string, correlId: string, fields: Partial<StatusEvent> = {}): StatusEvent => ({
  clientId,
  correlId,
  timestamp: new Date('2026-11-21T10:00:00.900Z'),
  status: 'SENT',
  ...fields
})

const linesOf = async (file: string): Promise<string[]> => (await readFile(file, 'utf8')).split('\n')

test('ClientLog appends one TSV line per status to <dir>/<client-id>.log', async () => {
  const dir = freshDir()
  const log = new ClientLog(dir)
  await log.report(event('acme', 'C1', { recallId: '4711' }))
  await log.report(event('acme', 'C2', { status: 'INVALID', errorText: 'SMS body is empty' }))
  assert.deepStrictEqual(await readdir(dir), ['acme.log'])
  assert.deepStrictEqual(await linesOf(join(dir, 'acme.log')), [
    '2026-11-21T10:00:00Z\tacme\tC1\tSENT\t4711\t',
    '2026-11-21T10:00:00Z\tacme\tC2\tINVALID\t\tSMS body is empty',
    ''
  ])
})

test('ClientLog keeps the report order in each client\'s file when statuses are reported at once', async () => {
  const dir = freshDir()
  const log = new ClientLog(dir)
  const reports: Array<Promise<void>> = []
  for (let index = 0; index < 200; index++) {
    reports.push(log.report(event(index % 2 === 0 ? 'acme' : 'test', `C${index}`)))
  }
  await Promise.all(reports)
  const correlIds = async (client: string): Promise<string[]> => (await linesOf(join(dir, `${client}.log`))).filter(line => line !== '').map(line => line.split('\t')[2] ?? '')
  const expected = (parity: number): string[] => Array.from({ length: 100 }, (_, index) => `C${index * 2 + parity}`)
  assert.deepStrictEqual({ acme: await correlIds('acme'), test: await correlIds('test') }, { acme: expected(0), test: expected(1) })
})

test('ClientLog creates its folder, parents included, when it is missing', async () => {
  const dir = join(freshDir(), 'deeper', 'logs')
  await new ClientLog(dir).report(event('acme', 'C1'))
  assert.deepStrictEqual(await readdir(dir), ['acme.log'])
})

test('ClientLog writes a client-id with path characters to a file inside its folder', async () => {
  const base = freshDir()
  const dir = join(base, 'logs')
  const log = new ClientLog(dir)
  for (const clientId of ['../evil', '../../etc/x', 'a/b', '.hidden', 'C:\\x']) await log.report(event(clientId, 'C1'))
  assert.deepStrictEqual((await readdir(dir)).sort(), ['%2E.%2F..%2Fetc%2Fx.log', '%2E.%2Fevil.log', '%2Ehidden.log', 'C%3A%5Cx.log', 'a%2Fb.log'])
  assert.deepStrictEqual(await readdir(base), ['logs'])
  assert.deepStrictEqual(await linesOf(join(dir, clientLogFileName('../evil') ?? '')), ['2026-11-21T10:00:00Z\t../evil\tC1\tSENT\t\t', ''])
})

test('ClientLog writes nothing, and does not fail, for a client-id that has no file name', async () => {
  const dir = freshDir()
  const log = new ClientLog(dir)
  await log.report(event('', 'C1'))
  await log.report(event('x'.repeat(300), 'C1'))
  await log.report(event('ok', 'C1'))
  assert.deepStrictEqual(await readdir(dir), ['ok.log'])
})

test('ClientLog rejects when the line cannot be written, and keeps writing to other files', async () => {
  const dir = freshDir()
  const log = new ClientLog(dir)
  await log.report(event('acme', 'C1'))
  // A folder where the file should be: appending fails.
  await mkdir(join(dir, 'blocked.log'))
  await assert.rejects(log.report(event('blocked', 'C1')), { code: 'EISDIR' })
  await log.report(event('acme', 'C2'))
  assert.deepStrictEqual((await linesOf(join(dir, 'acme.log'))).length, 3)
})
