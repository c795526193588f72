import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatClientLogLine } from '../../../src/gateway/status/client-log-line.ts'

const timestamp = new Date('2026-11-21T10:00:00.750Z')

test('formatClientLogLine writes the six fields tab-separated with a final LF', () => {
  assert.equal(formatClientLogLine({ clientId: 'test', correlId: 'C123', timestamp, status: 'SENT', recallId: '4711', errorText: 'text' }),
    '2026-11-21T10:00:00Z\ttest\tC123\tSENT\t4711\ttext\n')
})

test('formatClientLogLine leaves absent recall-id and error-text empty', () => {
  assert.equal(formatClientLogLine({ clientId: 'test', correlId: 'C123', timestamp, status: 'EXPIRED' }),
    '2026-11-21T10:00:00Z\ttest\tC123\tEXPIRED\t\t\n')
})

test('formatClientLogLine keeps one line with six fields when values hold tabs and line breaks', () => {
  const line = formatClientLogLine({ clientId: 'a\tb', correlId: 'c\r\nd', timestamp, status: 'INVALID', errorText: 'Invalid deadline value: x\ny\rz' })
  assert.equal(line, '2026-11-21T10:00:00Z\ta b\tc  d\tINVALID\t\tInvalid deadline value: x y z\n')
  assert.equal(line.split('\n').length, 2)
  assert.equal(line.split('\t').length, 6)
})
