import assert from 'node:assert/strict'
import { decodePdu, encodePdu } from '../../../src/smpp/codec/pdu-codec.ts'
import type { DecodeFailure } from '../../../src/smpp/codec/pdu-codec.ts'
import type { Pdu } from '../../../src/smpp/codec/pdu.ts'

/** Joins hex parts written one field per line; spaces inside a part are ignored. */
export function hex (...parts: string[]): string {
  return parts.join('').replace(/\s+/gu, '').toLowerCase()
}

export function bytes (...parts: string[]): Buffer {
  return Buffer.from(hex(...parts), 'hex')
}

/** Latin1 text as hex, so vectors can show the text they hold. */
export function text (value: string): string {
  return Buffer.from(value, 'latin1').toString('hex')
}

/** Encoding `pdu` gives exactly `hexText`, and decoding `hexText` gives exactly `pdu`. */
export function assertRoundTrip (hexText: string, pdu: Pdu): void {
  assert.equal(encodePdu(pdu).toString('hex'), hexText.toLowerCase())
  assert.deepStrictEqual(decodePdu(Buffer.from(hexText, 'hex')), { ok: true, pdu })
}

/** Decoding `frame` fails; returns the failure for further checks. */
export function decodeFailure (frame: Buffer): DecodeFailure {
  const result = decodePdu(frame)
  assert.equal(result.ok, false, 'expected a decode failure')
  return result as DecodeFailure
}

/** The frame of `frame` with command_length set to its real length, for cutting and growing bodies. */
export function withLength (frame: Buffer): Buffer {
  const copy = Buffer.from(frame)
  copy.writeUInt32BE(copy.length, 0)
  return copy
}
