// UCS-2 for SMS (3GPP TS 23.038 §6.2.3; SMPP data_coding 0x08) is sent as UTF-16 big-endian:
// characters outside the BMP travel as surrogate pairs, which every current handset joins again.
// JavaScript strings are UTF-16 code units already, so both directions are a byte swap.

const REPLACEMENT_CHARACTER = '\ufffd'

/** The UTF-16BE bytes of `text`: two per code unit, surrogate pairs (and lone surrogates) kept. */
export function encodeUcs2 (text: string): Buffer {
  // 'utf16le' writes each code unit as is, lone surrogates included; swap16 makes it big-endian.
  return Buffer.from(text, 'utf16le').swap16()
}

/**
 * The text of UTF-16BE bytes, code unit by code unit (a lone surrogate stays one, so parts
 * split inside a pair join again when their texts are concatenated). An odd last byte is no
 * code unit and gives U+FFFD. Never throws.
 */
export function decodeUcs2 (bytes: Uint8Array): string {
  const evenLength = bytes.length - (bytes.length % 2)
  // Copy before swapping: the caller's bytes stay untouched.
  const littleEndian = Buffer.from(bytes.subarray(0, evenLength)).swap16()
  const text = littleEndian.toString('utf16le')
  return evenLength === bytes.length ? text : text + REPLACEMENT_CHARACTER
}
