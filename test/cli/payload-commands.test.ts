import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { sealPayloadAsHolder } from '../../src/crypto/payload/index.ts'
import { Vault } from '../../src/crypto/vault/index.ts'
import { asText, encrypt, smsgw, temporaryFolder, TEST_PASSWORD, VECTOR_VAULT_PASSWORD, vectorPath } from './cli-fixtures.ts'

// `smsgw encrypt`, `enc-sms` and `decrypt`, run in-process, cross-checked with the vectors in
// test/fixtures/zwets. Against the JDK cross-check (test/fixtures/java/legacy-payload.java):
// payload-commands-jdk.test.ts.

interface PayloadVector {
  name: string
  vault: string
  alias: string
  plaintext: string
  payload: string
}

const vectors = JSON.parse(await readFile(vectorPath('sealed-payloads.json'), 'utf8')) as PayloadVector[]
const wrongKeyVector = vectors.find(vector => vector.name === 'wrong-key') ?? assert.fail('no wrong-key vector')

const folder = await temporaryFolder()
const builtinVault = vectorPath('builtin.vault')
const testPub = vectorPath('test.pub')
const vectorEnv = { SMSGW_VAULT_PASSWORD: VECTOR_VAULT_PASSWORD }
const xVault = join(folder, 'x25519.p12')
const xPub = join(folder, 'xclient.pub')
const xEnv = { SMSGW_VAULT_PASSWORD: TEST_PASSWORD }
// Bytes, not text: the CLI seals and opens any bytes, here UTF-8 and a byte that is not UTF-8.
const sms = Buffer.concat([Buffer.from('To: +31629845432\nSender: ACME\n\nGrüße 👋 ', 'utf8'), Buffer.of(0xff)])

before(async () => {
  assert.equal((await smsgw(['vault', 'new-keypair', '--type', 'x25519', xVault, 'xclient'], { env: xEnv })).code, 0)
  await writeFile(xPub, (await smsgw(['vault', 'pubkey', xVault, 'xclient'], { env: xEnv })).stdout)
})

test('encrypt --format v2 seals to an RSA key in a v2 payload that decrypt opens', async () => {
  const sealed = await encrypt(['--format', 'v2', testPub], sms)
  // "SGW", version 2, suite 1 (RSA-OAEP + AES-256-GCM): base64 U0dXAg then E to H.
  assert.match(sealed, /^U0dXAg[E-H][A-Za-z0-9+/]+={0,2}$/)
  const opened = await smsgw(['decrypt', builtinVault, 'test'], { env: vectorEnv, stdin: sealed })
  assert.deepStrictEqual({ code: opened.code, stdout: opened.stdout, stderr: opened.stderr }, { code: 0, stdout: sms, stderr: '' })
})

test('encrypt --format v2 seals to an X25519 key in a v2 payload that decrypt opens', async () => {
  const sealed = await encrypt(['--format', 'v2', xPub], sms)
  // Suite 2 (HPKE X25519 + AES-256-GCM): base64 U0dXAg then I to L.
  assert.match(sealed, /^U0dXAg[I-L][A-Za-z0-9+/]+={0,2}$/)
  const opened = await smsgw(['decrypt', xVault, 'XCLIENT'], { env: xEnv, stdin: `${sealed}\n` })
  assert.deepStrictEqual({ code: opened.code, stdout: opened.stdout, stderr: opened.stderr }, { code: 0, stdout: sms, stderr: '' })
})

test('decrypt opens a v2 suite 03 payload, sealed with the vault key by its holder as the relay seals its own SMS', async () => {
  const key = (await Vault.load(builtinVault, VECTOR_VAULT_PASSWORD)).keysFor('test')[0] ?? assert.fail('no test key')
  const sealed = sealPayloadAsHolder(key, sms)
  // Suite 3: base64 U0dXAg then M to P.
  assert.match(sealed, /^U0dXAg[M-P][A-Za-z0-9+/]+={0,2}$/)
  const opened = await smsgw(['decrypt', builtinVault, 'test'], { env: vectorEnv, stdin: sealed })
  assert.deepStrictEqual({ code: opened.code, stdout: opened.stdout, stderr: opened.stderr }, { code: 0, stdout: sms, stderr: '' })
})

test('encrypt reads the public key when PUBFILE ends in a newline', async () => {
  const file = join(folder, 'test-newline.pub')
  await writeFile(file, `${(await readFile(testPub, 'latin1'))}\n`)
  const sealed = await encrypt([file], 'To: +1\nSender: X\n\nnewline')
  const opened = await smsgw(['decrypt', builtinVault, 'test'], { env: vectorEnv, stdin: sealed })
  assert.deepStrictEqual(asText(opened), { code: 0, stdout: 'To: +1\nSender: X\n\nnewline', stderr: '' })
})

test('enc-sms --format v2 seals the same text in a v2 payload', async () => {
  const result = await smsgw(['enc-sms', '--format', 'v2', xPub, '+31629845432', 'ACME', 'hello world'])
  assert.equal(result.code, 0)
  const opened = await smsgw(['decrypt', xVault, 'xclient'], { env: xEnv, stdin: result.stdout })
  assert.deepStrictEqual(asText(opened), { code: 0, stdout: 'To: +31629845432\nSender: ACME\n\nhello world', stderr: '' })
})

test('decrypt prints the plaintext of every vector that opens, byte for byte', async () => {
  const openable = vectors.filter(vector => vector !== wrongKeyVector)
  const opened = await Promise.all(openable.map(async vector => {
    const result = await smsgw(['decrypt', vectorPath(vector.vault.replace(/^zwets\//, '')), vector.alias],
      { env: vectorEnv, stdin: vector.payload })
    return { name: vector.name, code: result.code, stdout: result.stdout, stderr: result.stderr }
  }))
  assert.deepStrictEqual(opened, openable.map(vector =>
    ({ name: vector.name, code: 0, stdout: Buffer.from(vector.plaintext, 'utf8'), stderr: '' })))
})

test('decrypt fails with one line and prints nothing when the payload was sealed to another key', async () => {
  const [wrong, right] = await Promise.all([
    smsgw(['decrypt', builtinVault, 'test'], { env: vectorEnv, stdin: wrongKeyVector.payload }),
    smsgw(['decrypt', vectorPath('test-with-fail.vault'), 'fail'], { env: vectorEnv, stdin: wrongKeyVector.payload })
  ])
  assert.deepStrictEqual([asText(wrong), asText(right)], [
    { code: 1, stdout: '', stderr: 'smsgw: payload was not sealed to this key\n' },
    { code: 0, stdout: wrongKeyVector.plaintext, stderr: '' }
  ])
})

test('decrypt fails with one line when a v2 payload was changed', async () => {
  const sealed = Buffer.from(await encrypt(['--format', 'v2', xPub], sms), 'base64')
  const flipped = sealed.length - 20
  sealed.writeUInt8(sealed.readUInt8(flipped) ^ 0x01, flipped)
  const result = await smsgw(['decrypt', xVault, 'xclient'], { env: xEnv, stdin: sealed.toString('base64') })
  assert.deepStrictEqual(asText(result), {
    code: 1, stdout: '', stderr: 'smsgw: payload failed authentication (tampered, or sealed to another key)\n'
  })
})

test('decrypt fails with one line when standard input is not base64', async () => {
  const results = await Promise.all(['not base64!', ''].map(async stdin =>
    asText(await smsgw(['decrypt', builtinVault, 'test'], { env: vectorEnv, stdin }))))
  const failed = { code: 1, stdout: '', stderr: 'smsgw: payload is not valid base64\n' }
  assert.deepStrictEqual(results, [failed, failed])
})

test('decrypt fails with one line when the payload is in neither format', async () => {
  const result = await smsgw(['decrypt', builtinVault, 'test'], { env: vectorEnv, stdin: 'AAAAAAAAAAAAAAAAAAAAAAAA' })
  assert.deepStrictEqual(asText(result), { code: 1, stdout: '', stderr: 'smsgw: payload has an unknown format (bad magic)\n' })
})

test('decrypt fails with one line when the vault has no such client', async () => {
  const result = await smsgw(['decrypt', builtinVault, 'nobody'], { env: vectorEnv, stdin: wrongKeyVector.payload })
  assert.deepStrictEqual(asText(result), { code: 1, stdout: '', stderr: `smsgw: no key for nobody in ${builtinVault}\n` })
})

test('encrypt rejects an unknown --format as a usage error before it reads the key file', async () => {
  const results = await Promise.all([
    smsgw(['encrypt', '--format', 'v3', testPub], { stdin: sms }),
    smsgw(['encrypt', '--format', 'v3', join(folder, 'missing.pub')], { stdin: sms }),
    smsgw(['enc-sms', '--format', 'v3', testPub, '+31629845432', 'ACME', 'hello'])
  ])
  const failed = { code: 2, stdout: '', stderr: 'smsgw: unknown format \'v3\': use legacy or v2\n' }
  assert.deepStrictEqual(results.map(asText), [failed, failed, failed])
})

test('encrypt --format legacy fails with one line when the key is X25519', async () => {
  const result = await smsgw(['encrypt', xPub], { stdin: sms })
  assert.deepStrictEqual(asText(result), { code: 1, stdout: '', stderr: 'smsgw: the legacy format takes RSA keys only; use --format v2\n' })
})

test('encrypt fails with one line when the public key file is missing or holds no public key', async () => {
  const missing = join(folder, 'missing.pub')
  const notBase64 = join(folder, 'not-base64.pub')
  const notKey = join(folder, 'not-a-key.pub')
  await writeFile(notBase64, '-----BEGIN PUBLIC KEY-----\n')
  await writeFile(notKey, Buffer.from('not a key').toString('base64'))
  const results = await Promise.all([missing, notBase64, notKey].map(async file => asText(await smsgw(['encrypt', file], { stdin: sms }))))
  assert.deepStrictEqual(results, [
    { code: 1, stdout: '', stderr: `smsgw: cannot read public key file ${missing}\n` },
    { code: 1, stdout: '', stderr: `smsgw: public key in ${notBase64} is not valid base64\n` },
    { code: 1, stdout: '', stderr: `smsgw: ${notKey} does not hold a SubjectPublicKeyInfo public key\n` }
  ])
})
