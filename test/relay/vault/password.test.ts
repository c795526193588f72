import assert from 'node:assert/strict'
import { argon2Sync } from 'node:crypto'
import { test } from 'node:test'
import { errorCodes } from '../../../src/errors.ts'
import { hashPassword, pepperFromFile, verifyPassword } from '../../../src/relay/vault/index.ts'
import { hex, readVectors, unwrap } from '../relaysms-vectors.ts'

// identifiers.json argon2id: upstream hash_password (Argon2id t=3, m=64 MiB, p=2 over pepper ‖ password).
const vectors = readVectors('identifiers.json').argon2id
const pepper = unwrap(pepperFromFile(`${vectors.pepper_file_first_line}\n`))

test('pepperFromFile decodes the first line as base64 of 32 bytes and refuses anything else', () => {
  assert.equal(pepper.toString('hex'), vectors.pepper_hex)
  const code = (text: string): string => { const result = pepperFromFile(text); return result.ok ? 'loaded' : result.error.code }
  assert.deepEqual([code('c2hvcnQ=\n'), code(''), code(`${vectors.pepper_file_first_line.slice(1)}\n`)], Array(3).fill(errorCodes.relayKeyFile))
})

test('hashPassword with upstream\'s salt gives upstream\'s PHC string, and both verify', async () => {
  assert.equal(Buffer.concat([pepper, Buffer.from(vectors.password)]).toString('hex'), vectors.secret_hex)
  assert.equal(await hashPassword(pepper, vectors.password, hex(vectors.salt_hex)), vectors.phc)
  assert.deepEqual(await verifyPassword(pepper, vectors.password, vectors.phc), { matches: true, needsRehash: false })
  const checks = await Promise.all([
    verifyPassword(pepper, 'Str0ng!Passw0rD', vectors.phc),
    verifyPassword(Buffer.alloc(32), vectors.password, vectors.phc),
    verifyPassword(pepper, '', vectors.phc),
    verifyPassword(pepper, vectors.password, vectors.phc.replace('m=65536', 'm=99999999')),
    verifyPassword(pepper, vectors.password, 'not a phc string')
  ])
  assert.deepEqual(checks.map(check => check.matches), [false, false, false, false, false])
})

test('a hash with other parameters verifies and asks for a rehash', async () => {
  const salt = hex(vectors.salt_hex)
  const hash = argon2Sync('argon2id', { message: hex(vectors.secret_hex), nonce: salt, memory: 8192, passes: 1, parallelism: 1, tagLength: 32 })
  const light = `$argon2id$v=19$m=8192,t=1,p=1$${salt.toString('base64').replace(/=+$/, '')}$${hash.toString('base64').replace(/=+$/, '')}`
  assert.deepEqual(await verifyPassword(pepper, vectors.password, light), { matches: true, needsRehash: true })
})
