import fc from 'fast-check'
import { gsm7DefaultAlphabet, gsm7Extension } from '../../../src/sms/encoding/gsm7-alphabet.ts'

/** Every character with a GSM 7-bit form. */
export const gsmCharacters: readonly string[] = [...gsm7DefaultAlphabet]
  .filter(character => character !== '\u001b')
  .concat([...gsm7Extension.values()])

/** Texts that fit GSM 7-bit, extension characters included. */
export const gsmText = (maxLength: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...gsmCharacters), maxLength })

/** Texts with emoji sequences (skin tones, ZWJ), non-Latin scripts and GSM characters mixed. */
export const mixedText = (maxLength: number): fc.Arbitrary<string> => fc.string({
  unit: fc.oneof(
    fc.constantFrom(...gsmCharacters),
    fc.constantFrom('😀', '👍🏽', '👨‍👩‍👧', '🏳️‍🌈', 'ç', 'Я', 'م', '你', '\u200d', '\ud83c\udffd'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })
  ),
  maxLength
})
