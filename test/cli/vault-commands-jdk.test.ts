import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { copyFile } from 'node:fs/promises'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { keytool, payloadRef } from '../harness/jdk.ts'
import { asText, smsgw, temporaryFolder, TEST_PASSWORD } from './cli-fixtures.ts'
import { makeCliVault, type CliVault } from './cli-vaults.ts'

// `smsgw vault …` (run in-process) against the JDK's keytool and its reference of the legacy
// format: the files each side writes, the other reads. Key generation and JVM starts are slow,
// so the vaults are made once, in parallel, in before().

const folder = await temporaryFolder()
const keytoolVault = join(folder, 'keytool.p12')
const store = (file: string): string[] => ['-keystore', file, '-storepass', TEST_PASSWORD, '-storetype', 'PKCS12']
let ours: CliVault

before(async () => {
  [ours] = await Promise.all([
    makeCliVault(folder),
    keytool(['-genkeypair', '-keyalg', 'RSA', '-keysize', '2048', '-alias', 'KtClient', '-dname', 'CN=KtClient',
      '-validity', '3650', ...store(keytoolVault)])
  ])
})

test('vault new-keypair writes a file that keytool lists as PrivateKeyEntry', async () => {
  const listing = await keytool(['-list', ...store(ours.file)])
  assert.match(listing, /^Your keystore contains 2 entries$/m)
  assert.match(listing, /^client1, .+, PrivateKeyEntry, $/m)
  assert.match(listing, /^xclient, .+, PrivateKeyEntry, $/m)
})

test('vault pubkey reads a keytool-made vault and matches the certificate keytool exports', async () => {
  const pem = await keytool(['-exportcert', '-rfc', '-alias', 'ktclient', ...store(keytoolVault)])
  const fromKeytool = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
  assert.equal(await ours.pubkey(keytoolVault, 'KtClient'), fromKeytool)
})

test('decrypt opens what the JDK reference sealed to a keytool-made vault', async () => {
  const plaintext = 'To: +31629845432\nSender: KT\n\nsealed by the JDK'
  const sealed = await payloadRef(['encrypt', keytoolVault, TEST_PASSWORD, 'ktclient'], plaintext)
  const result = await smsgw(['decrypt', ...ours.withPassword, keytoolVault, 'KTCLIENT'], { stdin: sealed })
  assert.deepStrictEqual(asText(result), { code: 0, stdout: plaintext, stderr: '' })
})

test('vault remove leaves a file that keytool lists with the other entries', async () => {
  const vault = join(folder, 'remove.p12')
  await copyFile(ours.file, vault)
  const removed = await smsgw(['vault', 'remove', ...ours.withPassword, vault, 'Client1'])
  assert.deepStrictEqual(asText(removed), { code: 0, stdout: '', stderr: '' })
  assert.match(await keytool(['-list', ...store(vault)]), /^Your keystore contains 1 entry$/m)
})
