import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { isPastDeadline, parseDeadline } from '../../../src/gateway/stages/deadline.ts'

const iso = (text: string): string | null => parseDeadline(text)?.toISOString() ?? null

// Each expected instant is what Java 17's Instant.parse gives (checked by hand with the JDK).
const accepted: ReadonlyArray<readonly [text: string, instant: string]> = [
  ['2100-01-01T00:00:00Z', '2100-01-01T00:00:00.000Z'],
  ['2100-01-01t00:00:00z', '2100-01-01T00:00:00.000Z'],
  ['2100-01-01T00:00:00+01:00', '2099-12-31T23:00:00.000Z'],
  ['2100-01-01T00:00:00-05:30', '2100-01-01T05:30:00.000Z'],
  ['2100-01-01T00:00:00+01:00:30', '2099-12-31T22:59:30.000Z'],
  ['2100-01-01T00:00:00-00:00', '2100-01-01T00:00:00.000Z'],
  ['2100-01-01T00:00:00+18:00', '2099-12-31T06:00:00.000Z'],
  ['2100-01-01T00:00:00-18:00', '2100-01-01T18:00:00.000Z'],
  ['2100-01-01T00:00:00+17:59:59', '2099-12-31T06:00:01.000Z'],
  ['2100-01-01T00:00:00.Z', '2100-01-01T00:00:00.000Z'],
  ['2100-01-01T00:00:00.1Z', '2100-01-01T00:00:00.100Z'],
  ['2100-01-01T00:00:00.12Z', '2100-01-01T00:00:00.120Z'],
  ['2100-01-01T00:00:00.123456789Z', '2100-01-01T00:00:00.123Z'],
  ['2100-01-01T00:00:00.999999999Z', '2100-01-01T00:00:00.999Z'],
  ['2100-01-01T24:00:00Z', '2100-01-02T00:00:00.000Z'],
  ['2100-12-31T24:00:00.000Z', '2101-01-01T00:00:00.000Z'],
  ['2100-01-01T23:59:60Z', '2100-01-01T23:59:59.000Z'],
  ['2100-01-01T23:59:60.5Z', '2100-01-01T23:59:59.500Z'],
  ['2100-01-01T23:59:60+01:00', '2100-01-01T22:59:59.000Z'],
  ['2096-02-29T00:00:00Z', '2096-02-29T00:00:00.000Z'],
  ['0000-01-01T00:00:00Z', '0000-01-01T00:00:00.000Z'],
  ['0099-06-30T12:00:00Z', '0099-06-30T12:00:00.000Z'],
  ['+12100-01-01T00:00:00Z', '+012100-01-01T00:00:00.000Z'],
  ['+02100-01-01T00:00:00Z', '2100-01-01T00:00:00.000Z'],
  ['-2100-01-01T00:00:00Z', '-002100-01-01T00:00:00.000Z'],
  ['-0001-01-01T00:00:00Z', '-000001-01-01T00:00:00.000Z'],
  ['+275760-09-13T00:00:00Z', '+275760-09-13T00:00:00.000Z']
]

for (const [text, instant] of accepted) {
  test(`parseDeadline reads ${text} as ${instant}`, () => {
    assert.equal(iso(text), instant)
  })
}

const refused: ReadonlyArray<readonly [condition: string, text: string]> = [
  ['the seconds are missing', '2100-01-01T00:00Z'],
  ['the zone is missing', '2100-01-01T00:00:00'],
  ['the offset has no colon', '2100-01-01T00:00:00+0100'],
  ['the offset has hours only', '2100-01-01T00:00:00+01'],
  ['the offset has one-digit hours', '2100-01-01T00:00:00+1:00'],
  ['the offset exceeds 18 hours', '2100-01-01T00:00:00+18:01'],
  ['the offset seconds exceed 18 hours', '2100-01-01T00:00:00+18:00:01'],
  ['the offset minutes are 60', '2100-01-01T00:00:00+05:60'],
  ['a region follows the offset', '2100-01-01T00:00:00+01:00[Europe/Paris]'],
  ['the zone is UTC', '2100-01-01T00:00:00UTC'],
  ['the zone is given twice', '2100-01-01T00:00:00+01:00Z'],
  ['the fraction has 10 digits', '2100-01-01T00:00:00.1234567891Z'],
  ['the fraction uses a comma', '2100-01-01T00:00:00,5Z'],
  ['the date and time are separated by a space', '2100-01-01 00:00:00Z'],
  ['a space precedes it', ' 2100-01-01T00:00:00Z'],
  ['a space follows it', '2100-01-01T00:00:00Z '],
  ['a newline follows it', '2100-01-01T00:00:00Z\n'],
  ['it is a date only', '2100-01-01'],
  ['it is empty', ''],
  ['the month has one digit', '2100-1-01T00:00:00Z'],
  ['the month is 13', '2100-13-01T00:00:00Z'],
  ['the month is 00', '2100-00-01T00:00:00Z'],
  ['the day is 00', '2100-01-00T00:00:00Z'],
  ['the day is April 31', '2100-04-31T00:00:00Z'],
  ['the day is February 29 of a year divisible by 100 only', '2100-02-29T00:00:00Z'],
  ['the hour is 25', '2100-01-01T25:00:00Z'],
  ['the time is 24:00:01', '2100-01-01T24:00:01Z'],
  ['the time is 24:00 with a fraction', '2100-01-01T24:00:00.1Z'],
  ['the second is 60 outside 23:59', '2100-01-01T23:58:60Z'],
  ['the minute is 60', '2100-01-01T00:60:00Z'],
  ['a four-digit year has a plus sign', '+2100-01-01T00:00:00Z'],
  ['a five-digit year has no sign', '12100-01-01T00:00:00Z'],
  ['a four-digit year has a leading zero', '02100-01-01T00:00:00Z'],
  ['the digits are not ASCII', '２１００-01-01T00:00:00Z'],
  ['it is epoch seconds', '4102444800'],
  ['it lies past the range of a Date (Java takes it)', '+275760-09-13T00:00:00.001Z'],
  ['it lies far past the range of a Date (Java takes it)', '+1000000000-01-01T00:00:00Z']
]

for (const [condition, text] of refused) {
  test(`parseDeadline returns null when ${condition}`, () => {
    assert.equal(parseDeadline(text), null)
  })
}

test('isPastDeadline is true only when the deadline lies strictly before now', () => {
  const now = new Date('2026-11-21T10:00:00.000Z')
  assert.deepEqual(
    [new Date('2026-11-21T09:59:59.999Z'), now, new Date('2026-11-21T10:00:00.001Z')].map(deadline => isPastDeadline(deadline, now)),
    [true, false, false])
})

test('parseDeadline never throws on arbitrary strings', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), text => {
    const deadline = parseDeadline(text)
    assert.ok(deadline === null || Number.isFinite(deadline.getTime()))
  }), { numRuns: 2000 })
})

// Texts near the deadline grammar, mixing valid and invalid parts, for the comparison with Java.
const nearDeadlines = fc.tuple(
  fc.constantFrom('', ' '),
  fc.constantFrom('2100', '1970', '0000', '9999', '2096', '+12100', '+02100', '+2100', '-2100', '-0001', '12100', '210', '+275760', '-271821'),
  fc.constantFrom('-01', '-02', '-12', '-13', '-00', '-1'),
  fc.constantFrom('-01', '-28', '-29', '-30', '-31', '-00', '-32', '-13'),
  fc.constantFrom('T', 't', ' ', ''),
  fc.constantFrom('00', '23', '24', '25', '9'),
  fc.constantFrom(':00', ':59', ':60', ':5'),
  fc.constantFrom('', ':00', ':59', ':60', ':61'),
  fc.constantFrom('', '.', '.5', '.123', '.000', '.123456789', '.1234567891', ',5'),
  fc.constantFrom('Z', 'z', '', '+01:00', '-01:00', '+0100', '+01', '+18:00', '+18:01', '-18:00', '+17:59:59', '+00:00:60', '+05:60', '+1:00', 'UTC', '+01:00[Europe/Paris]', '-00:00:01'),
  fc.constantFrom('', ' ', '\n', 'Z')
).map(parts => parts.join(''))

const javaProgram = fileURLToPath(new URL('fixtures/instant-parse.java', import.meta.url))

/** What Java 17's Instant.parse makes of each text; the JDK is required (CI and scripts/setup.sh install it). */
function javaInstants (texts: readonly string[]): Array<number | null> {
  const input = texts.map(text => Buffer.from(text, 'utf8').toString('hex')).join('\n') + '\n'
  const output = execFileSync('java', [javaProgram], { input, encoding: 'utf8', timeout: 120_000 })
  // What Java takes but a Date cannot hold we refuse (see deadline.ts): expect null there.
  return output.trimEnd().split('\n').map(line => line === 'null' || line === 'out-of-range' || Math.abs(Number(line)) > 8.64e15 ? null : Number(line))
}

test('parseDeadline agrees with Java\'s Instant.parse on texts near the deadline grammar', () => {
  const seed = Date.now()
  const texts = [
    ...accepted.map(([text]) => text),
    ...refused.map(([, text]) => text),
    ...fc.sample(nearDeadlines, { numRuns: 4000, seed }),
    ...fc.sample(fc.string({ unit: 'binary-ascii', maxLength: 30 }), { numRuns: 500, seed })
  ]
  const expected = javaInstants(texts)
  const actual = texts.map(text => parseDeadline(text)?.getTime() ?? null)
  const differences = texts.flatMap((text, index) => actual[index] === expected[index] ? [] : [{ text, java: expected[index], ours: actual[index] }])
  assert.deepStrictEqual(differences, [], `fast-check seed ${seed}`)
})
