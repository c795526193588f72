import { fileURLToPath } from 'node:url'

// The files the tests share, carried in the repository (test/fixtures/README.md says where each
// came from), so a clone alone runs every test.
const fixturesRoot = new URL('../fixtures/', import.meta.url)

/** The path of a file under test/fixtures/, e.g. fixturePath('zwets/builtin.vault'). */
export function fixturePath (relative: string): string {
  return fileURLToPath(new URL(relative, fixturesRoot))
}

/** A file of test/fixtures/zwets, the Java gateway's vectors, e.g. vectorPath('builtin.vault'). */
export function vectorPath (name: string): string {
  return fixturePath(`zwets/${name}`)
}

/** The password of the Java gateway's vaults in test/fixtures/zwets (spec §8). */
export const VECTOR_VAULT_PASSWORD = '123456'

/** The JDK cross-check of the legacy payload format: `java LEGACY_PAYLOAD_JAVA encrypt|encrypt-pub|decrypt …`. */
export const LEGACY_PAYLOAD_JAVA = fixturePath('java/legacy-payload.java')
