// The README's "Against an SMSC: the simulator" commands, run as written (issue 9, item 13)
// while `npm run start:kafka` runs on the same broker, as a newcomer would have both: before,
// the example's gateway joined start:kafka's consumer group and topic, and its requests came
// back INVALID from the other gateway. Here start:kafka brings its own throw-away broker (so
// the default group and topics are ours alone); the example's send runs five times, so that
// sharing partitions with the other gateway could not go unseen.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { childEnv, SMSGW } from '../app/run-child.ts'
import { temporaryFolder, within } from '../app/app-fixtures.ts'
import { NpmScript } from '../harness/npm-script.ts'
import { findFreePorts } from '../harness/child-script.ts'

const README = fileURLToPath(new URL('../../README.md', import.meta.url))
const SENDS = 5

/** The sh block under "### Against an SMSC: the simulator". */
async function readmeBlock (): Promise<string> {
  const readme = await readFile(README, 'utf8')
  const section = readme.slice(readme.indexOf('### Against an SMSC: the simulator'))
  return (section.match(/```sh\n([\s\S]*?)```/) ?? assert.fail('no sh block in the section'))[1] as string
}

test('the README\'s SMSC example gets SENT and DELIVERED for each request while npm run start:kafka runs on the same broker', { timeout: 240_000 }, async t => {
  const kafka = new NpmScript('start:kafka', [], childEnv({}))
  t.after(() => { kafka.kill() })
  await kafka.outputMatch(/export SMSGW_KAFKA_BROKERS=\S+/, 180_000)
  const brokers = (kafka.output.match(/export SMSGW_KAFKA_BROKERS=(\S+)/) as RegExpMatchArray)[1] as string
  const [smscPort] = await findFreePorts(1)

  // As a user runs it, with the broker start:kafka printed, a free SMSC port, and the send five times.
  const lines = (await readmeBlock()).split('\n')
  const sendLine = lines.find(line => line.startsWith('bin/smsgw send ')) ?? assert.fail('no send line')
  const script = lines
    .flatMap(line => line === sendLine ? Array<string>(SENDS).fill(line) : [line])
    .join('\n')
    .replace(/^export SMSGW_KAFKA_BROKERS=\S+/m, `export SMSGW_KAFKA_BROKERS=${brokers}`)
    .replaceAll('2775', String(smscPort))
    .replace('--count 2', `--count ${2 * SENDS}`)
    .replaceAll('bin/smsgw', SMSGW)
  const example = spawn('/bin/sh', ['-e', '-c', script], { cwd: await temporaryFolder('readme-smsc'), env: childEnv({}), detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => { try { process.kill(-(example.pid as number), 'SIGKILL') } catch {} })
  let output = ''
  example.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
  example.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
  // 'exit', not 'close': the simulator and the gateway, left running in the background, hold the pipes.
  const exit = await within(new Promise<number | null>(resolve => { example.on('exit', resolve) }), 120_000, 'the README commands end')
    .catch((error: unknown) => { throw new Error(`${(error as Error).message}; their output:\n${output}\nstart:kafka:\n${kafka.output}`) })

  assert.equal(exit, 0, output)
  const statuses = output.split('\n').filter(line => line.startsWith('{"client-id"')).map(line => JSON.parse(line) as Record<string, string>)
  const counts = new Map<string, number>()
  for (const status of statuses) counts.set(`${status['client-id']} ${status['sms-status']}`, (counts.get(`${status['client-id']} ${status['sms-status']}`) ?? 0) + 1)
  assert.deepStrictEqual(Object.fromEntries(counts), { 'acme SENT': SENDS, 'acme DELIVERED': SENDS }, output)

  process.kill(-(example.pid as number), 'SIGTERM')
  kafka.interrupt()
  assert.deepStrictEqual(await within(kafka.exited, 60_000, 'start:kafka stops'), { code: 0, signal: null })
})
