import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createReceiptHandler, type CorrelationLookup } from '../../../../src/gateway/backends/smpp/receipt-handler.ts'
import type { StatusEvent } from '../../../../src/domain/status-event.ts'
import { DUPLICATE_STATUS } from '../../../../src/gateway/status/status-sink.ts'
import { createLogger } from '../../../../src/log/logger.ts'
import { createPdu, shortMessageBody, type PduOf, type Tlv } from '../../../../src/smpp/codec/index.ts'
import type { CorrelationRecord } from '../../../../src/domain/correlation-record.ts'

const log = createLogger({ level: 'silent' })
const NOW = new Date('2026-11-21T10:00:00Z')

class MemoryCorrelations implements CorrelationLookup {
  readonly records = new Map<string, CorrelationRecord>()
  readonly removed: string[] = []
  #waiters: Array<() => void> = []
  get (recallId: string, connection: string): CorrelationRecord | undefined { return this.records.get(`${connection}:${recallId}`) }
  async waitFor (recallId: string, timeoutMs: number, connection: string): Promise<CorrelationRecord | undefined> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const record = this.get(recallId, connection)
      if (record !== undefined) return record
      await new Promise<void>(resolve => { this.#waiters.push(resolve); setTimeout(resolve, 5) })
    }
    return undefined
  }

  async remove (recallId: string, connection: string): Promise<void> {
    this.records.delete(`${connection}:${recallId}`)
    this.removed.push(recallId)
  }

  put (record: CorrelationRecord): void {
    this.records.set(`${record.connection ?? 'main'}:${record.recallId}`, record)
    for (const waiter of this.#waiters.splice(0)) waiter()
  }
}

function receipt (text: string, tlvs: Tlv[] = []): PduOf<'deliver_sm'> {
  return createPdu('deliver_sm', 7, shortMessageBody({
    sourceAddrTon: 1,
    sourceAddrNpi: 1,
    sourceAddr: '255712345678',
    destAddrTon: 5,
    destAddrNpi: 0,
    destinationAddr: 'ACME',
    esmClass: 0x04,
    shortMessage: Buffer.from(text, 'latin1'),
    tlvs
  })) as PduOf<'deliver_sm'>
}

function setup (raceWaitMs = 50): { correlations: MemoryCorrelations, events: StatusEvent[], handle: ReturnType<typeof createReceiptHandler> } {
  const correlations = new MemoryCorrelations()
  correlations.put({ recallId: '41', clientId: 'acme', correlId: 'c1' })
  const events: StatusEvent[] = []
  const handle = createReceiptHandler({ correlations, report: async event => { events.push(event) }, log, raceWaitMs, now: () => NOW })
  return { correlations, events, handle }
}

const text = (id: string, stat: string, err = '000'): string => `id:${id} sub:001 dlvrd:001 submit date:2611211000 done date:2611211001 stat:${stat} err:${err} text:secret body`

test('receipt handler maps every state of spec §7 to its status and text', async () => {
  const expected: Record<string, [string, string | undefined]> = {
    DELIVRD: ['DELIVERED', undefined],
    ACCEPTD: ['SENT', undefined],
    ENROUTE: ['SENT', undefined],
    EXPIRED: ['EXPIRED', undefined],
    DELETED: ['FAILED', 'Message was deleted'],
    UNDELIV: ['FAILED', 'Message was undeliverable: 001'],
    UNKNOWN: ['FAILED', 'SMSC delivery state UNKNOWN: 001'],
    REJECTD: ['INVALID', 'SMSC rejects message: 001'],
    WEIRD: ['FAILED', 'Unknown delivery state: WEIRD: 001']
  }
  for (const [stat, [status, errorText]] of Object.entries(expected)) {
    const { events, handle } = setup()
    assert.equal(await handle(receipt(text('0041', stat, '001')), 'main', 'strip-leading-zeros'), 'reported')
    assert.deepEqual(events, [{ clientId: 'acme', correlId: 'c1', timestamp: NOW, status, recallId: '41', ...(errorText === undefined ? {} : { errorText }) }], stat)
  }
})

test('receipt handler forgets the request after a final state only', async () => {
  const { correlations, handle } = setup()
  await handle(receipt(text('41', 'ENROUTE')), 'main', 'as-is')
  assert.deepEqual(correlations.removed, [])
  await handle(receipt(text('41', 'DELIVRD')), 'main', 'as-is')
  assert.deepEqual(correlations.removed, ['41'])
})

test('receipt handler reads the id and state from TLVs, normalising hex ids', async () => {
  const { events, handle } = setup()
  // 0x29 = 41: this SMSC writes receipt ids in hex.
  await handle(receipt('', [{ name: 'receipted_message_id', value: '29' }, { name: 'message_state', value: 2 }]), 'main', 'hex')
  assert.deepEqual(events.map(event => [event.status, event.recallId]), [['DELIVERED', '41']])
})

test('receipt handler waits for a record that the submit response has not written yet', async () => {
  const { correlations, events, handle } = setup(2_000)
  const handled = handle(receipt(text('77', 'DELIVRD')), 'main', 'as-is')
  setTimeout(() => correlations.put({ recallId: '77', clientId: 'acme', correlId: 'late' }), 30)
  assert.equal(await handled, 'reported')
  assert.deepEqual(events.map(event => event.correlId), ['late'])
})

test('receipt handler reports nothing for an unknown id, after the race wait', async () => {
  const { events, handle } = setup(20)
  assert.equal(await handle(receipt(text('999', 'DELIVRD')), 'main', 'as-is'), 'unmatched')
  assert.deepEqual(events, [])
})

test('receipt handler says not-a-receipt for a message without an id', async () => {
  const { handle } = setup()
  assert.equal(await handle(receipt('just an MO text'), 'main', 'as-is'), 'not-a-receipt')
})

// Issue 9 item 6: the record is written before SENT, carrying it, so a receipt finds its request
// even when the submitter died before SENT was out; the receipt then reports that SENT first.
const pending = { recallId: '0041', atMs: Date.parse('2026-11-21T09:59:00Z') }

test('receipt handler reports the record\'s pending SENT before the receipt\'s status where the sink keeps each status once', async () => {
  const { correlations, events, handle } = setup()
  correlations.put({ recallId: '41', clientId: 'acme', correlId: 'c1', pendingSent: pending })
  assert.equal(await handle(receipt(text('41', 'DELIVRD')), 'main', 'as-is'), 'reported')
  assert.deepEqual(events, [
    { clientId: 'acme', correlId: 'c1', timestamp: new Date(pending.atMs), status: 'SENT', recallId: '0041' },
    { clientId: 'acme', correlId: 'c1', timestamp: NOW, status: 'DELIVERED', recallId: '41' }
  ])
})

test('receipt handler reports the pending SENT only when the lookup does not know it to be out, and then confirms it', async () => {
  for (const out of [true, false]) {
    const { correlations, events } = setup(30)
    const asked: number[] = []
    const confirmed: string[] = []
    const lookup = Object.assign(correlations, {
      sentOut: async (_record: CorrelationRecord, timeoutMs: number) => { asked.push(timeoutMs); return out },
      confirmSent: async (record: CorrelationRecord) => { confirmed.push(record.recallId) }
    })
    lookup.put({ recallId: '41', clientId: 'acme', correlId: 'c1', pendingSent: pending })
    const handleWith = createReceiptHandler({ correlations: lookup, report: async event => { events.push(event) }, log, raceWaitMs: 30, now: () => NOW })
    await handleWith(receipt(text('41', 'DELIVRD')), 'main', 'as-is')
    assert.deepEqual({ statuses: events.map(event => event.status), asked, confirmed }, { statuses: out ? ['DELIVERED'] : ['SENT', 'DELIVERED'], asked: [30], confirmed: out ? [] : ['41'] }, `out ${out}`)
  }
})

test('receipt handler acknowledges a receipt whose status the sink held already as a duplicate, and forgets the request', async () => {
  // Issue 9 item 7: the SMSC re-sends a receipt that was stored before a crash.
  const correlations = new MemoryCorrelations()
  correlations.put({ recallId: '41', clientId: 'acme', correlId: 'c1' })
  const handle = createReceiptHandler({ correlations, report: async () => DUPLICATE_STATUS, log, raceWaitMs: 20, now: () => NOW })
  assert.equal(await handle(receipt(text('41', 'DELIVRD')), 'main', 'as-is'), 'duplicate')
  assert.deepEqual(correlations.removed, ['41'])
})
