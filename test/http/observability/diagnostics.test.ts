import assert from 'node:assert/strict'
import { channel, tracingChannel } from 'node:diagnostics_channel'
import { test } from 'node:test'
import { diagnosticsChannels } from '../../../src/gateway/diagnostics-channels.ts'
import { subscribeDiagnostics } from '../../../src/http/observability/diagnostics.ts'
import { GatewayMetrics } from '../../../src/http/observability/gateway-metrics.ts'

/** An SMPP error as the session rejects with: the SMSC's command_status on it. */
class RefusedError extends Error {
  readonly commandStatus = 0x0b
}

test('subscribeDiagnostics counts what the core publishes on its channels, until unsubscribed', async () => {
  const metrics = new GatewayMetrics({ clients: ['acme'], processMetrics: false })
  const unsubscribe = subscribeDiagnostics(metrics)
  const request = tracingChannel(diagnosticsChannels.request)
  const open = tracingChannel(diagnosticsChannels.open)
  const submit = tracingChannel(diagnosticsChannels.submit)
  await request.tracePromise(async () => {}, { operationId: 1 })
  await assert.rejects(open.tracePromise(async () => { throw new Error('bad padding') }, { operationId: 1, clientId: 'acme' }))
  await submit.tracePromise(async () => ({ messageId: 'm1' }), { operationId: 2, connection: 'smsc-a' })
  await assert.rejects(submit.tracePromise(async () => { throw new RefusedError('refused') }, { operationId: 3, connection: 'smsc-a' }))
  await assert.rejects(submit.tracePromise(async () => { throw new Error('response timeout') }, { operationId: 4, connection: 'smsc-a' }))
  channel(diagnosticsChannels.receipt).publish({ connection: 'smsc-a', state: 'DELIVRD' })
  channel(diagnosticsChannels.receipt).publish({ connection: 'smsc-a' })
  const lines = (await metrics.exposition()).split('\n').filter(line => /^smsgw_(requests|decrypt|smpp_submits|smpp_responses|receipts)/.test(line))
  assert.deepStrictEqual(lines, [
    'smsgw_requests_total 1',
    'smsgw_decrypt_failures_total{client="acme"} 1',
    'smsgw_smpp_submits_total{connection="smsc-a"} 3',
    'smsgw_smpp_responses_total{connection="smsc-a",command_status="ESME_ROK"} 1',
    'smsgw_smpp_responses_total{connection="smsc-a",command_status="ESME_RINVDSTADR"} 1',
    'smsgw_receipts_total{connection="smsc-a",state="DELIVRD"} 1'
  ])
  unsubscribe()
  await request.tracePromise(async () => {}, { operationId: 5 })
  assert.deepStrictEqual(metrics.view().requests, 1)
})
