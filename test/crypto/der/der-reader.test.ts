import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { DerReader } from '../../../src/crypto/der/der-reader.ts'
import {
  encodeBmpString, encodeExplicit, encodeImplicit, encodeInteger, encodeNull, encodeOctetString, encodeOid,
  encodeSequence, encodeSet, encodeTime
} from '../../../src/crypto/der/der-writer.ts'
import { isSmsgwError } from '../../../src/errors.ts'

const badAsn1 = { name: 'SmsgwError', code: 'SMSGW_BAD_ASN1' }

function reader (hexText: string): DerReader {
  return new DerReader(Buffer.from(hexText, 'hex'))
}

test('DerReader reads back what the writer wrote', () => {
  const der = encodeSequence([
    encodeInteger(-129n), encodeInteger(10000), encodeOid('1.2.840.113549.1.9.20'), encodeOctetString(Buffer.of(1, 2)),
    encodeBmpString('Ünïcode 🙂'), encodeTime(new Date('2024-02-27T11:12:59Z')), encodeTime(new Date('2124-02-03T11:12:59Z')),
    encodeSet([encodeNull()]), encodeExplicit(0, encodeInteger(2)), encodeImplicit(1, Buffer.from('cafe', 'hex'))
  ])
  const outer = new DerReader(der)
  const sequence = outer.readSequence()
  const set = (): null => { sequence.readSet().readNull(); return null }
  assert.deepStrictEqual({
    negative: sequence.readInteger(),
    small: sequence.readSmallInteger(),
    oid: sequence.readOid(),
    octets: sequence.readOctetString(),
    bmp: sequence.readBmpString(),
    utcTime: sequence.readTime(),
    generalizedTime: sequence.readTime(),
    set: set(),
    explicit: sequence.readOptionalExplicit(0)?.readInteger(),
    absent: sequence.readOptionalExplicit(0),
    implicit: sequence.readImplicit(1),
    done: sequence.done
  }, {
    negative: -129n,
    small: 10000,
    oid: '1.2.840.113549.1.9.20',
    octets: Buffer.of(1, 2),
    bmp: 'Ünïcode 🙂',
    utcTime: new Date('2024-02-27T11:12:59Z'),
    generalizedTime: new Date('2124-02-03T11:12:59Z'),
    set: null,
    explicit: 2n,
    absent: undefined,
    implicit: Buffer.from('cafe', 'hex'),
    done: true
  })
  outer.end()
})

test('DerReader readElement reports absolute offsets of nested elements', () => {
  const sequence = reader('3006' + '0201ff' + '040100').readSequence()
  sequence.readElement()
  const element = sequence.readElement()
  assert.deepStrictEqual({ tag: element.tag, offset: element.offset, contentOffset: element.contentOffset },
    { tag: 0x04, offset: 5, contentOffset: 7 })
})

test('DerReader reads UTCTime years 50-99 as 19xx', () => {
  assert.deepStrictEqual(new DerReader(Buffer.concat([Buffer.of(0x17, 13), Buffer.from('500101000000Z')])).readTime(),
    new Date('1950-01-01T00:00:00Z'))
})

test('DerReader throws SMSGW_BAD_ASN1 when the input is malformed', () => {
  const cases: Array<[string, (r: DerReader) => unknown]> = [
    ['', r => r.readElement()], // nothing at all
    ['30', r => r.readSequence()], // no length
    ['3005020101', r => r.readSequence()], // length past the end
    ['3080020101 0000'.replace(' ', ''), r => r.readSequence()], // indefinite length
    ['3f2201', r => r.readElement()], // multi-byte tag
    ['3085000000000100', r => r.readSequence()], // five length octets
    ['020100', r => r.readOid()], // wrong tag
    ['0200', r => r.readInteger()], // empty INTEGER
    ['0201ff', r => r.readSmallInteger()], // negative count
    ['0600', r => r.readOid()], // empty OID
    ['060188', r => r.readOid()], // unterminated OID
    ['0614' + 'ff'.repeat(19) + '7f', r => r.readOid()], // arc beyond 2^53
    ['1e03004100', r => r.readBmpString()], // odd BMPString
    ['0500' + '00', r => { r.readNull(); r.end() }], // trailing byte
    ['050100', r => r.readNull()], // NULL with content
    ['0300', r => r.readBitString()], // BIT STRING without unused-bits octet
    ['17' + '0d' + Buffer.from('240231000000Z').toString('hex'), r => r.readTime()], // 31 February
    ['17' + '0b' + Buffer.from('2402010000Z').toString('hex'), r => r.readTime()] // no seconds
  ]
  for (const [input, read] of cases) assert.throws(() => read(reader(input)), badAsn1, input)
})

test('DerReader throws only SMSGW_BAD_ASN1 when walking random bytes', () => {
  // Walks every element recursively, as a parser of unknown input would.
  function walk (r: DerReader): void {
    while (!r.done) {
      const element = r.readElement()
      if ((element.tag & 0x20) !== 0) walk(DerReader.within(element))
      else if (element.tag === 0x06) DerReader.over(element).readOid()
      else if (element.tag === 0x02) DerReader.over(element).readInteger()
      else if (element.tag === 0x17 || element.tag === 0x18) DerReader.over(element).readTime()
    }
  }
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), bytes => {
    try {
      walk(new DerReader(Buffer.from(bytes)))
    } catch (error) {
      if (!isSmsgwError(error, 'SMSGW_BAD_ASN1')) throw error
    }
  }), { numRuns: 20_000 })
})
