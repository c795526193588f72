import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { asText, smsgw, temporaryFolder } from '../../cli/cli-fixtures.ts'

// `smsgw smsc-sim` refusing what it is given, run in-process: it exits before it listens, so
// no log line is written. Running the simulator, its log and its stop on a signal are in
// smsc-sim-command.test.ts, through the real launcher.

const folder = await temporaryFolder('smsc-sim')

test('smsc-sim refuses a bad option with exit 2 before it listens', async () => {
  assert.deepStrictEqual(asText(await smsgw(['smsc-sim', '--port', '0', '--id-format', 'octal'])),
    { code: 2, stdout: '', stderr: "smsgw: unknown --id-format 'octal': use decimal or hex or zero-padded\n" })
  const mismatched = asText(await smsgw(['smsc-sim', '--port', '0', '--system-id', 'a', '--system-id', 'b', '--password', 'x']))
  assert.deepStrictEqual({ code: mismatched.code, stdout: mismatched.stdout }, { code: 2, stdout: '' })
  assert.match(mismatched.stderr, /^smsgw: 2 --system-id but 1 --password/)
  const resend = asText(await smsgw(['smsc-sim', '--port', '0', '--resend-receipts-ms', 'soon']))
  assert.deepStrictEqual({ code: resend.code, stdout: resend.stdout }, { code: 2, stdout: '' })
  assert.match(resend.stderr, /^smsgw: --resend-receipts-ms must be a whole number from 0 to \d+, not 'soon'\n$/)
})

test('smsc-sim refuses a wrong rules file with exit 1', async () => {
  const rulesFile = join(folder, 'bad-rules.json')
  await writeFile(rulesFile, JSON.stringify([{ outcome: 'LOST' }]))
  const result = asText(await smsgw(['smsc-sim', '--port', '0', '--rules', rulesFile]))
  assert.equal(result.code, 1)
  assert.match(result.stderr, /^smsgw: receipt rule rules\[0\]\.outcome must be one of /)
})
