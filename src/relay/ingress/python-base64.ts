// The base64 decoding of the upstream Gateway Server: Python's `base64.b64decode(text)` without
// `validate`, i.e. binascii.a2b_base64 in its lenient mode (CPython Modules/binascii.c). Which
// payloads are image-text segments, bridge payloads or invalid hangs on its exact behaviour, so
// it is reproduced rather than approximated:
// - a text with a character outside ASCII is an error (Python cannot encode the str to ASCII);
// - characters outside the alphabet (line feeds, spaces, `-`) are skipped;
// - `=` before the third character of a quantum is skipped; after it, the padding that completes
//   the quantum ends the decoding, and whatever follows is ignored;
// - a text that ends inside a quantum (one data character over, or a missing pad) is an error.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const PAD = 0x3d
const SIXTETS = new Int8Array(128).fill(-1)
for (let index = 0; index < ALPHABET.length; index++) SIXTETS[ALPHABET.charCodeAt(index)] = index

/** The bytes Python's lenient b64decode gives for `text`; undefined where it raises. */
export function decodeBase64AsPython (text: string): Buffer | undefined {
  const out = Buffer.allocUnsafe(Math.ceil(text.length * 3 / 4))
  let length = 0
  let quadPosition = 0
  let left = 0
  let pads = 0
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code > 0x7f) return undefined
    if (code === PAD) {
      if (quadPosition >= 2 && quadPosition + ++pads >= 4) return out.subarray(0, length)
      continue
    }
    const sixtet = SIXTETS[code] as number
    if (sixtet < 0) continue
    pads = 0
    switch (quadPosition) {
      case 0:
        left = sixtet
        quadPosition = 1
        break
      case 1:
        out[length++] = (left << 2) | (sixtet >> 4)
        left = sixtet & 0x0f
        quadPosition = 2
        break
      case 2:
        out[length++] = ((left << 4) | (sixtet >> 2)) & 0xff
        left = sixtet & 0x03
        quadPosition = 3
        break
      default:
        out[length++] = ((left << 6) | sixtet) & 0xff
        quadPosition = 0
    }
  }
  return quadPosition === 0 ? out.subarray(0, length) : undefined
}
