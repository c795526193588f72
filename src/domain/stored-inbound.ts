// A mobile-originated SMS as the embedded store keeps it (docs/inbound-sms.md, "Embedded mode"):
// sealed to the client that owns its recipient number, with only what is not personal data
// beside the seal. The sender, the recipient and the text are inside `sealed` and nowhere else.

/** The longest client-id or connection name stored with an inbound SMS, in UTF-8 bytes. */
export const MAX_INBOUND_NAME_BYTES = 256
/**
 * The longest sealed inbound SMS stored, in bytes of its base64. The inbound JSON of 255 full
 * parts of hex (binary) is about 72 KB, its seal a third more; a message past this (parts in
 * `message_payload` TLVs of up to 64 KB each) is refused rather than held.
 */
export const MAX_INBOUND_SEALED_BYTES = 256 * 1024
/** The most parts a message has (3GPP TS 23.040 §9.2.3.24.1). */
export const MAX_INBOUND_PARTS = 255

/** What is stored of one inbound SMS. */
export interface InboundRecord {
  /** The client that owns the recipient number (config `inbound.owners`). */
  readonly owner: string
  /** The SMSC connection it came in on, as configured. */
  readonly connection: string
  /** When its first part arrived, ms since the epoch (whole seconds, as the inbound JSON has it). */
  readonly receivedAtMs: number
  /** How many parts the sender's phone split it into, 1–255. */
  readonly parts: number
  /** True when parts are missing (given up after `smpp.inboundReassemblyMs`). */
  readonly incomplete: boolean
  /**
   * The inbound JSON (docs/inbound-sms.md, "The JSON") sealed to the owner's public key as a v2
   * payload, base64: only the owner's private key opens it.
   */
  readonly sealed: string
}

/** An inbound SMS the store holds, with its id: ascending in storing order, never reused. */
export interface StoredInbound extends InboundRecord {
  readonly id: number
}

/**
 * Throws a RangeError naming the field when `record` holds a field the store does not keep:
 * a name or seal past its byte bound, a part count outside 1–255, a time that is not whole ms.
 */
export function checkInboundRecord (record: InboundRecord): void {
  for (const [field, value] of [['owner', record.owner], ['connection', record.connection]] as const) {
    if (value === '' || Buffer.byteLength(value) > MAX_INBOUND_NAME_BYTES) throw new RangeError(`inbound ${field} must be 1–${MAX_INBOUND_NAME_BYTES} bytes`)
  }
  if (record.sealed === '' || Buffer.byteLength(record.sealed) > MAX_INBOUND_SEALED_BYTES) throw new RangeError(`inbound sealed payload must be 1–${MAX_INBOUND_SEALED_BYTES} bytes`)
  if (!Number.isInteger(record.parts) || record.parts < 1 || record.parts > MAX_INBOUND_PARTS) throw new RangeError(`inbound parts must be 1–${MAX_INBOUND_PARTS}`)
  if (!Number.isSafeInteger(record.receivedAtMs) || record.receivedAtMs < 0) throw new RangeError('inbound receivedAtMs must be whole ms since the epoch')
}
