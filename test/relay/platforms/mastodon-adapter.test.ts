import { MASTODON_SCOPES, mastodonAdapter } from '../../../src/relay/platforms/mastodon-adapter.ts'
import { MASTODON_POST_CHARACTERS } from '../../../src/relay/platforms/post-thread.ts'
import { oauth2AdapterSuite } from './oauth2-adapter-suite.ts'

// The Mastodon adapter over the real `masto` client against the platform simulator (the instance
// at the simulator's URL).
oauth2AdapterSuite({
  platform: 'mastodon',
  limit: MASTODON_POST_CHARACTERS,
  scopes: MASTODON_SCOPES,
  authorizePath: '/oauth/authorize',
  lostAnswer: 'transient',
  build: (simulator, client, options = {}) => mastodonAdapter({
    baseUrl: simulator.url,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    redirectUrl: 'https://relay.smswithoutborders.com/android',
    ...options
  })
})
