import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { PlatformSimulator, SimClient } from '../../../src/platform-sim/index.ts'
import type { LinkedAccount, OAuth2Adapter } from '../../../src/relay/platforms/platform-adapter.ts'

// Linking an OAuth2 adapter against the platform simulator as the app does it: open the adapter's
// authorization URL (the simulator started with autoApprove answers with the redirect at once, as
// if the user had approved), take the code from the redirect, hand it back with the verifier.

export const REDIRECT_URL = 'https://relay.smswithoutborders.com/android'

export function simClientOf (simulator: PlatformSimulator, platform: string): SimClient {
  return simulator.clients.find(client => client.platform === platform) ?? assert.fail(`no simulator client for ${platform}`)
}

export async function linkThroughSimulator (adapter: OAuth2Adapter): Promise<LinkedAccount> {
  const codeVerifier = randomBytes(32).toString('base64url')
  const { url } = adapter.authorizationUrl({ state: 'state-1', codeVerifier })
  const response = await fetch(url, { redirect: 'manual' })
  assert.equal(response.status, 303, await response.text())
  const location = new URL(response.headers.get('location') ?? assert.fail('no redirect'))
  assert.equal(location.searchParams.get('state'), 'state-1')
  const code = location.searchParams.get('code') ?? assert.fail('no code in the redirect')
  return await adapter.exchangeCode({ code, codeVerifier })
}

/** Switches a fault on (POST /_sim/faults). */
export async function setFault (simulator: PlatformSimulator, fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${simulator.url}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) })
  assert.equal(response.status, 201, await response.text())
}
