import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { commandStatus, MAX_PDU_BYTES } from '../../../src/smpp/codec/constants.ts'
import { framePdus, PduFramer } from '../../../src/smpp/codec/framer.ts'
import { bytes } from './codec-fixtures.ts'

// Real PDUs of several sizes (captures from cloudhopper-smpp and smpp.pdu, see the PDU tests).
const frames = [
  bytes('0000001000000015000000000a342ee7'),
  bytes('00000023000000090000000000039951414c4c5f545700414c4c5f5457000034010200'),
  bytes('0000001c80000004000000000a342ee1393432353834333135393400'),
  bytes('00000039000000040000000000004fe80001013430343034000101343439353133363139323000000000000001000000084024232125262f3a'),
  bytes('00000010800000000000000100082a77')
]
const stream = Buffer.concat(frames)

const framingError = (reason: RegExp) => ({
  name: 'SmsgwError', code: 'SMSGW_SMPP_FRAMING', commandStatus: commandStatus.ESME_RINVCMDLEN, sessionSurvives: false, retryable: true, message: reason
})

function pushAll (framer: PduFramer, chunks: Buffer[]): Buffer[] {
  return chunks.flatMap(chunk => framer.push(chunk))
}

function split (input: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map(cut => cut % (input.length + 1)))].sort((a, b) => a - b)
  const chunks: Buffer[] = []
  let start = 0
  for (const point of [...points, input.length]) {
    chunks.push(Buffer.from(input.subarray(start, point)))
    start = point
  }
  return chunks
}

async function * chunksOf (chunks: Buffer[]): AsyncGenerator<Buffer> {
  yield * chunks
}

async function collect (frames: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const collected: Buffer[] = []
  for await (const frame of frames) collected.push(frame)
  return collected
}

test('PduFramer yields whole frames when fed one octet at a time', () => {
  const framer = new PduFramer()
  const output: Buffer[] = []
  for (const octet of stream) {
    const completed = framer.push(Buffer.of(octet))
    output.push(...completed)
    assert.ok(completed.length <= 1)
  }
  assert.deepStrictEqual(output, frames)
  assert.equal(framer.bufferedBytes, 0)
  framer.end()
})

test('PduFramer yields several frames from one chunk', () => {
  const framer = new PduFramer()
  assert.deepStrictEqual(framer.push(stream), frames)
  assert.deepStrictEqual(framer.push(Buffer.concat([stream, stream.subarray(0, 10)])), frames)
  assert.equal(framer.bufferedBytes, 10)
  assert.deepStrictEqual(framer.push(stream.subarray(10, 16)), [frames[0]])
})

test('PduFramer yields the same frames whatever the split', () => {
  fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 40 }), cuts => {
    const framer = new PduFramer()
    assert.deepStrictEqual(pushAll(framer, split(stream, cuts)), frames)
    assert.equal(framer.bufferedBytes, 0)
  }), { numRuns: 2000 })
})

test('framePdus yields the frames of an async stream in random splits', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.nat(), { maxLength: 20 }), async cuts => {
    assert.deepStrictEqual(await collect(framePdus(chunksOf(split(stream, cuts)))), frames)
  }), { numRuns: 300 })
})

test('PduFramer fails a command_length shorter than a header and keeps failing', () => {
  const framer = new PduFramer()
  assert.deepStrictEqual(framer.push(frames[0] as Buffer), [frames[0]])
  assert.throws(() => framer.push(bytes('0000000f 00000015 00000000 00000001')), framingError(/command_length 15 is shorter than the 16-octet header/u))
  assert.throws(() => framer.push(frames[0] as Buffer), { code: 'SMSGW_SMPP_FRAMING' })
  assert.throws(() => framer.end(), { code: 'SMSGW_SMPP_FRAMING' })
})

test('PduFramer fails a huge command_length as soon as its four octets arrive', () => {
  const framer = new PduFramer()
  assert.deepStrictEqual(framer.push(bytes('ffff')), [])
  assert.throws(() => framer.push(bytes('ffff')), framingError(/command_length 4294967295 is over the maximum of 65536/u))
  assert.throws(() => new PduFramer().push(bytes('00010001')), framingError(/command_length 65537/u))
})

test('PduFramer accepts a command_length of exactly maxPduBytes, and honours the option', () => {
  const largest = Buffer.alloc(MAX_PDU_BYTES)
  largest.writeUInt32BE(MAX_PDU_BYTES, 0)
  assert.equal(new PduFramer().push(largest).length, 1)
  assert.throws(() => new PduFramer({ maxPduBytes: 32 }).push(frames[1] as Buffer), framingError(/command_length 35 is over the maximum of 32/u))
})

test('PduFramer fails a stream that ends inside a PDU', async () => {
  const framer = new PduFramer()
  framer.push(stream.subarray(0, 20))
  assert.throws(() => framer.end(), framingError(/ended inside a PDU \(4 of 35 octets\)/u))
  await assert.rejects(collect(framePdus(chunksOf([stream.subarray(0, 18)]))), framingError(/ended inside a PDU \(2 octets\)/u))
})

test('PduFramer stays linear when a large PDU arrives one octet at a time', () => {
  const large = Buffer.alloc(MAX_PDU_BYTES, 0x61)
  large.writeUInt32BE(MAX_PDU_BYTES, 0)
  const framer = new PduFramer()
  const started = performance.now()
  const output: Buffer[] = []
  for (let i = 0; i < large.length; i++) output.push(...framer.push(large.subarray(i, i + 1)))
  assert.deepStrictEqual(output, [large])
  assert.ok(performance.now() - started < 5000, 'took too long')
})
