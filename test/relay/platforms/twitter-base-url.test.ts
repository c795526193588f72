import assert from 'node:assert/strict'
import { Agent } from 'node:http'
import { test } from 'node:test'
import { twitterClientSettings } from '../../../src/relay/platforms/twitter-base-url.ts'

// The plugin's rewrite on the request parameters twitter-api-v2 hands it (its calls through the
// library are in twitter-adapter.test.ts).

function rewrite (baseUrl: string, url: string): { url: string, timeout?: number } {
  const settings = twitterClientSettings(baseUrl, 1234)
  const params: { url: string, timeout?: number } = { url }
  const hook = settings.plugins?.[0]?.onBeforeRequestConfig ?? assert.fail('no hook')
  void hook({ client: undefined as never, url: new URL(url), params: params as never })
  return params
}

test('twitterClientSettings moves calls to api.x.com under the base URL and gives each the timeout', () => {
  assert.deepEqual(rewrite('http://127.0.0.1:9/', 'https://api.x.com/2/oauth2/token'), { url: 'http://127.0.0.1:9/2/oauth2/token', timeout: 1234 })
  assert.deepEqual(rewrite('https://proxy.example/x', 'https://api.x.com/2/tweets'), { url: 'https://proxy.example/x/2/tweets', timeout: 1234 })
  assert.deepEqual(rewrite('http://127.0.0.1:9', 'https://upload.x.com/1.1/media/upload.json'), { url: 'https://upload.x.com/1.1/media/upload.json', timeout: 1234 })
})

test('twitterClientSettings gives an http Agent for an http base only', () => {
  assert.ok(twitterClientSettings('http://127.0.0.1:9', 1).httpAgent instanceof Agent)
  assert.equal(twitterClientSettings('https://api.x.com', 1).httpAgent, undefined)
})
