// Interop: our ESME session (SmscSession over a TCP socket) against an SMSC built on jsmpp
// (org.jsmpp:jsmpp from Maven Central), an SMPP implementation we did not write. jsmpp reports
// what it read on its stdout (test/interop/jsmpp/JsmppSmsc.java): the tests check that it saw
// our exact octets and data coding, and that what it sent back reaches onDeliver intact.
// jsmpp-codec.test.ts covers the wire below the session with a bare codec client.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { errorCodes } from '../../src/errors.ts'
import { commandStatus } from '../../src/smpp/codec/index.ts'
import type { PduOf } from '../../src/smpp/codec/index.ts'
import { smscSessionStates, SmscSession, socketConnector } from '../../src/smpp/session/index.ts'
import type { SmscSessionOptions, UnexpectedPdu } from '../../src/smpp/session/index.ts'
import { decodeUserData, planSms } from '../../src/sms/encoding/index.ts'
import type { SmsPart } from '../../src/sms/encoding/index.ts'
import { assertReceipt, assertSubmitSeen, recipient, START_TIMEOUT_MS, submitBody, WAIT_MS } from './interop-fixtures.ts'
import { startJsmppSmsc } from './jsmpp-smsc.ts'
import type { JsmppSmsc } from './jsmpp-smsc.ts'

/** Short, so that the keep-alive test sees several rounds in a second or two. */
const ENQUIRE_LINK_INTERVAL_MS = 300

type DeliverSm = PduOf<'deliver_sm'>

/** The deliver_sm PDUs that onDeliver received, taken in order with a bounded wait. */
class Deliveries {
  readonly #received: DeliverSm[] = []
  readonly #waiters: Array<(pdu: DeliverSm) => void> = []

  readonly onDeliver = async (pdu: DeliverSm): Promise<void> => {
    const waiter = this.#waiters.shift()
    if (waiter === undefined) this.#received.push(pdu)
    else waiter(pdu)
  }

  next (timeoutMs = WAIT_MS): Promise<DeliverSm> {
    const pdu = this.#received.shift()
    if (pdu !== undefined) return Promise.resolve(pdu)
    return new Promise((resolve, reject) => {
      const waiter = (delivered: DeliverSm): void => {
        clearTimeout(timer)
        resolve(delivered)
      }
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
        reject(new Error(`no deliver_sm within ${timeoutMs} ms`))
      }, timeoutMs)
      this.#waiters.push(waiter)
    })
  }
}

describe('SmscSession against the jsmpp SMSC', () => {
  let smsc: JsmppSmsc
  let session: SmscSession | undefined
  const deliveries = new Deliveries()
  const unexpected: UnexpectedPdu[] = []

  function sessionOptions (password: string): SmscSessionOptions {
    return {
      connect: socketConnector({ host: smsc.host, port: smsc.port }),
      systemId: smsc.systemId,
      password,
      onDeliver: deliveries.onDeliver,
      responseTimeoutMs: WAIT_MS,
      enquireLinkIntervalMs: ENQUIRE_LINK_INTERVAL_MS,
      inactivityTimeoutMs: WAIT_MS,
      closeTimeoutMs: WAIT_MS
    }
  }

  /** Submits one part and checks what jsmpp read; resolves with the message id it gave. */
  async function submitPart (part: SmsPart, wantsReceipt = false): Promise<string> {
    assert.ok(session)
    const { messageId } = await session.submit(submitBody(part, wantsReceipt))
    await assertSubmitSeen(smsc, messageId, part, wantsReceipt)
    return messageId
  }

  before(async () => {
    smsc = await startJsmppSmsc({ systemId: 'smsgw', password: 'secret' })
  }, { timeout: START_TIMEOUT_MS })

  after(async () => {
    session?.destroy()
    await smsc?.stop()
  })

  test('SmscSession bound() rejects with SMSGW_SMPP_BIND and ESME_RINVPASWD when the password is wrong', async () => {
    const refused = new SmscSession(sessionOptions('guess'))
    await assert.rejects(refused.bound(), { code: errorCodes.smppBind, commandStatus: commandStatus.ESME_RINVPASWD })
    assert.equal(refused.state, smscSessionStates.closed)
    assert.equal(await smsc.waitFor('BIND_REJECTED', WAIT_MS), 'BIND_REJECTED BIND_TRX smsgw 0x0000000e')
    await smsc.waitFor('CLOSED', WAIT_MS)
  })

  test('SmscSession binds to jsmpp as a transceiver', async () => {
    session = new SmscSession(sessionOptions(smsc.password))
    session.on('unexpected', info => unexpected.push(info))
    await session.bound()
    assert.equal(session.state, smscSessionStates.bound)
    assert.equal(session.peerSystemId, smsc.systemId)
    assert.equal(await smsc.waitFor('BOUND', WAIT_MS), `BOUND ${smsc.systemId}`)
  })

  test('SmscSession submit carries GSM 7-bit octets and data_coding 0 to jsmpp unchanged', async () => {
    // '@' is septet 0x00 and '€' the escape pair 0x1B 0x65: both must survive as octets.
    const plan = planSms('Interop test 1234567 costs 5 € at Zürich @ noon', { maxParts: 1, referenceNumber: 0 })
    assert.equal(plan.dataCoding, 0)
    await submitPart(plan.parts[0] as SmsPart)
  })

  test('SmscSession submit carries UCS-2 octets and data_coding 8 to jsmpp unchanged', async () => {
    // A surrogate pair (the emoji) goes as two UTF-16 code units.
    const plan = planSms('Привет из smsgw 👋', { maxParts: 1, referenceNumber: 0 })
    assert.equal(plan.dataCoding, 8)
    await submitPart(plan.parts[0] as SmsPart)
  })

  test('SmscSession submit of concurrent parts gets one message id per part from jsmpp', async () => {
    const plan = planSms('Concatenated interop text. '.repeat(12), { maxParts: 3, referenceNumber: 42 })
    assert.equal(plan.parts.length, 3)
    // Several in the window at once: responses are matched by sequence_number, not order.
    const ids = await Promise.all(plan.parts.map(part => submitPart(part)))
    assert.equal(new Set(ids).size, 3)
  })

  test('SmscSession onDeliver gets the receipt from jsmpp, and parseReceiptText reads it', async () => {
    const plan = planSms('Receipt please: 12345 and more text after', { maxParts: 1, referenceNumber: 0 })
    const messageId = await submitPart(plan.parts[0] as SmsPart, true)

    const receipt = await deliveries.next()
    // jsmpp prints RECEIPT once our deliver_sm_resp ESME_ROK came back.
    assert.equal(await smsc.waitFor(`RECEIPT ${messageId}`, WAIT_MS), `RECEIPT ${messageId}`)
    assertReceipt(receipt, messageId)
  })

  test('SmscSession onDeliver gets MO messages injected into jsmpp, GSM 7-bit and UCS-2', async () => {
    for (const [text, dataCoding] of [['Reply YES to confirm', 0], ['Ja, gerne! 😀 Grüße', 8]] as const) {
      smsc.injectMo(recipient, '12345', text)
      const mo = await deliveries.next()
      assert.equal(mo.body.esmClass, 0)
      assert.equal(mo.body.dataCoding, dataCoding)
      assert.equal(mo.body.sourceAddr, recipient)
      assert.equal(mo.body.destinationAddr, '12345')
      assert.equal(decodeUserData(mo.body.shortMessage, mo.body.dataCoding, false)?.text, text)
      assert.equal(await smsc.waitFor('MO_DELIVERED', WAIT_MS), `MO_DELIVERED ${dataCoding} ${mo.body.shortMessage.toString('hex')}`)
    }
  })

  test('SmscSession enquire_link keep-alive is answered by jsmpp and the session stays bound', async () => {
    assert.ok(session)
    // Each event is one enquire_link jsmpp read and answered; a lost answer would end the
    // session through its inactivity timeout or show up as an unexpected PDU.
    await smsc.waitFor('ENQUIRE_LINK', ENQUIRE_LINK_INTERVAL_MS + WAIT_MS)
    await smsc.waitFor('ENQUIRE_LINK', ENQUIRE_LINK_INTERVAL_MS + WAIT_MS)
    assert.equal(session.state, smscSessionStates.bound)
    assert.deepStrictEqual(unexpected, [])
  })

  test('SmscSession close unbinds, and jsmpp reports the session unbound and closed', async () => {
    assert.ok(session)
    await session.close()
    assert.equal(await session.closed(), undefined)
    assert.equal(session.state, smscSessionStates.closed)
    await smsc.waitFor('UNBOUND', WAIT_MS)
    await smsc.waitFor('CLOSED', WAIT_MS)
    assert.deepStrictEqual(unexpected, [])
    session = undefined
  })
})
