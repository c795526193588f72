// The GSM 7-bit default alphabet and its extension table, written once from 3GPP TS 23.038
// §6.2.1 (default alphabet) and §6.2.1.1 (default alphabet extension table). Do not edit: the
// tables are the standard's, and the golden tests in test/sms/encoding/ pin every row.

/** The septet that switches to the extension table for the one septet after it (§6.2.1). */
export const GSM7_ESCAPE = 0x1b

/**
 * The default alphabet, one row of 16 septets per string: the character at index `s` is septet
 * `s`. 0x1B is the escape septet; it stands for no character, so the encoder never maps text to it.
 */
const defaultAlphabetRows = [
  '@£$¥èéùìòÇ\nØø\rÅå', // 0x00–0x0F: 0x0A line feed, 0x0D carriage return
  'Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ', // 0x10–0x1F: 0x1B escape
  ' !"#¤%&\'()*+,-./', // 0x20–0x2F: 0x24 is ¤ (currency sign); $ is 0x02
  '0123456789:;<=>?', // 0x30–0x3F
  '¡ABCDEFGHIJKLMNO', // 0x40–0x4F
  'PQRSTUVWXYZÄÖÑÜ§', // 0x50–0x5F
  '¿abcdefghijklmno', // 0x60–0x6F
  'pqrstuvwxyzäöñüà' // 0x70–0x7F
] as const

/** The 128 characters of the default alphabet, indexed by septet. */
export const gsm7DefaultAlphabet: string = defaultAlphabetRows.join('')

/**
 * The extension table (§6.2.1.1): septet after the escape → character. Every other septet after
 * an escape is undefined; a receiver shows the default alphabet's character for it (§6.2.1.1
 * note), and 0x1B after an escape is reserved for a further table and shown as a space.
 */
export const gsm7Extension: ReadonlyMap<number, string> = new Map([
  [0x0a, '\f'], // form feed (page break)
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€']
])

/** UTF-16 code unit → default-alphabet septet, for every character but the escape. */
export const gsm7DefaultSeptets: ReadonlyMap<number, number> = new Map(
  [...gsm7DefaultAlphabet]
    .map((character, septet) => [character.charCodeAt(0), septet] as const)
    .filter(([, septet]) => septet !== GSM7_ESCAPE)
)

/** UTF-16 code unit → the extension septet that follows the escape. */
export const gsm7ExtensionSeptets: ReadonlyMap<number, number> = new Map(
  [...gsm7Extension].map(([septet, character]) => [character.charCodeAt(0), septet] as const)
)
