import { mastodonApi } from './mastodon-api.ts'
import type { SimulatedPlatform } from './simulated-platform.ts'
import { twitterApi } from './twitter-api.ts'

/** Every platform the simulator serves; a new platform's API is one file and one entry here. */
export const simulatedPlatforms: readonly SimulatedPlatform[] = [mastodonApi, twitterApi]
