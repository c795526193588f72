// Which test files are unit tests: `npm run test:unit` runs those, `npm test` runs every file.
//
// The rule is read off the files themselves, so it stays true as tests are added: a test file
// needs what it, or a module of test/ it imports (directly or through others), reaches for.
//   kafka     imports @platformatic/kafka or test/harness/kafka.ts (the run's broker)
//   postgres  imports pg or test/harness/postgres.ts (the run's PostgreSQL server)
//   browser   imports playwright-core
//   jdk       names `java` or `keytool` as a program to run
//   process   names bin/smsgw (runs the command line as a child process)
// A test file that needs none of them is a unit test. Imports of src/ are not followed: what the
// product can reach is not what a test needs. Type-only imports load nothing and are not followed.
import { globSync, readFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root folder. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

export type Need = 'kafka' | 'postgres' | 'browser' | 'jdk' | 'process'

const testRoot = fileURLToPath(new URL('../', import.meta.url))

/** Modules whose import means the need; relative paths are to test/. */
const neededByImport: ReadonlyMap<string, Need> = new Map([
  ['@platformatic/kafka', 'kafka'],
  ['harness/kafka.ts', 'kafka'],
  ['pg', 'postgres'],
  ['harness/postgres.ts', 'postgres'],
  ['playwright-core', 'browser']
])

/** Programs run as child processes, named in the code (comments removed). */
const neededByProgram: ReadonlyArray<readonly [RegExp, Need]> = [
  [/['"`](?:java|(?:\/usr\/bin\/)?keytool)['"`]/, 'jdk'],
  [/['"`](?:\.{1,2}\/)*bin\/smsgw['"`]/, 'process']
]

const importPattern = /^\s*(?:import|export)(\s+type)?\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm

/** The needs of one test file (empty for a unit test), sorted. */
export function testNeeds (file: string): Need[] {
  const needs = new Set<Need>()
  const seen = new Set<string>()
  const visit = (path: string): void => {
    if (seen.has(path)) return
    seen.add(path)
    const source = readFileSync(path, 'utf8')
    const code = source.replace(/^\s*(?:\/\/|\/?\*).*$/gm, '')
    for (const [pattern, need] of neededByProgram) if (pattern.test(code)) needs.add(need)
    for (const match of code.matchAll(importPattern)) {
      if (match[1] !== undefined) continue
      const specifier = match[2] ?? match[3] ?? match[4] ?? ''
      const bare = neededByImport.get(specifier)
      if (bare !== undefined) needs.add(bare)
      if (!specifier.startsWith('.')) continue
      const target = resolve(dirname(path), specifier)
      const inTest = relative(testRoot, target)
      if (inTest.startsWith('..')) continue
      const need = neededByImport.get(inTest)
      if (need !== undefined) needs.add(need)
      if (target.endsWith('.ts')) visit(target)
    }
  }
  visit(resolve(file))
  return [...needs].sort()
}

/** Whether `file` is a unit test: it needs no broker, database server, JDK, browser or child smsgw. */
export function isUnitTest (file: string): boolean {
  return testNeeds(file).length === 0
}

/** Every test file of the repository, relative to its root, sorted. */
export function testFiles (): string[] {
  return globSync('test/**/*.test.ts', { cwd: repoRoot }).sort()
}

/** The unit test files, relative to the repository's root, sorted. */
export function unitTestFiles (): string[] {
  return testFiles().filter(file => isUnitTest(resolve(repoRoot, file)))
}
