import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import fc from 'fast-check'
import { planSms } from '../../../src/sms/encoding/index.ts'
import type { InboundSms } from '../../../src/smpp/inbound/inbound-sms.ts'
import type { MoPart } from '../../../src/smpp/inbound/mo-part.ts'
import { DEFAULT_INBOUND_REASSEMBLY_MS } from '../../../src/config/defaults.ts'
import { MoReassembler, type MoReassemblerOptions } from '../../../src/smpp/inbound/reassembler.ts'
import { mixedText } from '../../sms/encoding/arbitraries.ts'
import { bytes, gsmPart, moPart, receivedAt, ucs2Part, udh16 } from './inbound-fixtures.ts'

const sender = '+4915112345678'

/** A reassembler on mocked timers, and what it gave to onIncomplete. */
function reassembler (t: TestContext, options: Partial<MoReassemblerOptions> = {}): { reassembler: MoReassembler, incomplete: InboundSms[] } {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  const incomplete: InboundSms[] = []
  return { reassembler: new MoReassembler({ onIncomplete: sms => incomplete.push(sms), ...options }), incomplete }
}

/** Pushes `parts` in order: null for every part but the last, which gives the message. */
function pushAll (target: MoReassembler, parts: readonly MoPart[]): InboundSms | null {
  let result: InboundSms | null = null
  parts.forEach((part, index) => {
    result = target.push(part)
    if (index < parts.length - 1) assert.equal(result, null, `part ${index + 1} of ${parts.length}`)
  })
  return result
}

const whole = (text: string, parts: number, encoding: InboundSms['encoding'] = 'gsm7'): InboundSms =>
  ({ sender, recipient: '40404', text, receivedAt, connectionId: 'smsc-a', parts, encoding })

test('MoReassembler gives a single-part GSM 7-bit SMS at once', t => {
  const { reassembler: target } = reassembler(t)
  assert.deepStrictEqual(target.push(moPart({ shortMessage: bytes('48656c6c6f') })), whole('Hello', 1))
  assert.equal(target.pendingCount, 0)
})

test('MoReassembler gives a part whose header says one part of one at once', t => {
  const { reassembler: target } = reassembler(t)
  assert.deepStrictEqual(target.push(gsmPart(5, 1, 1, '6869')), whole('hi', 1))
})

test('MoReassembler joins UCS-2 parts before decoding, so an emoji split between them reads whole', t => {
  const { reassembler: target } = reassembler(t)
  // 'П😀!' with the surrogate pair d83d de00 split between part 1 and part 2.
  assert.deepStrictEqual(pushAll(target, [ucs2Part(7, 2, 1, '041f d83d'), ucs2Part(7, 2, 2, 'de00 0021')]), whole('П😀!', 2, 'ucs2'))
})

test('MoReassembler joins GSM 7-bit parts before decoding, so an escape split between them reads as €', t => {
  const { reassembler: target } = reassembler(t)
  assert.deepStrictEqual(pushAll(target, [gsmPart(1, 2, 1, '61 1b'), gsmPart(1, 2, 2, '65 62')]), whole('a€b', 2))
})

test('MoReassembler joins parts with a 16-bit reference header', t => {
  const { reassembler: target } = reassembler(t)
  const part = (seq: number, septets: string): MoPart => moPart({ esmClass: 0x40, shortMessage: Buffer.concat([udh16(0xabcd, 2, seq), bytes(septets)]) })
  assert.deepStrictEqual(pushAll(target, [part(1, '4865'), part(2, '6c6c6f')]), whole('Hello', 2))
})

test('MoReassembler joins parts placed by SAR TLVs', t => {
  const { reassembler: target } = reassembler(t)
  const part = (seq: number, septets: string): MoPart => moPart({
    shortMessage: bytes(septets),
    tlvs: [{ name: 'sar_msg_ref_num', value: 0x0102 }, { name: 'sar_total_segments', value: 2 }, { name: 'sar_segment_seqnum', value: seq }]
  })
  assert.deepStrictEqual(pushAll(target, [part(2, '6c6c6f'), part(1, '4865')]), whole('Hello', 2))
})

test('MoReassembler joins parts carried in message_payload TLVs', t => {
  const { reassembler: target } = reassembler(t)
  const part = (seq: number, septets: string): MoPart => moPart({
    tlvs: [
      { name: 'message_payload', value: bytes(septets) },
      { name: 'sar_msg_ref_num', value: 9 }, { name: 'sar_total_segments', value: 2 }, { name: 'sar_segment_seqnum', value: seq }
    ]
  })
  assert.deepStrictEqual(pushAll(target, [part(1, '4865'), part(2, '6c6c6f')]), whole('Hello', 2))
})

test('MoReassembler orders parts that arrive out of order', t => {
  const { reassembler: target } = reassembler(t)
  assert.deepStrictEqual(pushAll(target, [gsmPart(3, 3, 3, '63'), gsmPart(3, 3, 1, '61'), gsmPart(3, 3, 2, '62')]), whole('abc', 3))
})

test('MoReassembler ignores a repeated part, keeping the first copy', t => {
  const { reassembler: target } = reassembler(t)
  assert.equal(target.push(gsmPart(3, 2, 1, '61')), null)
  assert.equal(target.push(gsmPart(3, 2, 1, '7a')), null)
  assert.deepStrictEqual(target.push(gsmPart(3, 2, 2, '62')), whole('ab', 2))
  assert.equal(target.pendingCount, 0)
})

test('MoReassembler keeps two messages of one sender with different references apart while they interleave', t => {
  const { reassembler: target } = reassembler(t)
  assert.equal(target.push(gsmPart(1, 2, 1, '61')), null)
  assert.equal(target.push(gsmPart(2, 3, 3, '65')), null)
  assert.equal(target.push(gsmPart(2, 3, 1, '63')), null)
  assert.equal(target.pendingCount, 2)
  assert.deepStrictEqual(target.push(gsmPart(1, 2, 2, '62')), whole('ab', 2))
  assert.deepStrictEqual(target.push(gsmPart(2, 3, 2, '64')), whole('cde', 3))
  assert.equal(target.pendingCount, 0)
})

test('MoReassembler keeps parts with equal references apart by sender, recipient, connection, scheme and total', t => {
  const { reassembler: target } = reassembler(t)
  const first = gsmPart(1, 2, 1, '61')
  const others = [
    gsmPart(1, 2, 2, '62', { sourceAddr: '4915199999999' }),
    gsmPart(1, 2, 2, '62', { destinationAddr: '40405' }),
    { ...gsmPart(1, 2, 2, '62'), connectionId: 'smsc-b' },
    moPart({ esmClass: 0x40, shortMessage: Buffer.concat([udh16(1, 2, 2), bytes('62')]) }),
    gsmPart(1, 3, 2, '62')
  ]
  assert.equal(target.push(first), null)
  for (const other of others) assert.equal(target.push(other), null)
  assert.equal(target.pendingCount, 1 + others.length)
})

test('MoReassembler gives up a message after timeoutMs with what arrived, in order, and the missing part numbers', t => {
  const { reassembler: target, incomplete } = reassembler(t)
  target.push(gsmPart(4, 4, 3, '63'))
  target.push(gsmPart(4, 4, 1, '61'))
  t.mock.timers.tick(DEFAULT_INBOUND_REASSEMBLY_MS - 1)
  assert.deepStrictEqual(incomplete, [])
  t.mock.timers.tick(1)
  assert.deepStrictEqual(incomplete, [{ ...whole('ac', 4), incomplete: true, missingParts: [2, 4] }])
  assert.equal(target.pendingCount, 0)
  assert.equal(target.pendingBytes, 0)
})

test('MoReassembler counts the timeout from the first part, not the latest', t => {
  const { reassembler: target, incomplete } = reassembler(t, { timeoutMs: 1000 })
  target.push(gsmPart(4, 3, 1, '61'))
  t.mock.timers.tick(900)
  target.push(gsmPart(4, 3, 2, '62'))
  t.mock.timers.tick(100)
  assert.deepStrictEqual(incomplete, [{ ...whole('ab', 3), incomplete: true, missingParts: [3] }])
})

test('MoReassembler decodes the runs on either side of a missing part apart', t => {
  const { reassembler: target, incomplete } = reassembler(t)
  // An escape at the end of part 1 must not combine with the first septet of part 3.
  target.push(gsmPart(6, 3, 1, '61 1b'))
  target.push(gsmPart(6, 3, 3, '65'))
  t.mock.timers.tick(DEFAULT_INBOUND_REASSEMBLY_MS)
  assert.deepStrictEqual(incomplete, [{ ...whole('a e', 3), incomplete: true, missingParts: [2] }])
})

test('MoReassembler does not shift later UCS-2 parts after a part of odd length', t => {
  const { reassembler: target } = reassembler(t)
  assert.deepStrictEqual(pushAll(target, [ucs2Part(8, 2, 1, '0041 00'), ucs2Part(8, 2, 2, '0042')]), whole('A\ufffdB', 2, 'ucs2'))
})

test('MoReassembler gives the earliest arrival time of the parts', t => {
  const { reassembler: target } = reassembler(t)
  const later = new Date(receivedAt.getTime() + 5000)
  target.push({ ...gsmPart(2, 2, 2, '62'), receivedAt: later })
  assert.deepStrictEqual(target.push(gsmPart(2, 2, 1, '61'))?.receivedAt, receivedAt)
})

test('MoReassembler stops the timer of a message once it is complete', t => {
  const { reassembler: target, incomplete } = reassembler(t)
  pushAll(target, [gsmPart(1, 2, 1, '61'), gsmPart(1, 2, 2, '62')])
  t.mock.timers.tick(DEFAULT_INBOUND_REASSEMBLY_MS * 2)
  assert.deepStrictEqual(incomplete, [])
})

test('MoReassembler starts afresh when a part comes again after its message was given up', t => {
  const { reassembler: target, incomplete } = reassembler(t)
  target.push(gsmPart(1, 2, 1, '61'))
  t.mock.timers.tick(DEFAULT_INBOUND_REASSEMBLY_MS)
  assert.equal(incomplete.length, 1)
  assert.equal(target.push(gsmPart(1, 2, 2, '62')), null)
  assert.deepStrictEqual(target.push(gsmPart(1, 2, 1, '61')), whole('ab', 2))
})

test('MoReassembler takes a part repeated after its message completed for the start of a new message', t => {
  // An SMSC that missed our deliver_sm_resp sends the part again. We cannot tell it from a new
  // message that reuses the reference, so it is given up incomplete later: at least once, never lost.
  const { reassembler: target, incomplete } = reassembler(t)
  pushAll(target, [gsmPart(1, 2, 1, '61'), gsmPart(1, 2, 2, '62')])
  assert.equal(target.push(gsmPart(1, 2, 2, '62')), null)
  t.mock.timers.tick(DEFAULT_INBOUND_REASSEMBLY_MS)
  assert.deepStrictEqual(incomplete, [{ ...whole('b', 2), incomplete: true, missingParts: [1] }])
})

test('MoReassembler gives up the oldest message when more than maxPending wait', t => {
  const { reassembler: target, incomplete } = reassembler(t, { maxPending: 2 })
  target.push(gsmPart(1, 2, 1, '61'))
  target.push(gsmPart(2, 2, 1, '62'))
  // Message 1 completes, so message 2 is now the oldest of those waiting.
  assert.deepStrictEqual(target.push(gsmPart(1, 2, 2, '7a')), whole('az', 2))
  target.push(gsmPart(3, 2, 1, '63'))
  assert.equal(incomplete.length, 0)
  target.push(gsmPart(4, 2, 1, '64'))
  assert.deepStrictEqual(incomplete, [{ ...whole('b', 2), incomplete: true, missingParts: [2] }])
  assert.equal(target.pendingCount, 2)
  // The evicted message's timer went with it: the timeout gives up only messages 3 and 4.
  t.mock.timers.tick(DEFAULT_INBOUND_REASSEMBLY_MS)
  assert.deepStrictEqual(incomplete.map(sms => sms.text), ['b', 'c', 'd'])
})

test('MoReassembler gives up the oldest messages when their payloads exceed maxPendingBytes', t => {
  const { reassembler: target, incomplete } = reassembler(t, { maxPendingBytes: 5 })
  target.push(gsmPart(1, 3, 1, '6161'))
  target.push(gsmPart(2, 3, 1, '6262'))
  assert.equal(target.pendingBytes, 4)
  target.push(gsmPart(3, 3, 1, '6363'))
  assert.deepStrictEqual(incomplete, [{ ...whole('aa', 3), incomplete: true, missingParts: [2, 3] }])
  assert.equal(target.pendingBytes, 4)
  assert.equal(target.pendingCount, 2)
})

test('MoReassembler flush gives every waiting message up, oldest first', t => {
  const { reassembler: target, incomplete } = reassembler(t)
  target.push(gsmPart(1, 2, 2, '61'))
  target.push(gsmPart(2, 3, 1, '62'))
  target.flush()
  assert.deepStrictEqual(incomplete, [
    { ...whole('a', 2), incomplete: true, missingParts: [1] },
    { ...whole('b', 3), incomplete: true, missingParts: [2, 3] }
  ])
  t.mock.timers.tick(DEFAULT_INBOUND_REASSEMBLY_MS)
  assert.equal(incomplete.length, 2)
})

test('MoReassembler holds a copy of each payload, not a view into the PDU', t => {
  const { reassembler: target } = reassembler(t)
  const part = gsmPart(1, 2, 1, '61')
  target.push(part)
  part.payload.fill(0x7a)
  assert.equal(target.push(gsmPart(1, 2, 2, '62'))?.text, 'ab')
})

test('MoReassembler refuses limits that are not positive', () => {
  const onIncomplete = (): void => {}
  assert.throws(() => new MoReassembler({ onIncomplete, timeoutMs: 0 }), RangeError)
  assert.throws(() => new MoReassembler({ onIncomplete, maxPending: 0 }), RangeError)
  assert.throws(() => new MoReassembler({ onIncomplete, maxPendingBytes: 1.5 }), RangeError)
})

test('MoReassembler uses the timers it is given', () => {
  const started: Array<{ callback: () => void, delayMs: number }> = []
  const cleared: unknown[] = []
  const incomplete: InboundSms[] = []
  const target = new MoReassembler({
    onIncomplete: sms => incomplete.push(sms),
    timeoutMs: 1234,
    timers: { setTimeout: (callback, delayMs) => started.push({ callback, delayMs }), clearTimeout: handle => cleared.push(handle) }
  })
  target.push(gsmPart(1, 2, 1, '61'))
  assert.deepStrictEqual(started.map(timer => timer.delayMs), [1234])
  started[0]?.callback()
  assert.equal(incomplete.length, 1)
  assert.deepStrictEqual(cleared, [1])
  // A timer that fires again, after its message left, does nothing.
  started[0]?.callback()
  assert.equal(incomplete.length, 1)
})

test('MoReassembler reassembles any planned text from its parts pushed in any order, repeats included', t => {
  const { reassembler: target, incomplete } = reassembler(t)
  const planned = fc.tuple(mixedText(700), fc.integer({ min: 0, max: 255 })).chain(([text, ref]) => {
    const parts = planSms(text, { maxParts: 255, referenceNumber: ref }).parts
    const indices = parts.map((_part, index) => index)
    return fc.record({
      text: fc.constant(text),
      parts: fc.constant(parts),
      order: fc.shuffledSubarray(indices, { minLength: parts.length, maxLength: parts.length }),
      repeats: fc.array(fc.constantFrom(...indices), { maxLength: 3 })
    })
  })
  fc.assert(fc.property(planned, ({ text, parts, order, repeats }) => {
    // Each repeat comes right after the first copy of its part; none after the last part, which
    // completes the message (a repeat then starts a new one, as a test above shows).
    const last = order.at(-1)
    const sequence = order.flatMap(index => index === last ? [index] : [index, ...repeats.filter(repeat => repeat === index)])
    const results = sequence.map(index => {
      const part = parts[index]
      assert.ok(part !== undefined)
      return target.push(moPart({ esmClass: part.esmClass, dataCoding: part.dataCoding, shortMessage: part.shortMessage }))
    })
    const whole = results.filter(result => result !== null)
    assert.equal(whole.length, 1)
    assert.equal(whole[0]?.text, text)
    assert.equal(whole[0]?.parts, parts.length)
    assert.equal(whole[0]?.incomplete, undefined)
    assert.equal(target.pendingCount, 0)
  }), { numRuns: 500 })
  assert.deepStrictEqual(incomplete, [])
})
