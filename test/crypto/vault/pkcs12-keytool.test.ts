import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { join } from 'node:path'
import { before, test } from 'node:test'
import { pathToFileURL } from 'node:url'
import { Vault } from '../../../src/crypto/vault/vault.ts'
import { createKeyPair } from '../../../src/crypto/vault/vault-file.ts'
import { keytool } from '../../harness/jdk.ts'
import { nodeScript, openssl, temporaryFolder } from './vault-fixtures.ts'

// Interoperability with the real JDK 17 keytool and OpenSSL: files each side writes, the other reads.
// Each keytool run starts a JVM (about a second), so the files are made once, in parallel.

const PASSWORD = 'interop-pw'
const store = (file: string): string[] => ['-keystore', file, '-storepass', PASSWORD, '-storetype', 'PKCS12']
const genkeypair = (file: string, alias: string, algorithm: string[]): string[] =>
  ['-genkeypair', ...algorithm, '-alias', alias, '-dname', `CN=${alias}`, '-validity', '3650', ...store(file)]

// Java's properties for the pre-2021 algorithms: 3DES for keys, SHA-1 MAC; iterations kept low for speed.
const legacyKeyAndMac = [
  '-J-Dkeystore.pkcs12.keyProtectionAlgorithm=PBEWithSHA1AndDESede', '-J-Dkeystore.pkcs12.macAlgorithm=HmacPBESHA1',
  '-J-Dkeystore.pkcs12.keyPbeIterationCount=2048', '-J-Dkeystore.pkcs12.certPbeIterationCount=2048',
  '-J-Dkeystore.pkcs12.macIterationCount=2048'
]

// At top level, so that the folder lives as long as this file's tests (after() in a hook would end with the hook).
const folder = await temporaryFolder()
const keytoolFile = join(folder, 'keytool.p12')
const ourFile = join(folder, 'ours.p12')
const legacy3desFile = join(folder, 'legacy-3des.p12')
const legacyRc2File = join(folder, 'legacy-rc2.p12')

before(async () => {
  await Promise.all([
    (async () => {
      await keytool(genkeypair(keytoolFile, 'Client1', ['-keyalg', 'RSA', '-keysize', '2048']))
      await keytool(genkeypair(keytoolFile, 'EcClient', ['-keyalg', 'EC', '-groupname', 'secp256r1']))
    })(),
    (async () => {
      await createKeyPair(ourFile, PASSWORD, 'RsaClient', 'rsa')
      await createKeyPair(ourFile, PASSWORD, 'XClient', 'x25519')
    })(),
    keytool([...legacyKeyAndMac, '-J-Dkeystore.pkcs12.certProtectionAlgorithm=PBEWithSHA1AndDESede',
      ...genkeypair(legacy3desFile, 'old', ['-keyalg', 'RSA', '-keysize', '2048'])]),
    keytool([...legacyKeyAndMac, '-J-Dkeystore.pkcs12.certProtectionAlgorithm=PBEWithSHA1AndRC2_40',
      ...genkeypair(legacyRc2File, 'old', ['-keyalg', 'RSA', '-keysize', '2048'])])
  ])
})

test('Vault load reads a keytool 17 file and skips its EC entry with the reason', async () => {
  // Decision: an entry with a key type the gateway cannot use (EC here, keytool's default -keyalg)
  // is skipped and listed by Vault.skipped(), not fatal: one stray entry must not stop every other
  // client. key() and keysFor() do not see it; writes by vault-file.ts keep it unchanged.
  const vault = await Vault.load(keytoolFile, PASSWORD)
  assert.deepStrictEqual({
    aliases: vault.aliases(),
    client1: vault.keysFor('CLIENT1').map(key => [key.alias, key.type, key.privateKey.asymmetricKeyDetails?.modulusLength]),
    skipped: vault.skipped()
  }, {
    aliases: ['client1'],
    client1: [['client1', 'rsa', 2048]],
    skipped: [{ alias: 'ecclient', reason: "entry 'ecclient' holds a key of type ec; the gateway uses rsa or x25519 keys" }]
  })
})

test('createKeyPair output lists in keytool as PrivateKeyEntry and exports its RSA certificate', async () => {
  const listing = await keytool(['-list', ...store(ourFile)])
  assert.match(listing, /Your keystore contains 2 entries/)
  assert.match(listing, /^rsaclient, .*, PrivateKeyEntry, $/m)
  assert.match(listing, /^xclient, .*, PrivateKeyEntry, $/m)
  const pem = await keytool(['-exportcert', '-rfc', '-alias', 'RsaClient', ...store(ourFile)])
  const certificate = new X509Certificate(pem)
  const key = (await Vault.load(ourFile, PASSWORD)).key('rsaclient')
  assert.deepStrictEqual({ subject: certificate.subject, verifies: certificate.verify(key!.publicKey) },
    { subject: 'CN=rsaclient', verifies: true })
})

test('createKeyPair output passes the MAC and decryption of openssl pkcs12', async () => {
  const { stderr } = await openssl(['pkcs12', '-info', '-noout', '-in', ourFile, '-passin', `pass:${PASSWORD}`])
  assert.match(stderr, /MAC: sha256, Iteration 10000/)
  assert.match(stderr, /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256/)
  assert.match(stderr, /PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256/)
})

test('Vault load reads our X25519 key back when keytool rewrote the file', async () => {
  const before = (await Vault.load(ourFile, PASSWORD)).key('xclient')
  await keytool(['-changealias', '-alias', 'rsaclient', '-destalias', 'renamed', ...store(ourFile)])
  const vault = await Vault.load(ourFile, PASSWORD)
  assert.deepStrictEqual({ aliases: vault.aliases(), keyId: vault.key('xclient')?.keyId },
    { aliases: ['renamed', 'xclient'], keyId: before?.keyId })
})

test('Vault load reads a legacy keytool file with 3DES and a SHA-1 MAC', async () => {
  const vault = await Vault.load(legacy3desFile, PASSWORD)
  assert.deepStrictEqual(vault.keysFor('old').map(key => key.type), ['rsa'])
})

test('Vault load rejects with SMSGW_VAULT_UNSUPPORTED when RC2 needs the OpenSSL legacy provider', async () => {
  await assert.rejects(Vault.load(legacyRc2File, PASSWORD), { code: 'SMSGW_VAULT_UNSUPPORTED', message: /--openssl-legacy-provider/ })
  // The way out the message names does work.
  const moduleUrl = pathToFileURL(join(import.meta.dirname, '../../../src/crypto/vault/vault.ts')).href
  const script = `const { Vault } = await import(${JSON.stringify(moduleUrl)})
    const vault = await Vault.load(${JSON.stringify(legacyRc2File)}, ${JSON.stringify(PASSWORD)})
    process.stdout.write(JSON.stringify(vault.aliases()))`
  assert.equal(await nodeScript(['--openssl-legacy-provider'], script), '["old"]')
})
