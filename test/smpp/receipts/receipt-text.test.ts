import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { parseReceiptDate, parseReceiptText, receiptDateToDate } from '../../../src/smpp/receipts/receipt-text.ts'

const date = (year: number, month: number, day: number, hour: number, minute: number, second = 0): object => ({ year, month, day, hour, minute, second })

test('parseReceiptText reads the SMPP 3.4 Appendix B format', () => {
  assert.deepStrictEqual(
    parseReceiptText('id:0123456789 sub:001 dlvrd:001 submit date:2401151230 done date:2401151231 stat:DELIVRD err:000 text:Hello world'),
    {
      id: '0123456789',
      sub: 1,
      dlvrd: 1,
      submitDate: date(2024, 1, 15, 12, 30),
      doneDate: date(2024, 1, 15, 12, 31),
      stat: 'DELIVRD',
      err: '000',
      text: 'Hello world'
    })
})

test('parseReceiptText reads dates with seconds and ids with letters', () => {
  assert.deepStrictEqual(
    parseReceiptText('id:7a3F-99 sub:001 dlvrd:000 submit date:240229235958 done date:240301000001 stat:UNDELIV err:034 text:'),
    {
      id: '7a3F-99',
      sub: 1,
      dlvrd: 0,
      submitDate: date(2024, 2, 29, 23, 59, 58),
      doneDate: date(2024, 3, 1, 0, 0, 1),
      stat: 'UNDELIV',
      err: '034',
      text: ''
    })
})

test('parseReceiptText ignores the case of field names and spaces around values', () => {
  assert.deepStrictEqual(
    parseReceiptText('  ID : ABC123   SUB:1  Dlvrd: 1 Submit Date: 2401151230  DONE_DATE:2401151231 Stat : expired ERR:  Text: Hi  '),
    {
      id: 'ABC123',
      sub: 1,
      dlvrd: 1,
      submitDate: date(2024, 1, 15, 12, 30),
      doneDate: date(2024, 1, 15, 12, 31),
      stat: 'expired',
      err: '',
      text: 'Hi'
    })
})

test('parseReceiptText reads receipts with fields missing or in another order', () => {
  assert.deepStrictEqual(parseReceiptText('id:abc stat:EXPIRED'), { id: 'abc', stat: 'EXPIRED' })
  assert.deepStrictEqual(parseReceiptText('stat:REJECTD err:0x0B id:42'), { id: '42', stat: 'REJECTD', err: '0x0B' })
  assert.deepStrictEqual(parseReceiptText('id:42 dlvrd:001'), { id: '42', dlvrd: 1 })
})

test('parseReceiptText takes everything after text: as the message text, field names included', () => {
  assert.deepStrictEqual(parseReceiptText('id:1 stat:DELIVRD err:000 text:stat:FAKE id:2 err:9'), {
    id: '1', stat: 'DELIVRD', err: '000', text: 'stat:FAKE id:2 err:9'
  })
})

test('parseReceiptText keeps the first of repeated fields and ignores names inside words', () => {
  assert.deepStrictEqual(parseReceiptText('id:1 stat:DELIVRD stat:UNDELIV'), { id: '1', stat: 'DELIVRD' })
  assert.deepStrictEqual(parseReceiptText('id:1 err:errand:x valid:5 stat:DELIVRD'), { id: '1', err: 'errand:x valid:5', stat: 'DELIVRD' })
})

test('parseReceiptText leaves out counts and dates that do not parse', () => {
  assert.deepStrictEqual(
    parseReceiptText('id:9 sub:one dlvrd:-1 submit date:2413011200 done date:24011512 stat:DELIVRD'),
    { id: '9', stat: 'DELIVRD' })
})

test('parseReceiptText drops trailing NULs of a C-octet string', () => {
  assert.deepStrictEqual(parseReceiptText('id:9 stat:DELIVRD err:000\u0000\u0000'), { id: '9', stat: 'DELIVRD', err: '000' })
})

test('parseReceiptText gives null for text that is not a receipt', () => {
  for (const text of [
    '',
    'Hello, see you at 5',
    'id:123',
    'id:123 text:stat:DELIVRD',
    'stat:DELIVRD err:000',
    'id: stat:DELIVRD',
    'paid:12 stat:DELIVRD'
  ]) assert.equal(parseReceiptText(text), null, text)
})

test('parseReceiptText never throws and gives an id for every receipt', () => {
  const fieldish = fc.constantFrom('id:', 'ID :', 'sub:', 'dlvrd:', 'submit date:', 'done date:', 'stat:', 'err:', 'text:', ' ', '\u0000', '0', 'DELIVRD')
  const inputs = fc.oneof(fc.string({ unit: 'binary' }), fc.array(fc.oneof(fieldish, fc.string()), { maxLength: 20 }).map(parts => parts.join('')))
  fc.assert(fc.property(inputs, text => {
    const fields = parseReceiptText(text)
    if (fields !== null) assert.ok(fields.id !== '')
  }), { numRuns: 3000 })
})

test('parseReceiptText reads back generated receipts whatever the case and spacing', () => {
  const token = fc.stringMatching(/^[0-9A-Za-z]{1,20}$/)
  const spaces = fc.stringMatching(/^ {0,3}$/)
  const casing = fc.constantFrom((name: string) => name, (name: string) => name.toUpperCase(), (name: string) => name[0]?.toUpperCase() + name.slice(1))
  fc.assert(fc.property(token, token, fc.string({ maxLength: 20 }), spaces, spaces, casing, (id, stat, messageText, before, after, cased) => {
    const field = (name: string, value: string): string => `${cased(name)}${before}:${after}${value}`
    const text = [field('id', id), field('sub', '001'), field('dlvrd', '001'), field('submit date', '2511302359'),
      field('done date', '2512010000'), field('stat', stat), field('err', '000'), field('text', messageText)].join(' ')
    assert.deepStrictEqual(parseReceiptText(text), {
      id,
      sub: 1,
      dlvrd: 1,
      submitDate: date(2025, 11, 30, 23, 59),
      doneDate: date(2025, 12, 1, 0, 0),
      stat,
      err: '000',
      text: messageText.trim()
    })
  }), { numRuns: 1000 })
})

test('parseReceiptDate reads YYMMDDhhmm, YYMMDDhhmmss and YYYYMMDDhhmmss', () => {
  assert.deepStrictEqual(parseReceiptDate('2401151230'), date(2024, 1, 15, 12, 30))
  assert.deepStrictEqual(parseReceiptDate('240115123045'), date(2024, 1, 15, 12, 30, 45))
  assert.deepStrictEqual(parseReceiptDate('20240115123045'), date(2024, 1, 15, 12, 30, 45))
})

test('parseReceiptDate refuses impossible dates and other lengths', () => {
  for (const value of ['2302291200', '2404311200', '2400011200', '2401002400', '2401152400', '2401151260', '240115123060', '24011512', '2401151230a', '', undefined]) {
    assert.equal(parseReceiptDate(value), undefined, value)
  }
  assert.deepStrictEqual(parseReceiptDate('2402291200'), date(2024, 2, 29, 12, 0))
})

test('receiptDateToDate reads a receipt date in the SMSC time zone', () => {
  const receiptDate = date(2024, 1, 15, 12, 30, 45) as Parameters<typeof receiptDateToDate>[0]
  assert.equal(receiptDateToDate(receiptDate).toISOString(), '2024-01-15T12:30:45.000Z')
  assert.equal(receiptDateToDate(receiptDate, 60).toISOString(), '2024-01-15T11:30:45.000Z')
  assert.equal(receiptDateToDate(receiptDate, -330).toISOString(), '2024-01-15T18:00:45.000Z')
})
