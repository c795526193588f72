import assert from 'node:assert/strict'
import { createHash, createPublicKey } from 'node:crypto'
import { copyFile, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { asText, smsgw, temporaryFolder, VECTOR_VAULT_PASSWORD, vectorPath } from './cli-fixtures.ts'
import { makeCliVault } from './cli-vaults.ts'

// `smsgw vault …`, run in-process, against real files. The same vaults against the JDK's keytool:
// vault-commands-jdk.test.ts.

const folder = await temporaryFolder()
const { file: ourVault, withPassword, pubkey } = await makeCliVault(folder)

/** A copy of our vault that one test may change. */
async function scratchVault (name: string): Promise<string> {
  const file = join(folder, name)
  await copyFile(ourVault, file)
  return file
}

test('vault new-keypair makes an RSA-2048 key by default and an X25519 key with --type x25519', async () => {
  const rsa = createPublicKey({ key: Buffer.from(await pubkey(ourVault, 'client1'), 'base64'), format: 'der', type: 'spki' })
  const x25519 = createPublicKey({ key: Buffer.from(await pubkey(ourVault, 'xclient'), 'base64'), format: 'der', type: 'spki' })
  assert.deepStrictEqual(
    [rsa.asymmetricKeyType, rsa.asymmetricKeyDetails?.modulusLength, x25519.asymmetricKeyType],
    ['rsa', 2048, 'x25519'])
})

test('vault new-keypair fails and keeps the file when the client already has a key', async () => {
  const original = await readFile(ourVault)
  const result = await smsgw(['vault', 'new-keypair', ...withPassword, ourVault, 'CLIENT1'])
  assert.deepStrictEqual(asText(result), { code: 1, stdout: '', stderr: `smsgw: ${ourVault} already has an entry 'client1'\n` })
  assert.ok((await readFile(ourVault)).equals(original))
})

test('vault new-keypair rejects a client-id with ~ as a usage error', async () => {
  const result = await smsgw(['vault', 'new-keypair', ...withPassword, ourVault, 'a~b'])
  assert.deepStrictEqual(asText(result), {
    code: 2, stdout: '', stderr: 'smsgw: \'a~b\' cannot be a client-id: it must be non-empty and without \'~\'\n'
  })
})

test('vault new-keypair rejects an unknown --type before it asks for a password', async () => {
  // No password source and no terminal: the usage error must come first, and nothing is written.
  const file = join(folder, 'never-made.p12')
  const result = await smsgw(['vault', 'new-keypair', '--type', 'dsa', file, 'client1'])
  assert.deepStrictEqual(asText(result), { code: 2, stdout: '', stderr: 'smsgw: unknown key type \'dsa\': use rsa or x25519\n' })
  await assert.rejects(readFile(file), { code: 'ENOENT' })
})

test('vault aliases lists one alias a line, sorted, in lower case as Java stores them', async () => {
  const result = await smsgw(['vault', 'aliases', ...withPassword, ourVault])
  assert.deepStrictEqual(asText(result), { code: 0, stdout: 'client1\nxclient\n', stderr: '' })
})

test('vault pubkey prints base64 SubjectPublicKeyInfo DER without a newline when the client is in any case', async () => {
  const [lower, upper, mixed] = await Promise.all([pubkey(ourVault, 'client1'), pubkey(ourVault, 'CLIENT1'), pubkey(ourVault, 'Client1')])
  assert.match(lower, /^[A-Za-z0-9+/]+={0,2}$/)
  const der = Buffer.from(lower, 'base64')
  assert.deepStrictEqual(
    { upper, mixed, reencoded: createPublicKey({ key: der, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'der' }).toString('base64') },
    { upper: lower, mixed: lower, reencoded: lower })
})

test('vault pubkey of builtin.vault alias test equals shared test.pub byte for byte', async () => {
  const result = await smsgw(['vault', 'pubkey', vectorPath('builtin.vault'), 'test'], { env: { SMSGW_VAULT_PASSWORD: VECTOR_VAULT_PASSWORD } })
  assert.deepStrictEqual({ code: result.code, stderr: result.stderr }, { code: 0, stderr: '' })
  assert.ok(result.stdout.equals(await readFile(vectorPath('test.pub'))))
})

test('vault pubkey fails with one line when the vault has no such client', async () => {
  const result = await smsgw(['vault', 'pubkey', ...withPassword, ourVault, 'nobody'])
  assert.deepStrictEqual(asText(result), { code: 1, stdout: '', stderr: `smsgw: no key for nobody in ${ourVault}\n` })
})

test('vault remove deletes the entry and keeps the others', async () => {
  const vault = await scratchVault('remove.p12')
  const removed = await smsgw(['vault', 'remove', ...withPassword, vault, 'Client1'])
  const listed = await smsgw(['vault', 'aliases', ...withPassword, vault])
  assert.deepStrictEqual([asText(removed), asText(listed)], [
    { code: 0, stdout: '', stderr: '' },
    { code: 0, stdout: 'xclient\n', stderr: '' }
  ])
})

test('vault remove fails with one line when the entry does not exist', async () => {
  const result = await smsgw(['vault', 'remove', ...withPassword, ourVault, 'nobody'])
  assert.deepStrictEqual(asText(result), { code: 1, stdout: '', stderr: `smsgw: ${ourVault} has no entry 'nobody'\n` })
})

test('vault rotate keeps the old key as <client>~<key id hex>, which still opens payloads sealed to it', async () => {
  const vault = await scratchVault('rotate.p12')
  const oldPub = await pubkey(vault, 'client1')
  const oldPubFile = join(folder, 'client1-old.pub')
  await writeFile(oldPubFile, oldPub)
  const plaintext = 'To: +31629845432\nSender: ACME\n\nsealed before the rotation'
  const [v2, legacy] = await Promise.all(['v2', 'legacy'].map(async format => {
    const sealed = await smsgw(['encrypt', '--format', format, oldPubFile], { stdin: plaintext })
    assert.deepStrictEqual({ code: sealed.code, stderr: sealed.stderr }, { code: 0, stderr: '' })
    return sealed.stdout
  }))

  const rotated = await smsgw(['vault', 'rotate', ...withPassword, vault, 'CLIENT1'])
  assert.deepStrictEqual(asText(rotated), { code: 0, stdout: '', stderr: '' })

  const keyId = createHash('sha256').update(Buffer.from(oldPub, 'base64')).digest().subarray(0, 8).toString('hex')
  const retired = `client1~${keyId}`
  const listed = await smsgw(['vault', 'aliases', ...withPassword, vault])
  const opened = await Promise.all([v2, legacy].map(async sealed => asText(await smsgw(['decrypt', ...withPassword, vault, 'client1'], { stdin: sealed }))))
  assert.deepStrictEqual({
    aliases: asText(listed),
    retiredPubkey: await pubkey(vault, retired),
    newKeyDiffers: await pubkey(vault, 'client1') !== oldPub,
    opened
  }, {
    aliases: { code: 0, stdout: `client1\n${retired}\nxclient\n`, stderr: '' },
    retiredPubkey: oldPub,
    newKeyDiffers: true,
    opened: [{ code: 0, stdout: plaintext, stderr: '' }, { code: 0, stdout: plaintext, stderr: '' }]
  })
})

test('vault rotate --type x25519 gives the client an X25519 key; decrypt by the retired alias opens old payloads', async () => {
  const vault = await scratchVault('rotate-x25519.p12')
  const oldPubFile = join(folder, 'xclient-old.pub')
  await writeFile(oldPubFile, await pubkey(vault, 'xclient'))
  const plaintext = 'To: +31629845432\nSender: ACME\n\nbefore'
  const sealed = await smsgw(['encrypt', '--format', 'v2', oldPubFile], { stdin: plaintext })
  assert.equal(sealed.code, 0)
  const rotated = await smsgw(['vault', 'rotate', ...withPassword, '--type', 'x25519', vault, 'xclient'])
  assert.equal(rotated.code, 0)
  const listed = (await smsgw(['vault', 'aliases', ...withPassword, vault])).stdout.toString('utf8').split('\n')
  const retired = listed.find(alias => alias.startsWith('xclient~')) ?? assert.fail(`no retired alias in ${listed.join(' ')}`)
  const newKey = Buffer.from(await pubkey(vault, 'xclient'), 'base64')
  const opened = await smsgw(['decrypt', ...withPassword, vault, retired], { stdin: sealed.stdout })
  assert.deepStrictEqual({
    retired: /^xclient~[0-9a-f]{16}$/.test(retired),
    type: createPublicKey({ key: newKey, format: 'der', type: 'spki' }).asymmetricKeyType,
    opened: asText(opened)
  }, {
    retired: true,
    type: 'x25519',
    opened: { code: 0, stdout: plaintext, stderr: '' }
  })
})

test('vault rotate fails with one line when the client has no key', async () => {
  const result = await smsgw(['vault', 'rotate', ...withPassword, ourVault, 'nobody'])
  assert.deepStrictEqual(asText(result), { code: 1, stdout: '', stderr: `smsgw: ${ourVault} has no entry 'nobody'\n` })
})
