import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { s256, type PlatformSimulator, type SimClient } from '../../src/platform-sim/index.ts'

// A plain OAuth 2.0 client of the simulator over fetch, for the simulator's own tests: the consent
// form posted as a browser posts it, and the token endpoint called by hand so that each field can
// be wrong on purpose. The adapters' tests use the platforms' real client libraries instead.

export const REDIRECT_URI = 'https://relay.smswithoutborders.com/android'

export function newVerifier (): string {
  return randomBytes(32).toString('base64url')
}

export function clientOf (simulator: PlatformSimulator, platform: string): SimClient {
  return simulator.clients.find(client => client.platform === platform) ?? assert.fail(`no client for ${platform}`)
}

/** Approves on the consent form (POST /oauth/authorize, approve=yes) and resolves to the redirect's Location. */
export async function consent (simulator: PlatformSimulator, fields: Record<string, string>, path = '/oauth/authorize'): Promise<Response> {
  return await fetch(`${simulator.url}${path}`, { method: 'POST', body: new URLSearchParams({ approve: 'yes', ...fields }), redirect: 'manual' })
}

/** The code of an approved consent for `client`, with the challenge of `verifier`. */
export async function authorizationCode (simulator: PlatformSimulator, client: SimClient, verifier: string, account = 'alice'): Promise<string> {
  const response = await consent(simulator, {
    client_id: client.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'profile', state: 'st', code_challenge: s256(verifier), code_challenge_method: 'S256', account
  })
  assert.equal(response.status, 303)
  const location = new URL(response.headers.get('location') ?? assert.fail('no Location'))
  assert.equal(location.searchParams.get('state'), 'st')
  return location.searchParams.get('code') ?? assert.fail('no code')
}

export async function tokenRequest (simulator: PlatformSimulator, fields: Record<string, string>, path = '/oauth/token'): Promise<{ status: number, body: Record<string, unknown> }> {
  const response = await fetch(`${simulator.url}${path}`, { method: 'POST', body: new URLSearchParams(fields) })
  return { status: response.status, body: await response.json() as Record<string, unknown> }
}
