import { malformedPdu } from './codec-error.ts'
import { commandStatus } from './constants.ts'
import type { CStringField, IntegerField } from './fields.ts'

/**
 * Reads the fields of one PDU body front to back (§3.1 types). Every problem throws
 * SmppCodecError SMSGW_SMPP_MALFORMED carrying the command_status the PDU earns; decodePdu
 * turns it into a DecodeFailure. Strings are read as latin1, so no octet is lost or replaced.
 */
export class PduReader {
  readonly #body: Buffer
  #offset = 0

  constructor (body: Buffer) {
    this.#body = body
  }

  get remainingBytes (): number {
    return this.#body.length - this.#offset
  }

  readUint8 (field: IntegerField): number {
    this.#need(1, field)
    const value = this.#body.readUInt8(this.#offset)
    this.#offset += 1
    return value
  }

  readUint16 (field: IntegerField): number {
    this.#need(2, field)
    const value = this.#body.readUInt16BE(this.#offset)
    this.#offset += 2
    return value
  }

  readUint32 (field: IntegerField): number {
    this.#need(4, field)
    const value = this.#body.readUInt32BE(this.#offset)
    this.#offset += 4
    return value
  }

  /** A C-Octet String, without its NULL. Fails with the field's status when too long or unterminated. */
  readCString (field: CStringField): string {
    const window = this.#body.subarray(this.#offset, this.#offset + field.maxBytes)
    const nul = window.indexOf(0)
    if (nul === -1) {
      const reason = window.length < field.maxBytes
        ? 'no NULL before the end of the body'
        : `no NULL within ${field.maxBytes} octets`
      throw malformedPdu(field.name, field.status, reason)
    }
    if (field.fixedBytes !== undefined && nul !== 0 && nul !== field.fixedBytes - 1) {
      throw malformedPdu(field.name, field.status, `${nul} octets, but must be empty or ${field.fixedBytes - 1}`)
    }
    this.#offset += nul + 1
    return window.toString('latin1', 0, nul)
  }

  /** `lengthBytes` octets, copied so that the value does not keep the frame alive. */
  readOctets (lengthBytes: number, field: IntegerField): Buffer {
    if (lengthBytes > this.remainingBytes) {
      throw malformedPdu(field.name, field.status, `${lengthBytes} octets announced but ${this.remainingBytes} left`)
    }
    const value = Buffer.from(this.#body.subarray(this.#offset, this.#offset + lengthBytes))
    this.#offset += lengthBytes
    return value
  }

  /** Checks that every octet was read: command_length must match the grammar exactly. */
  end (): void {
    if (this.remainingBytes !== 0) {
      throw malformedPdu('command_length', commandStatus.ESME_RINVCMDLEN, `${this.remainingBytes} octets after the last field`)
    }
  }

  #need (bytes: number, field: IntegerField): void {
    if (this.remainingBytes < bytes) {
      throw malformedPdu(field.name, commandStatus.ESME_RINVCMDLEN, 'the body ends inside the field')
    }
  }
}
