import { X_POST_CHARACTERS } from '../../../src/relay/platforms/post-thread.ts'
import { twitterAdapter, X_SCOPES } from '../../../src/relay/platforms/twitter-adapter.ts'
import { oauth2AdapterSuite } from './oauth2-adapter-suite.ts'

// The X adapter over the real `twitter-api-v2` client against the platform simulator: its calls
// to https://api.x.com moved to the simulator's URL (twitter-base-url.ts), the authorize page at
// the simulator's /i/oauth2/authorize.
oauth2AdapterSuite({
  platform: 'twitter',
  limit: X_POST_CHARACTERS,
  scopes: X_SCOPES,
  authorizePath: '/i/oauth2/authorize',
  lostAnswer: 'unknown',
  build: (simulator, client, options = {}) => twitterAdapter({
    baseUrl: simulator.url,
    authorizationUrl: `${simulator.url}/i/oauth2/authorize`,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    redirectUrl: 'https://relay.smswithoutborders.com/android',
    ...options
  })
})
