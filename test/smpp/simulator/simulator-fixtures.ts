import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { SmscSimulator } from '../../../src/smpp/simulator/index.ts'
import type { SmscSimulatorOptions } from '../../../src/smpp/simulator/index.ts'
import { SmppTestClient } from './smpp-test-client.ts'
import type { TestClientOptions } from './smpp-test-client.ts'

/** A simulator on a free port of 127.0.0.1, closed when the test ends. */
export async function startSimulator (t: TestContext, options: SmscSimulatorOptions = {}): Promise<SmscSimulator> {
  const simulator = await SmscSimulator.start({ port: 0, ...options })
  t.after(async () => { await simulator.close() })
  return simulator
}

/** A test client connected to `simulator`, closed when the test ends. */
export async function connectClient (t: TestContext, simulator: SmscSimulator, options: TestClientOptions = {}): Promise<SmppTestClient> {
  const client = await SmppTestClient.connect(simulator.address.port, options)
  t.after(() => { client.close() })
  return client
}

/** A test client bound as `type` with the default account. */
export async function bindClient (
  t: TestContext, simulator: SmscSimulator, type: 'transmitter' | 'receiver' | 'transceiver' = 'transceiver', options: TestClientOptions = {}
): Promise<SmppTestClient> {
  const client = await connectClient(t, simulator, options)
  const response = await client.bind(type)
  assert.equal(response.commandStatus, 0, 'bind succeeds')
  return client
}
