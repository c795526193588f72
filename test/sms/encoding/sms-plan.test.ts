import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { isSmsgwError } from '../../../src/errors.ts'
import { decodeUserData } from '../../../src/sms/encoding/user-data.ts'
import { planSms, type PlanSmsOptions, type SmsPart, type SmsPlan } from '../../../src/sms/encoding/sms-plan.ts'
import { gsmText, mixedText } from './arbitraries.ts'

const options: PlanSmsOptions = { maxParts: 10, referenceNumber: 0x2a }

interface PlanSummary {
  encoding: string
  parts: Array<{ dataCoding: number, esmClass: number, shortMessage: string }>
}

const summary = (plan: SmsPlan): PlanSummary => {
  for (const part of plan.parts) assert.equal(part.dataCoding, plan.dataCoding)
  return {
    encoding: plan.encoding,
    parts: plan.parts.map(part => ({ dataCoding: part.dataCoding, esmClass: part.esmClass, shortMessage: part.shortMessage.toString('hex') }))
  }
}

const gsm = (...shortMessages: string[]): PlanSummary => ({
  encoding: 'gsm7',
  parts: shortMessages.map(shortMessage => ({ dataCoding: 0x00, esmClass: shortMessages.length === 1 ? 0x00 : 0x40, shortMessage }))
})
const ucs2 = (...shortMessages: string[]): PlanSummary => ({
  encoding: 'ucs2',
  parts: shortMessages.map(shortMessage => ({ dataCoding: 0x08, esmClass: shortMessages.length === 1 ? 0x00 : 0x40, shortMessage }))
})
const udh = (total: number, seq: number): string => `0500032a${total.toString(16).padStart(2, '0')}${seq.toString(16).padStart(2, '0')}`
const septetsOfA = (count: number): string => '61'.repeat(count)
const ucs2Hex = (text: string): string => Buffer.from(text, 'utf16le').swap16().toString('hex')

test('planSms sends pure ASCII as one GSM 7-bit part without a header', () => {
  assert.deepStrictEqual(summary(planSms('Hello, world', options)), gsm('48656c6c6f2c20776f726c64'))
})

test('planSms sends extension characters as escape sequences in GSM 7-bit', () => {
  assert.deepStrictEqual(summary(planSms('€{[~|^\\', options)), gsm('1b651b281b3c1b3d1b401b141b2f'))
})

test('planSms sends accented Latin in the GSM alphabet as GSM 7-bit, and lower-case ç as UCS-2', () => {
  assert.deepStrictEqual(summary(planSms('éüñÄØÅÇ', options)), gsm('057e7d5b0b0e09'))
  assert.deepStrictEqual(summary(planSms('ça', options)), ucs2('00e70061'))
  assert.deepStrictEqual(summary(planSms('ê', options)), ucs2('00ea'))
})

test('planSms sends Greek capitals of the GSM alphabet as GSM 7-bit', () => {
  assert.deepStrictEqual(summary(planSms('ΔΦΓΛΩΠΨΣΘΞ', options)), gsm('101213141516171819' + '1a'))
})

test('planSms sends Cyrillic, Arabic and Chinese as UCS-2', () => {
  assert.deepStrictEqual(summary(planSms('Привет', options)), ucs2('041f04400438043204350442'))
  assert.deepStrictEqual(summary(planSms('مرحبا', options)), ucs2('06450631062d06280627'))
  assert.deepStrictEqual(summary(planSms('你好', options)), ucs2('4f60597d'))
})

test('planSms sends an empty text as one empty part', () => {
  assert.deepStrictEqual(summary(planSms('', options)), gsm(''))
})

test('planSms keeps 160 septets in one part when an extension character ends them', () => {
  assert.deepStrictEqual(summary(planSms('a'.repeat(158) + '€', options)), gsm(septetsOfA(158) + '1b65'))
})

test('planSms splits 161 septets into 153 and 8 when an extension character ends them', () => {
  assert.deepStrictEqual(summary(planSms('a'.repeat(159) + '€', options)), gsm(
    udh(2, 1) + septetsOfA(153),
    udh(2, 2) + septetsOfA(6) + '1b65'
  ))
})

test('planSms moves an extension character that would straddle septets 153 and 154 to the next part', () => {
  assert.deepStrictEqual(summary(planSms('a'.repeat(152) + '€' + 'a'.repeat(7), options)), gsm(
    udh(2, 1) + septetsOfA(152),
    udh(2, 2) + '1b65' + septetsOfA(7)
  ))
})

test('planSms fills a part to 153 septets when an extension character ends exactly there', () => {
  assert.deepStrictEqual(summary(planSms('a'.repeat(151) + '€' + 'a'.repeat(8), options)), gsm(
    udh(2, 1) + septetsOfA(151) + '1b65',
    udh(2, 2) + septetsOfA(8)
  ))
})

test('planSms keeps 153 and 154 septets in one part', () => {
  assert.deepStrictEqual(summary(planSms('a'.repeat(151) + '€', options)), gsm(septetsOfA(151) + '1b65'))
  assert.deepStrictEqual(summary(planSms('a'.repeat(152) + '€', options)), gsm(septetsOfA(152) + '1b65'))
})

test('planSms splits 306 septets into two full parts and 307 into three', () => {
  assert.equal(planSms('a'.repeat(306), options).parts.length, 2)
  assert.deepStrictEqual(summary(planSms('a'.repeat(307), options)), gsm(
    udh(3, 1) + septetsOfA(153), udh(3, 2) + septetsOfA(153), udh(3, 3) + septetsOfA(1)
  ))
})

test('planSms keeps 70 UCS-2 code units in one part and splits 71 into 67 and 4', () => {
  assert.deepStrictEqual(summary(planSms('я'.repeat(70), options)), ucs2(ucs2Hex('я'.repeat(70))))
  assert.deepStrictEqual(summary(planSms('я'.repeat(71), options)), ucs2(
    udh(2, 1) + ucs2Hex('я'.repeat(67)),
    udh(2, 2) + ucs2Hex('я'.repeat(4))
  ))
})

test('planSms moves a surrogate pair that would straddle code units 67 and 68 to the next part', () => {
  assert.deepStrictEqual(summary(planSms('я'.repeat(66) + '😀' + 'я'.repeat(3), options)), ucs2(
    udh(2, 1) + ucs2Hex('я'.repeat(66)),
    udh(2, 2) + 'd83dde00' + ucs2Hex('я'.repeat(3))
  ))
})

test('planSms splits a skin-tone emoji between its two surrogate pairs, never inside one', () => {
  // 👍🏽 is U+1F44D U+1F3FD: two pairs. Code units 66–67 take the first; the modifier goes on.
  assert.deepStrictEqual(summary(planSms('a'.repeat(65) + '👍🏽' + 'a'.repeat(4), options)), ucs2(
    udh(2, 1) + ucs2Hex('a'.repeat(65)) + 'd83ddc4d',
    udh(2, 2) + 'd83cdffd' + ucs2Hex('a'.repeat(4))
  ))
  assert.deepStrictEqual(summary(planSms('a'.repeat(66) + '👍🏽' + 'a'.repeat(4), options)), ucs2(
    udh(2, 1) + ucs2Hex('a'.repeat(66)),
    udh(2, 2) + 'd83ddc4dd83cdffd' + ucs2Hex('a'.repeat(4))
  ))
})

test('planSms splits a ZWJ sequence at a joiner or between pairs, never inside a pair', () => {
  // 👨‍👩‍👧 is d83d dc68 200d d83d dc69 200d d83d dc67: 8 code units.
  const family = '👨‍👩‍👧'
  const cuts = [60, 62, 63, 64, 65, 66].map(prefix => {
    const plan = planSms('a'.repeat(prefix) + family + 'a'.repeat(10), options)
    return plan.parts.map(part => part.shortMessage.subarray(6).toString('hex').replaceAll('0061', ''))
  })
  assert.deepStrictEqual(cuts, [
    ['d83ddc68200dd83ddc69200d', 'd83ddc67'],
    ['d83ddc68200dd83ddc69', '200dd83ddc67'],
    ['d83ddc68200d', 'd83ddc69200dd83ddc67'],
    ['d83ddc68200d', 'd83ddc69200dd83ddc67'],
    ['d83ddc68', '200dd83ddc69200dd83ddc67'],
    ['', 'd83ddc68200dd83ddc69200dd83ddc67']
  ])
})

test('planSms follows the data coding choice', () => {
  assert.deepStrictEqual(summary(planSms('Hi', { ...options, dataCoding: 'ucs2' })), ucs2('00480069'))
  assert.deepStrictEqual(summary(planSms('Hi', { ...options, dataCoding: 'gsm7' })), gsm('4869'))
  assert.deepStrictEqual(summary(planSms('Hi', { ...options, dataCoding: 'auto' })), gsm('4869'))
})

test('planSms refuses a GSM 7-bit choice for text outside the alphabet, without quoting it', () => {
  assert.throws(() => planSms('secret ç', { ...options, dataCoding: 'gsm7' }), {
    code: 'SMSGW_UNENCODABLE_TEXT', message: 'SMS text has characters outside the GSM 7-bit alphabet'
  })
})

test('planSms refuses a text that needs more parts than maxParts, naming the count', () => {
  assert.throws(() => planSms('a'.repeat(153 * 3 + 1), { ...options, maxParts: 3 }), {
    code: 'SMSGW_TOO_MANY_PARTS', message: 'SMS text needs 4 parts, more than the limit of 3'
  })
  assert.throws(() => planSms('я'.repeat(71), { ...options, maxParts: 1 }), {
    code: 'SMSGW_TOO_MANY_PARTS', message: 'SMS text needs 2 parts, more than the limit of 1'
  })
  assert.equal(planSms('a'.repeat(153 * 3), { ...options, maxParts: 3 }).parts.length, 3)
})

test('planSms asserts maxParts and referenceNumber are in range', () => {
  assert.throws(() => planSms('a', { maxParts: 0, referenceNumber: 0 }), { code: 'ERR_ASSERTION' })
  assert.throws(() => planSms('a', { maxParts: 256, referenceNumber: 0 }), { code: 'ERR_ASSERTION' })
  assert.throws(() => planSms('a', { maxParts: 1, referenceNumber: 256 }), { code: 'ERR_ASSERTION' })
  assert.throws(() => planSms('a', { maxParts: 1.5, referenceNumber: 0 }), { code: 'ERR_ASSERTION' })
})

/** The octets a part takes on the air: TP-UD, with GSM septets packed after the UDH's fill bits. */
function airOctets (part: SmsPart): number {
  const udhOctets = (part.esmClass & 0x40) === 0 ? 0 : 1 + (part.shortMessage[0] as number)
  if (part.dataCoding === 0x08) return part.shortMessage.length
  const septets = Math.ceil(udhOctets * 8 / 7) + part.shortMessage.length - udhOctets
  return Math.ceil(septets * 7 / 8)
}

const isHighSurrogate = (codeUnit: number): boolean => codeUnit >= 0xd800 && codeUnit <= 0xdbff
const isLowSurrogate = (codeUnit: number): boolean => codeUnit >= 0xdc00 && codeUnit <= 0xdfff

function checkPlan (text: string, plan: SmsPlan, referenceNumber: number): void {
  const decoded = plan.parts.map(part => decodeUserData(part.shortMessage, part.dataCoding, (part.esmClass & 0x40) !== 0))
  assert.equal(decoded.map(data => data?.text).join(''), text)
  for (const [index, part] of plan.parts.entries()) {
    assert.ok(airOctets(part) <= 140, `part ${index + 1} takes ${airOctets(part)} octets`)
    const data = decoded[index]
    assert.ok(data != null)
    if (plan.parts.length === 1) {
      assert.equal(part.esmClass, 0)
      assert.equal(data.concat, undefined)
    } else {
      assert.deepStrictEqual(data.concat, { ref: referenceNumber, referenceBits: 8, total: plan.parts.length, seq: index + 1 })
    }
    if (plan.encoding === 'gsm7') {
      // Every escape has its extension septet in the same part.
      for (let offset = 0; offset < data.payload.length; offset++) {
        if (data.payload[offset] === 0x1b) assert.ok(++offset < data.payload.length, `part ${index + 1} ends in an escape`)
      }
    } else if (index + 1 < decoded.length) {
      const next = decoded[index + 1]?.text as string
      assert.ok(!(isHighSurrogate(data.text.charCodeAt(data.text.length - 1)) && isLowSurrogate(next.charCodeAt(0))), `part ${index + 1} splits a pair`)
    }
  }
}

const planOptions = fc.record({ maxParts: fc.integer({ min: 1, max: 255 }), referenceNumber: fc.integer({ min: 0, max: 255 }) })

test('planSms parts fit 140 octets and decode back to a GSM text', () => {
  fc.assert(fc.property(gsmText(1200), planOptions, (text, { maxParts, referenceNumber }) => {
    let plan: SmsPlan
    try {
      plan = planSms(text, { maxParts, referenceNumber })
    } catch (error) {
      assert.ok(isSmsgwError(error, 'SMSGW_TOO_MANY_PARTS'))
      return
    }
    assert.equal(plan.encoding, 'gsm7')
    assert.ok(plan.parts.length <= maxParts)
    checkPlan(text, plan, referenceNumber)
  }), { numRuns: 1000 })
})

test('planSms parts fit 140 octets and decode back to arbitrary text, emoji and lone surrogates included', () => {
  fc.assert(fc.property(fc.oneof(mixedText(500), fc.string({ unit: 'binary', maxLength: 300 })), (text) => {
    const plan = planSms(text, { maxParts: 255, referenceNumber: 7 })
    checkPlan(text, plan, 7)
  }), { numRuns: 500 })
})

test('planSms uses the fewest parts its split allows: every part but the last is full or would overflow', () => {
  fc.assert(fc.property(mixedText(600), text => {
    const plan = planSms(text, { maxParts: 255, referenceNumber: 0 })
    if (plan.parts.length === 1) return
    // A part ends early only for an escape sequence or a surrogate pair: by one unit at most.
    const unitOctets = plan.encoding === 'gsm7' ? 1 : 2
    const fullUnits = plan.encoding === 'gsm7' ? 153 : 67
    for (const part of plan.parts.slice(0, -1)) assert.ok((part.shortMessage.length - 6) / unitOctets >= fullUnits - 1)
  }), { numRuns: 500 })
})
