// `npm run coverage`: runs the unit tests (scripts/test-unit.ts) with node's coverage on, and
// fails when the line coverage of src/ falls below the floor recorded in .ci/coverage-floor.
// The floor only rises: `npm run coverage -- --raise` records a higher figure (never a lower
// one) there and in the README, which states the floor as the project's coverage figure.
import { spawnSync } from 'node:child_process'
import { globSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { stripTypeScriptTypes } from 'node:module'
import { join } from 'node:path'
import { repoRoot } from '../test/harness/test-kinds.ts'

const floorFile = join(repoRoot, '.ci/coverage-floor')
/** How far below the measured figure `--raise` records the floor, in percentage points. */
const FLOOR_MARGIN = 0.5
const readme = join(repoRoot, 'README.md')
const lcovFile = join(repoRoot, '.tmp/coverage/lcov.info')
/** The README's sentence that carries the figure (wrapped anywhere); the number is the floor. */
export const readmeFigure = /(line\s+coverage\s+of\s+`src\/`\s+by\s+`npm\s+run\s+test:unit`:\s+)(\d+(?:\.\d)?)(\s+)%/

export interface LineCount {
  readonly found: number
  readonly hit: number
}

/** Lines found and hit per file of an lcov report, by the path it names. */
export function lcovLines (lcov: string): Map<string, LineCount> {
  const files = new Map<string, LineCount>()
  for (const record of lcov.split('end_of_record')) {
    const file = /^SF:(.+)$/m.exec(record)?.[1]
    if (file === undefined) continue
    files.set(file, { found: Number(/^LF:(\d+)$/m.exec(record)?.[1] ?? 0), hit: Number(/^LH:(\d+)$/m.exec(record)?.[1] ?? 0) })
  }
  return files
}

/**
 * The lines of a source file that no test loaded, counted as node counts those of a loaded one
 * (every line) and none of them hit; a file of types alone, which nothing loads, counts nothing.
 */
export function unloadedLines (source: string): LineCount {
  const code = stripTypeScriptTypes(source).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
  return { found: /\S/.test(code) ? source.split('\n').length - (source.endsWith('\n') ? 1 : 0) : 0, hit: 0 }
}

/** Hit over found, in per cent, rounded down to one decimal: a figure the suite reaches. */
export function percent (counts: Iterable<LineCount>): number {
  let found = 0
  let hit = 0
  for (const count of counts) {
    found += count.found
    hit += count.hit
  }
  if (found === 0) throw new Error('the coverage report counts no lines')
  return Math.floor(1000 * hit / found) / 10
}

function main (): void {
  const raise = process.argv.includes('--raise')
  mkdirSync(join(repoRoot, '.tmp/coverage'), { recursive: true })
  const run = spawnSync(process.execPath, [join(repoRoot, 'scripts/test-unit.ts'),
    '--experimental-test-coverage', '--test-coverage-include=src/**',
    '--test-reporter=dot', '--test-reporter-destination=stdout',
    '--test-reporter=lcov', `--test-reporter-destination=${lcovFile}`],
  // Without the compile cache the test runs share otherwise: code compiled in an earlier run
  // counted fewer lines (the figure fell a few tenths with each warmer run).
  { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' } })
  if (run.status !== 0) process.exit(run.status ?? 1)

  // node reports the files the tests loaded; the figure is of all of src/, so a module no unit
  // test reaches counts with every line missed.
  const loaded = lcovLines(readFileSync(lcovFile, 'utf8'))
  const unloaded = globSync('src/**/*.ts', { cwd: repoRoot }).filter(file => !loaded.has(file))
    .map(file => unloadedLines(readFileSync(join(repoRoot, file), 'utf8')))
  const measured = percent([...loaded.values(), ...unloaded])
  const floor = Number(readFileSync(floorFile, 'utf8').trim())
  const stated = readmeFigure.exec(readFileSync(readme, 'utf8'))?.[2]
  console.log(`line coverage of src/ by the unit tests: ${measured.toFixed(1)} % (floor ${floor.toFixed(1)} %, .ci/coverage-floor); ` +
    `${percent(loaded.values()).toFixed(1)} % of the ${loaded.size} modules they load, ${unloaded.filter(count => count.found > 0).length} modules not loaded`)
  if (measured < floor) fail(`line coverage fell below the floor: ${measured.toFixed(1)} % < ${floor.toFixed(1)} %; add tests for what you added`)
  // The floor is recorded a little below the figure: lines that run or not with timing (retries,
  // timeouts) move the figure by a few tenths from run to run, and a floor at the figure itself
  // would fail CI at random.
  const candidate = Math.floor(10 * (measured - FLOOR_MARGIN)) / 10
  if (raise && candidate > floor) {
    writeFileSync(floorFile, `${candidate.toFixed(1)}\n`)
    writeFileSync(readme, readFileSync(readme, 'utf8').replace(readmeFigure, `$1${candidate.toFixed(1)}$3%`))
    console.log(`raised the floor to ${candidate.toFixed(1)} % in .ci/coverage-floor and README.md`)
  } else {
    if (stated === undefined || Number(stated) !== floor) fail(`README.md states ${stated ?? 'no'} line coverage; the floor is ${floor.toFixed(1)} %`)
    if (candidate > floor) console.log('above the floor: record it with `npm run coverage -- --raise`')
  }
}

function fail (message: string): never {
  console.error(`coverage: ${message}`)
  process.exit(1)
}

if (import.meta.main) main()
