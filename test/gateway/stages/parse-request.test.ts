import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { MAX_REQUEST_BYTES, MAX_REQUEST_NESTING, parseSendRequest, type ParsedRequest, type SendRequest } from '../../../src/gateway/stages/parse-request.ts'

const request = (fields: SendRequest): ParsedRequest => ({ kind: 'request', request: fields })
const rejected = (reason: string): ParsedRequest => ({ kind: 'rejected', reason })
const notJson = rejected('Failed to parse request JSON')

const FULL = '{"client-id": "test", "correl-id": "C123", "deadline": "2100-01-01T00:00:00Z", "payload": "ENCBA"}'
const fullRequest = request({ clientId: 'test', correlId: 'C123', deadline: '2100-01-01T00:00:00Z', payload: 'ENCBA' })

test('parseSendRequest reads the four fields of the contract example', () => {
  assert.deepStrictEqual(parseSendRequest(FULL), fullRequest)
})

test('parseSendRequest reads a Buffer as UTF-8', () => {
  assert.deepStrictEqual(parseSendRequest(Buffer.from('{"client-id":"tëst","correl-id":"Ç1"}')), request({ clientId: 'tëst', correlId: 'Ç1' }))
})

const tolerated: ReadonlyArray<readonly [condition: string, value: string | Buffer]> = [
  ['the value is a kcat-style single line with a trailing space', `${FULL.replace(/\n/g, ' ')} `],
  ['the value is pretty-printed over several lines', JSON.stringify(JSON.parse(FULL), null, 2) + '\n'],
  ['the value has surrounding white space, tabs and CRLF', `\r\n\t  ${FULL}\t\r\n  `],
  ['the Buffer starts with a UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(FULL)])],
  ['the string starts with a BOM', `\uFEFF${FULL}`],
  ['unknown fields come along, nested ones too', FULL.replace('{', '{"priority": 1, "extra": {"client-id": 5, "deep": [[{}]]}, ')]
]

for (const [condition, value] of tolerated) {
  test(`parseSendRequest reads the request when ${condition}`, () => {
    assert.deepStrictEqual(parseSendRequest(value), fullRequest)
  })
}

const asText: ReadonlyArray<readonly [json: string, text: string]> = [
  ['12345678901234567890', '12345678901234567890'],
  ['123', '123'],
  ['-0', '-0'],
  ['1.50', '1.50'],
  ['1e400', '1e400'],
  ['2.5E-3', '2.5E-3'],
  ['true', 'true'],
  ['false', 'false']
]

for (const [json, text] of asText) {
  test(`parseSendRequest takes ${json} as the text ${text} when a field is not a string`, () => {
    const value = `{"client-id": ${json}, "correl-id": ${json}, "deadline": ${json}, "payload": ${json}}`
    assert.deepStrictEqual(parseSendRequest(value), request({ clientId: text, correlId: text, deadline: text, payload: text }))
  })
}

test('parseSendRequest counts null, objects and arrays as missing fields', () => {
  assert.deepStrictEqual(parseSendRequest('{"client-id": "c", "correl-id": "k", "deadline": null, "payload": {"a": 1}}'),
    request({ clientId: 'c', correlId: 'k' }))
  assert.deepStrictEqual(parseSendRequest('{"client-id": "c", "correl-id": "k", "deadline": [], "payload": ["x"]}'),
    request({ clientId: 'c', correlId: 'k' }))
})

test('parseSendRequest keeps an empty deadline and payload for validation to report', () => {
  assert.deepStrictEqual(parseSendRequest('{"client-id":"c","correl-id":"k","deadline":"","payload":""}'),
    request({ clientId: 'c', correlId: 'k', deadline: '', payload: '' }))
})

test('parseSendRequest takes the last of repeated fields', () => {
  assert.deepStrictEqual(parseSendRequest('{"client-id":"a","correl-id":"k","client-id":"b"}'), request({ clientId: 'b', correlId: 'k' }))
})

test('parseSendRequest keeps field values exactly, white space and case included', () => {
  assert.deepStrictEqual(parseSendRequest('{"client-id":" Test ","correl-id":"k\\u0000"}'), request({ clientId: ' Test ', correlId: 'k\u0000' }))
})

// A request whose unknown field "x" holds `depth` nested arrays: the object itself is one level more.
const nested = (depth: number): string => `{"client-id":"c","correl-id":"k","x":${'['.repeat(depth)}${']'.repeat(depth)}}`

test('parseSendRequest ignores an unknown field nested up to MAX_REQUEST_NESTING levels deep', () => {
  assert.deepStrictEqual(parseSendRequest(nested(MAX_REQUEST_NESTING - 1)), request({ clientId: 'c', correlId: 'k' }))
})

test('parseSendRequest does not count brackets inside strings as nesting', () => {
  const value = `{"client-id":"c","correl-id":"k","x":"${'['.repeat(MAX_REQUEST_NESTING + 1)}\\\\","y":"\\"${'{'.repeat(MAX_REQUEST_NESTING + 1)}"}`
  assert.deepStrictEqual(parseSendRequest(value), request({ clientId: 'c', correlId: 'k' }))
})

// Rows 1–3 of spec §5.
const rejections: ReadonlyArray<readonly [condition: string, value: string | Buffer | null, reason: string]> = [
  ['the value is empty', '', 'Failed to parse request JSON'],
  ['the value is white space only', ' \n', 'Failed to parse request JSON'],
  ['the value is null (a tombstone)', null, 'Failed to parse request JSON'],
  ['the value is not JSON', 'client-id=test', 'Failed to parse request JSON'],
  ['the JSON is cut short', FULL.slice(0, -1), 'Failed to parse request JSON'],
  ['the value holds two objects', `${FULL}${FULL}`, 'Failed to parse request JSON'],
  ['the value is a JSON array', `[${FULL}]`, 'Failed to parse request JSON'],
  ['the value is a JSON string', '"test"', 'Failed to parse request JSON'],
  ['the value is a JSON number', '42', 'Failed to parse request JSON'],
  ['the value is JSON null', 'null', 'Failed to parse request JSON'],
  ['the value is JSON true', 'true', 'Failed to parse request JSON'],
  ['the value is not UTF-8', Buffer.concat([Buffer.from('{"client-id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","correl-id":"k"}')]), 'Failed to parse request JSON'],
  ['the value uses single quotes', "{'client-id':'c','correl-id':'k'}", 'Failed to parse request JSON'],
  ['the JSON nests deeper than MAX_REQUEST_NESTING', nested(MAX_REQUEST_NESTING), 'Failed to parse request JSON'],
  ['the JSON nests as deep as the size allows', nested(MAX_REQUEST_BYTES / 2 - 30), 'Failed to parse request JSON'],
  ['client-id is missing', '{"correl-id":"k","deadline":"2100-01-01T00:00:00Z","payload":"x"}', 'Request lacks Client ID field'],
  ['client-id is empty', '{"client-id":"","correl-id":"k"}', 'Request lacks Client ID field'],
  ['client-id is null', '{"client-id":null,"correl-id":"k"}', 'Request lacks Client ID field'],
  ['client-id is an object', '{"client-id":{"id":"test"},"correl-id":"k"}', 'Request lacks Client ID field'],
  ['client-id is spelled clientId', '{"clientId":"test","correl-id":"k"}', 'Request lacks Client ID field'],
  ['client-id and correl-id are both missing', '{}', 'Request lacks Client ID field'],
  ['correl-id is missing', '{"client-id":"test","deadline":"2100-01-01T00:00:00Z","payload":"x"}', 'Request lacks Correlation ID field'],
  ['correl-id is empty', '{"client-id":"test","correl-id":""}', 'Request lacks Correlation ID field'],
  ['correl-id is an array', '{"client-id":"test","correl-id":["k"]}', 'Request lacks Correlation ID field']
]

for (const [condition, value, reason] of rejections) {
  test(`parseSendRequest rejects with '${reason}' when ${condition}`, () => {
    assert.deepStrictEqual(parseSendRequest(value), rejected(reason))
  })
}

test('parseSendRequest accepts a value of exactly MAX_REQUEST_BYTES', () => {
  const head = '{"client-id":"c","correl-id":"k","payload":"'
  const value = `${head}${'A'.repeat(MAX_REQUEST_BYTES - head.length - 2)}"}`
  assert.equal(Buffer.byteLength(value), MAX_REQUEST_BYTES)
  assert.equal(parseSendRequest(value).kind, 'request')
  assert.equal(parseSendRequest(Buffer.from(value)).kind, 'request')
})

test('parseSendRequest rejects a value over MAX_REQUEST_BYTES without reading it', () => {
  const head = '{"client-id":"c","correl-id":"k","payload":"'
  const value = `${head}${'A'.repeat(MAX_REQUEST_BYTES - head.length - 1)}"}`
  assert.deepStrictEqual(parseSendRequest(value), notJson)
  assert.deepStrictEqual(parseSendRequest(Buffer.from(value)), notJson)
  // Counted in UTF-8 bytes, not in characters: 'é' takes two.
  const wide = `${head}${'é'.repeat((MAX_REQUEST_BYTES - head.length) / 2)}"}`
  assert.ok(wide.length < MAX_REQUEST_BYTES)
  assert.deepStrictEqual(parseSendRequest(wide), notJson)
})

test('parseSendRequest never throws on arbitrary strings and bytes', () => {
  const field = fc.constantFrom('client-id', 'correl-id', 'deadline', 'payload', '__proto__', 'constructor')
  const values = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.json({ maxDepth: 4 }),
    fc.uint8Array({ maxLength: 300 }).map(bytes => Buffer.from(bytes)),
    fc.dictionary(field, fc.jsonValue({ maxDepth: 2 })).map(fields => JSON.stringify(fields)),
    fc.dictionary(field, fc.jsonValue({ maxDepth: 2 })).map(fields => Buffer.from(` \uFEFF${JSON.stringify(fields)} `))
  )
  fc.assert(fc.property(values, value => {
    const parsed = parseSendRequest(value)
    if (parsed.kind === 'rejected') return
    for (const text of Object.values(parsed.request)) assert.equal(typeof text, 'string')
  }), { numRuns: 2000 })
})
