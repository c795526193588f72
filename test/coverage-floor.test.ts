import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { lcovLines, percent, readmeFigure, unloadedLines } from '../scripts/coverage.ts'

const repoFile = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')

test('lcovLines reads the lines found and hit of each file of an lcov report', () => {
  const lcov = 'TN:\nSF:src/a.ts\nDA:1,1\nLF:10\nLH:7\nend_of_record\nTN:\nSF:src/b.ts\nLF:4\nLH:4\nend_of_record\n'
  assert.deepStrictEqual(lcovLines(lcov), new Map([['src/a.ts', { found: 10, hit: 7 }], ['src/b.ts', { found: 4, hit: 4 }]]))
})

test('a module no test loaded counts every line missed, a module of types alone counts nothing', () => {
  assert.deepStrictEqual(unloadedLines('// why\nexport const a = 1\n\nexport function b (): number { return a }\n'), { found: 4, hit: 0 })
  assert.deepStrictEqual(unloadedLines('// why\nimport type { X } from \'./x.ts\'\nexport interface Y { x: X }\nexport type Z = Y\n'), { found: 0, hit: 0 })
})

test('percent sums the files and rounds down to one decimal, so the floor is a figure reached', () => {
  assert.equal(percent([{ found: 3, hit: 2 }, { found: 0, hit: 0 }]), 66.6)
  assert.equal(percent([{ found: 1000, hit: 999 }, { found: 1, hit: 0 }]), 99.8)
  assert.throws(() => percent([]), /counts no lines/)
})

test('the README states the floor of .ci/coverage-floor as the line coverage figure', () => {
  const floor = repoFile('.ci/coverage-floor').trim()
  assert.match(floor, /^\d+\.\d$/)
  assert.equal(readmeFigure.exec(repoFile('README.md'))?.[2], floor)
})
