import assert from 'node:assert/strict'
import { test } from 'node:test'
import { deliveryNoticeText, noticeLanguages, refreshAlert, utcTimestamp } from '../../../src/relay/publisher/delivery-notice.ts'

// The delivery notice of relay.md §6: upstream's English and French texts exactly, ours in four
// more languages, English for an absent or unknown language, the UTC time as upstream's strftime.

const AT_MS = Date.UTC(2026, 11, 6, 21, 5, 9)

test('the notice is upstream\'s English text, with the time as "YYYY-MM-DD HH:MM:SS (UTC)"', () => {
  assert.equal(utcTimestamp(AT_MS), '2026-12-06 21:05:09 (UTC)')
  assert.equal(deliveryNoticeText({ platform: 'mastodon', outcome: 'published', atMs: AT_MS, language: 'en' }), 'RelaySMS Delivery: Successfully sent message to mastodon at 2026-12-06 21:05:09 (UTC).')
  assert.equal(deliveryNoticeText({ platform: 'gmail', outcome: 'failed', atMs: AT_MS, language: '' }), 'RelaySMS Delivery: Failed to send message to gmail at 2026-12-06 21:05:09 (UTC).')
  assert.equal(deliveryNoticeText({ platform: 'gmail', outcome: 'failed', atMs: AT_MS, language: 'xx' }), 'RelaySMS Delivery: Failed to send message to gmail at 2026-12-06 21:05:09 (UTC).', 'an unknown language gets English')
})

test('French is upstream\'s localization.ini text; es, fa, sw and ar are ours, each naming the platform and the time', () => {
  assert.equal(deliveryNoticeText({ platform: 'twitter', outcome: 'published', atMs: AT_MS, language: 'fr' }), 'Livraison RelaySMS: Envoyé avec succès message à twitter à 2026-12-06 21:05:09 (UTC).')
  assert.equal(deliveryNoticeText({ platform: 'twitter', outcome: 'failed', atMs: AT_MS, language: 'FR' }), 'Livraison RelaySMS: Échec de l\'envoi message à twitter à 2026-12-06 21:05:09 (UTC).')
  assert.deepEqual([...noticeLanguages].sort(), ['ar', 'en', 'es', 'fa', 'fr', 'sw'])
  const texts = new Set<string>()
  for (const language of noticeLanguages) {
    for (const outcome of ['published', 'failed'] as const) {
      const text = deliveryNoticeText({ platform: 'bluesky', outcome, atMs: AT_MS, language })
      assert.ok(text.includes('RelaySMS') && text.includes('bluesky') && text.includes('2026-12-06 21:05:09 (UTC)'), `${language} ${outcome}: ${text}`)
      texts.add(text)
    }
  }
  assert.equal(texts.size, noticeLanguages.length * 2, 'every language says each outcome in its own words')
})

test('the refresh alert of a user who keeps tokens on the device is upstream\'s text with base64 of "<account>:<refresh token>"', () => {
  const alert = refreshAlert('me@example.org', 'new-refresh')
  assert.equal(alert, `\n\nPlease paste this message in your RelaySMS app\n${Buffer.from('me@example.org:new-refresh').toString('base64')}`)
  assert.ok(deliveryNoticeText({ platform: 'gmail', outcome: 'published', atMs: AT_MS, language: 'en', additional: alert }).endsWith(`(UTC).${alert}`))
})
