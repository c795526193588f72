import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { test } from 'node:test'
import { openStore } from '../../src/store/open-store.ts'
import { tempStoreFiles } from './temp-files.ts'

test('openStore rejects a file that is not a store', async () => {
  const file = (await tempStoreFiles('open-store-bad')).next()
  await writeFile(file, 'not a database, but long enough to have a header of sorts: '.repeat(10))
  await assert.rejects(openStore(file), /file is not a database/)
})
