import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  encodeBitString, encodeBmpString, encodeExplicit, encodeImplicit, encodeInteger, encodeNull, encodeOctetString,
  encodeOid, encodeSequence, encodeSet, encodeTime, encodeUnsignedInteger, encodeUtf8String
} from '../../../src/crypto/der/der-writer.ts'

function hex (buffer: Buffer): string {
  return buffer.toString('hex')
}

test('encodeInteger gives the fewest two\'s complement octets', () => {
  assert.deepStrictEqual(
    [0n, 127n, 128n, 256n, -1n, -128n, -129n, 10000n].map(value => hex(encodeInteger(value))),
    ['020100', '02017f', '02020080', '02020100', '0201ff', '020180', '0202ff7f', '02022710'])
})

test('encodeUnsignedInteger keeps a set top bit positive', () => {
  assert.deepStrictEqual(
    [hex(encodeUnsignedInteger(Buffer.from('80', 'hex'))), hex(encodeUnsignedInteger(Buffer.from('0001', 'hex')))],
    ['02020080', '020101'])
})

test('encodeOid encodes the first two arcs together and large arcs in base 128', () => {
  assert.deepStrictEqual(
    [hex(encodeOid('1.2.840.113549.1.12.10.1.2')), hex(encodeOid('2.999.3')), hex(encodeOid('1.3.101.110'))],
    ['060b2a864886f70d010c0a0102', '0603883703', '06032b656e'])
})

test('encodeOid rejects a malformed identifier', () => {
  for (const oid of ['1', '3.1', '1.40', '1.2.x', '']) assert.throws(() => encodeOid(oid), TypeError, oid)
})

test('encodeTlv uses the long length form from 128 bytes', () => {
  assert.deepStrictEqual(
    [encodeOctetString(Buffer.alloc(127)).subarray(0, 2), encodeOctetString(Buffer.alloc(128)).subarray(0, 3),
      encodeOctetString(Buffer.alloc(70000)).subarray(0, 5)].map(hex),
    ['047f', '048180', '0483011170'])
})

test('encodeSet sorts its elements as DER asks', () => {
  assert.equal(hex(encodeSet([encodeInteger(2), encodeInteger(1)])), '3106020101020102')
})

test('encodeBmpString writes UTF-16 big-endian', () => {
  assert.equal(hex(encodeBmpString('test')), '1e080074006500730074')
})

test('encodeTime switches from UTCTime to GeneralizedTime in 2050', () => {
  assert.deepStrictEqual(
    [encodeTime(new Date('2049-12-31T23:59:59.900Z')), encodeTime(new Date('2050-01-01T00:00:00Z'))]
      .map(tlv => [tlv[0], tlv.subarray(2).toString('latin1')]),
    [[0x17, '491231235959Z'], [0x18, '20500101000000Z']])
})

test('encodeSequence nests explicit, implicit and primitive elements', () => {
  const der = encodeSequence([
    encodeExplicit(0, encodeNull()), encodeImplicit(1, Buffer.from('ab', 'hex')), encodeBitString(Buffer.from('ff', 'hex')),
    encodeUtf8String('é')
  ])
  assert.equal(hex(der), '300fa0020500' + '8101ab' + '030200ff' + '0c02c3a9')
})
