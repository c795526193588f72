import assert from 'node:assert/strict'
import { test } from 'node:test'
import { cookieOf, OperatorSessions } from '../../../src/http/operator/index.ts'

test('OperatorSessions verifies its own sessions until they expire, and nothing forged, altered or made elsewhere', () => {
  const clock = { ms: 1_000_000 }
  const sessions = new OperatorSessions({ lifetimeMs: 60_000, now: () => clock.ms })
  const session = sessions.issue('0123456789ab')
  assert.match(session, /^0123456789ab\.1060000\.[\w-]{43}$/)
  const [id, expiry, signature] = session.split('.') as [string, string, string]
  assert.deepStrictEqual({
    own: sessions.verify(session),
    stretched: sessions.verify(`${id}.${Number(expiry) + 1}.${signature}`),
    otherKey: sessions.verify(`ba9876543210.${expiry}.${signature}`),
    otherInstance: new OperatorSessions({ now: () => clock.ms }).verify(session),
    garbage: sessions.verify('not a session'),
    lifetimeSeconds: sessions.lifetimeSeconds
  }, { own: '0123456789ab', stretched: undefined, otherKey: undefined, otherInstance: undefined, garbage: undefined, lifetimeSeconds: 60 })
  clock.ms += 60_000
  assert.deepStrictEqual(sessions.verify(session), undefined)
})

test('cookieOf finds one cookie among several', () => {
  assert.deepStrictEqual([
    cookieOf('a=1; smsgw_operator=x.y.z; b=2', 'smsgw_operator'),
    cookieOf('xsmsgw_operator=1', 'smsgw_operator'),
    cookieOf(undefined, 'smsgw_operator')
  ], ['x.y.z', undefined, undefined])
})
