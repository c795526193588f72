import {
  GSM7_ESCAPE, gsm7DefaultAlphabet, gsm7DefaultSeptets, gsm7Extension, gsm7ExtensionSeptets
} from './gsm7-alphabet.ts'

// GSM 7-bit default alphabet (3GPP TS 23.038 §6.2.1), unpacked: one septet per byte, as SMPP
// carries it in short_message with data_coding 0x00 (the SMSC packs it for the air interface).

const REPLACEMENT_CHARACTER = '\ufffd'
const SPACE = ' '

/**
 * The septets of one UTF-16 code unit: 1 for a default-alphabet character, 2 for an extension
 * character (escape + septet), 0 when it has no GSM 7-bit form.
 */
export function gsmSeptetsOf (codeUnit: number): 0 | 1 | 2 {
  if (gsm7DefaultSeptets.has(codeUnit)) return 1
  if (gsm7ExtensionSeptets.has(codeUnit)) return 2
  return 0
}

/**
 * The number of septets `text` takes in GSM 7-bit (extension characters count 2), or null when
 * any character has no GSM 7-bit form.
 */
export function gsmSeptetLength (text: string): number | null {
  let septets = 0
  for (let index = 0; index < text.length; index++) {
    const size = gsmSeptetsOf(text.charCodeAt(index))
    if (size === 0) return null
    septets += size
  }
  return septets
}

/** Unpacked septets of `text`, one per byte; null when any character has no GSM 7-bit form. */
export function encodeGsm7 (text: string): Buffer | null {
  const length = gsmSeptetLength(text)
  if (length === null) return null
  const septets = Buffer.alloc(length)
  let offset = 0
  for (let index = 0; index < text.length; index++) {
    const codeUnit = text.charCodeAt(index)
    const septet = gsm7DefaultSeptets.get(codeUnit)
    if (septet !== undefined) {
      septets[offset++] = septet
    } else {
      septets[offset++] = GSM7_ESCAPE
      septets[offset++] = gsm7ExtensionSeptets.get(codeUnit) as number
    }
  }
  return septets
}

/**
 * The text of unpacked septets. Never throws. Deviations, as §6.2.1 and §6.2.1.1 prescribe for a
 * receiver, or where the input is not septets at all:
 * - an escape before a septet that is not in the extension table gives that septet's
 *   default-alphabet character;
 * - escape + escape (reserved for a further table) and an escape at the end give a space;
 * - a byte above 0x7F is no septet and gives U+FFFD.
 */
export function decodeGsm7 (septets: Uint8Array): string {
  let text = ''
  for (let index = 0; index < septets.length; index++) {
    const septet = septets[index] as number
    if (septet > 0x7f) {
      text += REPLACEMENT_CHARACTER
    } else if (septet !== GSM7_ESCAPE) {
      text += gsm7DefaultAlphabet[septet] as string
    } else if (index + 1 >= septets.length) {
      text += SPACE
    } else {
      const next = septets[++index] as number
      if (next > 0x7f) text += REPLACEMENT_CHARACTER
      else if (next === GSM7_ESCAPE) text += SPACE
      else text += gsm7Extension.get(next) ?? gsm7DefaultAlphabet[next] as string
    }
  }
  return text
}
