// `npm run start:kafka` (scripts/start.ts) and Ctrl-C (issue 9, item 12): the terminal signals
// the whole process group and npm forwards the signal too; the gateway must stop once, cleanly,
// and everything exit 0. Against the test run's broker (`--brokers`), with topics and a group
// of its own so that it takes no other test's requests.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { childEnv } from '../app/run-child.ts'
import { within } from '../app/app-fixtures.ts'
import { kafkaBrokers, uniqueTopicName } from '../harness/kafka.ts'
import { NpmScript } from '../harness/npm-script.ts'

test('npm run start:kafka stops the gateway once and exits 0 on Ctrl-C', { timeout: 60_000 }, async t => {
  const env = childEnv({
    SMSGW_KAFKA_GROUP_ID: uniqueTopicName('start-group'),
    SMSGW_KAFKA_TOPICS_SEND_SMS: uniqueTopicName('start-send'),
    SMSGW_KAFKA_TOPICS_SMS_STATUS: uniqueTopicName('start-status'),
    SMSGW_KAFKA_TOPICS_CORREL_ID: uniqueTopicName('start-correl'),
    SMSGW_KAFKA_TOPICS_CLAIMS: uniqueTopicName('start-claims'),
    SMSGW_KAFKA_TOPICS_INBOUND: uniqueTopicName('start-inbound')
  })
  const npm = new NpmScript('start:kafka', ['--brokers', kafkaBrokers()], env)
  t.after(() => { npm.kill() })
  await npm.outputMatch(/"msg":"gateway started"/, 40_000)

  npm.interrupt()

  assert.deepStrictEqual(await within(npm.exited, 15_000, 'npm exits after Ctrl-C'), { code: 0, signal: null })
  const messages = npm.output.split('\n').filter(line => line.startsWith('{')).map(line => (JSON.parse(line) as { msg: string }).msg)
  assert.deepStrictEqual(messages.filter(message => message === 'stopping' || message === 'gateway stopped'), ['stopping', 'gateway stopped'])
})
