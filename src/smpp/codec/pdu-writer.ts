import { unencodable } from './codec-error.ts'
import type { CStringField, IntegerField } from './fields.ts'

const INITIAL_BYTES = 256

/**
 * Writes the fields of one PDU into a growing buffer. Values that do not fit their field throw
 * SmppCodecError SMSGW_SMPP_ENCODING with the field's command_status; messages name sizes,
 * never values.
 */
export class PduWriter {
  #buffer = Buffer.alloc(INITIAL_BYTES)
  #length = 0

  get lengthBytes (): number {
    return this.#length
  }

  writeUint8 (value: number, field: IntegerField): void {
    checkInteger(value, 0xff, field)
    this.#reserve(1).writeUInt8(value, this.#length)
    this.#length += 1
  }

  writeUint16 (value: number, field: IntegerField): void {
    checkInteger(value, 0xffff, field)
    this.#reserve(2).writeUInt16BE(value, this.#length)
    this.#length += 2
  }

  writeUint32 (value: number, field: IntegerField): void {
    checkInteger(value, 0xffffffff, field)
    this.#reserve(4).writeUInt32BE(value, this.#length)
    this.#length += 4
  }

  writeCString (value: string, field: CStringField): void {
    if (!isLatin1WithoutNull(value)) throw unencodable(field.name, field.status, 'holds a NULL or a character beyond latin1')
    if (value.length + 1 > field.maxBytes) {
      throw unencodable(field.name, field.status, `${value.length} octets, over the maximum of ${field.maxBytes - 1}`)
    }
    if (field.fixedBytes !== undefined && value.length !== 0 && value.length !== field.fixedBytes - 1) {
      throw unencodable(field.name, field.status, `${value.length} octets, but must be empty or ${field.fixedBytes - 1}`)
    }
    const buffer = this.#reserve(value.length + 1)
    buffer.write(value, this.#length, 'latin1')
    buffer.writeUInt8(0, this.#length + value.length)
    this.#length += value.length + 1
  }

  writeOctets (value: Uint8Array): void {
    this.#reserve(value.length).set(value, this.#length)
    this.#length += value.length
  }

  /** Overwrites 4 octets written earlier, for command_length once the body is known. */
  setUint32 (offset: number, value: number): void {
    this.#buffer.writeUInt32BE(value, offset)
  }

  /** The octets written so far. */
  toBuffer (): Buffer {
    return this.#buffer.subarray(0, this.#length)
  }

  #reserve (bytes: number): Buffer {
    const needed = this.#length + bytes
    if (needed > this.#buffer.length) {
      const grown = Buffer.alloc(Math.max(needed, this.#buffer.length * 2))
      this.#buffer.copy(grown, 0, 0, this.#length)
      this.#buffer = grown
    }
    return this.#buffer
  }
}

// C-Octet Strings are ASCII (§3.1); we accept latin1 so that what a peer sent can go back out
// unchanged, and refuse what one octet cannot hold, and the NULL that would end the string early.
function isLatin1WithoutNull (value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code === 0 || code > 0xff) return false
  }
  return true
}

function checkInteger (value: number, max: number, field: IntegerField): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw unencodable(field.name, field.status, `not an integer from 0 to ${max}`)
  }
}
