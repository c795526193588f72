/* eslint-disable no-template-curly-in-string -- Spring ${…} placeholders in .properties text are what these tests are about */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PlaceholderResolver } from '../../src/config/spring-placeholders.ts'
import type { PlaceholderScope } from '../../src/config/spring-placeholders.ts'

function resolver (properties: Record<string, string>, env: NodeJS.ProcessEnv = {}): PlaceholderResolver {
  const scope: PlaceholderScope = {
    properties: new Map(Object.entries(properties)),
    env,
    defaults: { 'spring.application.name': 'sms-gateway' }
  }
  return new PlaceholderResolver(scope)
}

test('PlaceholderResolver resolves keys of the same file, nested and chained', () => {
  const placeholders = resolver({
    'spring.application.name': 'gw',
    'base.dir': '/var/log',
    'log.dir': '${base.dir}/${spring.application.name}',
    chained: '[${log.dir}]'
  })
  assert.deepStrictEqual(
    ['log.dir', 'chained', 'base.dir'].map(key => placeholders.resolveKey(key)),
    [{ value: '/var/log/gw' }, { value: '[/var/log/gw]' }, { value: '/var/log' }]
  )
})

test('PlaceholderResolver uses the default after the colon when the key is nowhere', () => {
  const placeholders = resolver({ present: 'here' })
  assert.deepStrictEqual(
    ['${absent:fallback}', '${absent:}', '${absent:${present}}', '${present:unused}', '${absent:a:b}']
      .map(text => placeholders.resolveText(text)),
    [{ value: 'fallback' }, { value: '' }, { value: 'here' }, { value: 'here' }, { value: 'a:b' }]
  )
})

test('PlaceholderResolver falls back to spring.application.name = sms-gateway when the file does not set it', () => {
  assert.deepStrictEqual(resolver({}).resolveText('/tmp/${spring.application.name}'), { value: '/tmp/sms-gateway' })
})

test('PlaceholderResolver looks in the environment after the file, also by the upper-snake name', () => {
  const placeholders = resolver({ shared: 'from file' }, { shared: 'from env', KEYPASS: 'secret', SMS_VAULT_DIR: '/srv' })
  assert.deepStrictEqual(
    ['${shared}', '${KEYPASS}', '${sms.vault-dir}'].map(text => placeholders.resolveText(text)),
    [{ value: 'from file' }, { value: 'secret' }, { value: '/srv' }]
  )
})

test('PlaceholderResolver reports a placeholder it cannot resolve', () => {
  assert.deepStrictEqual(resolver({ key: 'a ${missing} b' }).resolveKey('key'), { problem: 'cannot resolve placeholder ${missing}' })
})

test('PlaceholderResolver reports a key that refers back to itself', () => {
  const placeholders = resolver({ a: '${b}', b: 'x${a}', self: '${self}' })
  assert.deepStrictEqual(
    [placeholders.resolveKey('a'), placeholders.resolveKey('self')],
    [{ problem: 'placeholder ${a} refers back to itself' }, { problem: 'placeholder ${self} refers back to itself' }]
  )
})

test('PlaceholderResolver leaves text without a closed placeholder as it is', () => {
  const placeholders = resolver({})
  assert.deepStrictEqual(
    ['no placeholder', 'unclosed ${name', 'dollar $ and {braces}'].map(text => placeholders.resolveText(text)),
    [{ value: 'no placeholder' }, { value: 'unclosed ${name' }, { value: 'dollar $ and {braces}' }]
  )
})
