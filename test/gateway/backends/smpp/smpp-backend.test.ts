// The SMPP backend's logic against an in-memory submit channel: the channel's contract (bound,
// submit → message id, or the session's SmppSubmitError saying whether the bytes were written) is
// what the real session provides; the end-to-end run against an SMSC over TCP is in the SMPP integration tests.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ShortMessageBody } from '../../../../src/smpp/codec/index.ts'
import { submitNotBound, submitRefused, submitTimedOut, type SmppSubmitError } from '../../../../src/smpp/session/session-errors.ts'
import type { StatusReport } from '../../../../src/gateway/backends/backend.ts'
import { smppBackend } from '../../../../src/gateway/backends/smpp/smpp-backend.ts'
import { linksFor, type SmscLink, type SubmitChannel } from '../../../../src/gateway/backends/smpp/smsc-link.ts'
import { absoluteTime } from '../../../../src/gateway/backends/smpp/validity-period.ts'
import type { CorrelationRecord } from '../../../../src/domain/correlation-record.ts'
import { createLogger } from '../../../../src/log/logger.ts'

const log = createLogger({ level: 'silent' })
const FAR = new Date('2100-01-01T00:00:00Z')
const NOW = new Date('2026-11-21T10:00:00Z')

class RecordingChannel implements SubmitChannel {
  bound = true
  readonly bodies: ShortMessageBody[] = []
  failWith: ((index: number) => SmppSubmitError) | undefined
  async submit (body: ShortMessageBody): Promise<{ messageId: string }> {
    const index = this.bodies.length
    const failure = this.failWith?.(index)
    if (failure !== undefined) throw failure
    this.bodies.push(body)
    return { messageId: `00${index + 41}` }
  }
}

function link (name: string, channel: SubmitChannel, overrides: Partial<SmscLink> = {}): SmscLink {
  return { name, prefixes: [], dataCoding: 'auto', maxParts: 4, numericSenderTon: 1, messageIds: { resp: 'strip-leading-zeros', receipt: 'strip-leading-zeros' }, sendValidityPeriod: true, channel, ...overrides }
}

function message (fields: { to?: string, sender?: string, body?: string } = {}): { to: string, sender: string, body: string, headers: Map<string, string> } {
  return { to: fields.to ?? '+255712345678', sender: fields.sender ?? 'ACME', body: fields.body ?? 'hello', headers: new Map() }
}

async function run (backend: ReturnType<typeof smppBackend>, fields: Parameters<typeof message>[0] = {}, deadline = FAR): Promise<StatusReport[]> {
  const reports: StatusReport[] = []
  await backend.submit({ clientId: 'acme', correlId: 'c1', deadline, message: message(fields) }, async report => { reports.push(report) })
  return reports
}

test('smppBackend submits one part with the spec §7 addresses and reports SENT with the message id', async () => {
  const channel = new RecordingChannel()
  const records: CorrelationRecord[] = []
  const backend = smppBackend({ links: [link('main', channel)], correlations: { put: async record => { records.push(record) } }, log, now: () => NOW })
  assert.deepEqual(await run(backend), [{ status: 'SENT', recallId: '0041' }])
  const [body] = channel.bodies
  assert.deepEqual(
    { source: [body?.sourceAddrTon, body?.sourceAddrNpi, body?.sourceAddr], dest: [body?.destAddrTon, body?.destAddrNpi, body?.destinationAddr], receipt: body?.registeredDelivery, validity: body?.validityPeriod, coding: body?.dataCoding, text: body?.shortMessage.toString('latin1') },
    { source: [5, 0, 'ACME'], dest: [1, 1, '255712345678'], receipt: 1, validity: '000101000000000+', coding: 0, text: 'hello' })
  assert.deepEqual(records, [{ recallId: '41', clientId: 'acme', correlId: 'c1', connection: 'main', pendingSent: { recallId: '0041', atMs: NOW.getTime() } }])
})

test('smppBackend writes the correlation record, carrying its SENT, before it reports SENT, and confirms it after', async () => {
  // Issue 9 item 6: a crash between SENT and the record lost the DELIVERED of the re-sent receipt.
  const journal: string[] = []
  const correlations = {
    put: async (record: CorrelationRecord) => { journal.push(`put ${record.recallId} pending ${record.pendingSent?.recallId}`) },
    confirmSent: async (record: CorrelationRecord) => { journal.push(`confirm ${record.recallId}`) }
  }
  const backend = smppBackend({ links: [link('main', new RecordingChannel())], correlations, log, now: () => NOW })
  await backend.submit({ clientId: 'acme', correlId: 'c1', deadline: FAR, message: message() }, async report => { journal.push(`report ${report.status}`) })
  assert.deepEqual(journal, ['put 41 pending 0041', 'report SENT', 'confirm 41'])
})

test('smppBackend still reports SENT when the correlation record cannot be stored', async () => {
  const confirmed: string[] = []
  const correlations = { put: async () => { throw new Error('store down') }, confirmSent: async (record: CorrelationRecord) => { confirmed.push(record.recallId) } }
  const backend = smppBackend({ links: [link('main', new RecordingChannel())], correlations, log })
  assert.deepEqual([await run(backend), confirmed], [[{ status: 'SENT', recallId: '0041' }], []])
})

test('smppBackend requests a receipt on the last part only and reports the last part\'s id', async () => {
  const channel = new RecordingChannel()
  const backend = smppBackend({ links: [link('main', channel)], correlations: { put: async () => {} }, log })
  assert.deepEqual(await run(backend, { body: 'x'.repeat(300) }), [{ status: 'SENT', recallId: '0042' }])
  assert.deepEqual(channel.bodies.map(body => [body.registeredDelivery, body.esmClass]), [[0, 0x40], [1, 0x40]])
})

test('smppBackend sends a numeric sender with the link\'s TON', async () => {
  const channel = new RecordingChannel()
  const backend = smppBackend({ links: [link('main', channel, { numericSenderTon: 2 })], correlations: { put: async () => {} }, log })
  await run(backend, { sender: '+2557001' })
  assert.deepEqual([channel.bodies[0]?.sourceAddrTon, channel.bodies[0]?.sourceAddrNpi, channel.bodies[0]?.sourceAddr], [2, 1, '2557001'])
})

test('smppBackend reports FAILED when the SMSC rejects, and nothing when the outcome is unknown', async () => {
  const rejecting = new RecordingChannel()
  rejecting.failWith = () => submitRefused('submit_sm_resp', 0x45)
  const rejected = await run(smppBackend({ links: [link('main', rejecting)], correlations: { put: async () => {} }, log }))
  // An answer with an error status means the SMSC did not take it, written or not.
  assert.deepEqual(rejected, [{ status: 'FAILED', errorText: 'Failed to send SMS through SMSC' }])

  const timingOut = new RecordingChannel()
  timingOut.failWith = () => submitTimedOut(true, 1_000)
  assert.deepEqual(await run(smppBackend({ links: [link('main', timingOut)], correlations: { put: async () => {} }, log })), [])
})

test('smppBackend fails over to the next link when the first cannot write', async () => {
  const down = new RecordingChannel()
  down.failWith = () => submitNotBound('closed')
  const up = new RecordingChannel()
  const backend = smppBackend({ links: [link('first', down), link('second', up)], correlations: { put: async () => {} }, log })
  assert.deepEqual(await run(backend), [{ status: 'SENT', recallId: '0041' }])
  assert.equal(up.bodies.length, 1)
})

test('smppBackend reports EXPIRED without submitting once the deadline has passed', async () => {
  const channel = new RecordingChannel()
  const backend = smppBackend({ links: [link('main', channel)], correlations: { put: async () => {} }, log })
  assert.deepEqual(await run(backend, {}, new Date('2000-01-01T00:00:00Z')), [{ status: 'EXPIRED' }])
  assert.equal(channel.bodies.length, 0)
})

test('smppBackend check applies the backend table of spec §5 per link', () => {
  const backend = smppBackend({ links: [link('tz', new RecordingChannel(), { prefixes: ['+255'], numberPattern: /^\+255\d{9}$/ })], correlations: { put: async () => {} }, log })
  assert.deepEqual(backend.check(message({ to: '+31629845432' })), { kind: 'status', status: 'INVALID', errorText: 'Gateway disallows foreign SMS recipient: +31629845432' })
  assert.deepEqual(backend.check(message({ to: '+2557123' })), { kind: 'status', status: 'INVALID', errorText: 'Recipient number invalid for SMPP backend: +2557123' })
  assert.deepEqual(backend.check(message({ sender: 'TWELVE CHARS' })), { kind: 'status', status: 'INVALID', errorText: 'SMS sender does not have a 1-11 character length: TWELVE CHARS' })
  assert.deepStrictEqual(backend.check(message()), { kind: 'continue', message: message() })
})

test('linksFor keeps the configured order with bound links first', () => {
  const a = link('a', Object.assign(new RecordingChannel(), { bound: false }), { prefixes: ['+255'] })
  const b = link('b', new RecordingChannel(), { prefixes: ['+255', '+254'] })
  const c = link('c', new RecordingChannel(), { prefixes: ['+31'] })
  assert.deepEqual(linksFor('+255700', [a, b, c]).map(l => l.name), ['b', 'a'])
  assert.deepEqual(linksFor('+1', [a, b, c]).map(l => l.name), [])
})

test('absoluteTime writes SMPP 3.4 absolute time in UTC', () => {
  assert.equal(absoluteTime(new Date('2026-11-21T10:05:09.700Z')), '261121100509000+')
})

/** A channel that runs beforeWrite as the session does: once the submit has its slot, before the write. */
class MarkingChannel extends RecordingChannel {
  readonly marksBefore: number[] = []
  override async submit (body: ShortMessageBody, options: { beforeWrite?: () => Promise<void> } = {}): Promise<{ messageId: string }> {
    if (options.beforeWrite !== undefined) {
      this.marksBefore.push(this.bodies.length)
      await options.beforeWrite()
    }
    return await super.submit(body)
  }
}

test('smppBackend marks the request writing once, before the first part of a multi-part SMS, and not again on fail-over', async () => {
  const down = new MarkingChannel()
  down.failWith = () => submitNotBound('closed')
  const up = new MarkingChannel()
  const backend = smppBackend({ links: [link('first', down), link('second', up)], correlations: { put: async () => {} }, log })
  let marks = 0
  const reports: StatusReport[] = []
  await backend.submit({ clientId: 'acme', correlId: 'c1', deadline: FAR, message: message({ body: 'x'.repeat(300) }), markWriting: async () => { marks++ } }, async report => { reports.push(report) })
  // Each link asks before its first part only; the pipeline's mark is made once however often it is asked.
  assert.deepEqual({ down: down.marksBefore, up: up.marksBefore, parts: up.bodies.length, reports: reports.map(report => report.status) }, { down: [0], up: [0], parts: 2, reports: ['SENT'] })
  assert.equal(marks, 2)
})

test('smppBackend rejects with the mark\'s error, reporting nothing and writing nothing, when the request may not be written', async () => {
  const channel = new MarkingChannel()
  const other = new MarkingChannel()
  const backend = smppBackend({ links: [link('main', channel), link('other', other)], correlations: { put: async () => {} }, log })
  const fenced = Object.assign(new Error('taken over'), { code: 'SMSGW_LEDGER_FENCED' })
  const reports: StatusReport[] = []
  await assert.rejects(backend.submit({ clientId: 'acme', correlId: 'c1', deadline: FAR, message: message(), markWriting: async () => { throw fenced } }, async report => { reports.push(report) }), error => error === fenced)
  assert.deepEqual({ reports, written: channel.bodies.length + other.bodies.length }, { reports: [], written: 0 })
})
