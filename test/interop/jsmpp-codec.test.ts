// Interop: a minimal ESME built on our SMPP codec against an SMSC built on jsmpp
// (org.jsmpp:jsmpp from Maven Central), an SMPP implementation we did not write. jsmpp reports what it read on its
// stdout (test/interop/jsmpp/JsmppSmsc.java), so each test checks both directions: jsmpp saw
// our exact octets, and we read what jsmpp wrote.
//
// The ESME here is a thin client over the codec (test/interop/codec-esme.ts), so that the
// wire-level checks (exact octets both ways, UDH, jsmpp's own enquire_link) do not depend on the
// session's policies; jsmpp-session.test.ts runs our SmscSession against the same SMSC.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { commandStatus, SMPP_VERSION_3_4, tons, npis } from '../../src/smpp/codec/index.ts'
import type { BindBody } from '../../src/smpp/codec/index.ts'
import { decodeUserData, encodeConcatUdh, encodeGsm7, encodeUcs2, planSms } from '../../src/sms/encoding/index.ts'
import type { SmsPart } from '../../src/sms/encoding/index.ts'
import { CodecEsme } from './codec-esme.ts'
import { assertReceipt, assertSubmitSeen, recipient, START_TIMEOUT_MS, submitBody, WAIT_MS } from './interop-fixtures.ts'
import { startJsmppSmsc } from './jsmpp-smsc.ts'
import type { JsmppSmsc } from './jsmpp-smsc.ts'

/** jsmpp sends enquire_link after this long without a PDU from us. */
const SMSC_ENQUIRE_LINK_MS = 1_000

function bindBody (systemId: string, password: string): BindBody {
  return {
    systemId,
    password,
    systemType: '',
    interfaceVersion: SMPP_VERSION_3_4,
    addrTon: tons.unknown,
    addrNpi: npis.unknown,
    addressRange: ''
  }
}

describe('codec ESME against the jsmpp SMSC', () => {
  let smsc: JsmppSmsc
  let esme: CodecEsme | undefined

  /** Submits one part and checks what jsmpp read; resolves with the message id it gave. */
  async function submitPart (part: SmsPart, wantsReceipt = false): Promise<string> {
    assert.ok(esme)
    const response = await esme.request('submit_sm', submitBody(part, wantsReceipt))
    assert.equal(response.command, 'submit_sm_resp')
    assert.equal(response.commandStatus, commandStatus.ESME_ROK)
    const messageId = response.body.messageId
    await assertSubmitSeen(smsc, messageId, part, wantsReceipt)
    return messageId
  }

  before(async () => {
    smsc = await startJsmppSmsc({ systemId: 'smsgw', password: 'secret', enquireLinkMs: SMSC_ENQUIRE_LINK_MS })
  }, { timeout: START_TIMEOUT_MS })

  after(async () => {
    esme?.destroy()
    await smsc?.stop()
  })

  test('bind_transceiver is refused with ESME_RINVPASWD when the password is wrong', async () => {
    const intruder = await CodecEsme.connect(smsc.host, smsc.port)
    try {
      const response = await intruder.request('bind_transceiver', bindBody('smsgw', 'guess'))
      assert.equal(response.command, 'bind_transceiver_resp')
      assert.equal(response.commandStatus, commandStatus.ESME_RINVPASWD)
      assert.equal(await smsc.waitFor('BIND_REJECTED', WAIT_MS), 'BIND_REJECTED BIND_TRX smsgw 0x0000000e')
    } finally {
      intruder.destroy()
    }
    await smsc.waitFor('CLOSED', WAIT_MS)
  })

  test('bind_transceiver binds with the configured system_id and password', async () => {
    esme = await CodecEsme.connect(smsc.host, smsc.port)
    const response = await esme.request('bind_transceiver', bindBody(smsc.systemId, smsc.password))
    assert.equal(response.command, 'bind_transceiver_resp')
    assert.equal(response.commandStatus, commandStatus.ESME_ROK)
    assert.equal(response.body.systemId, smsc.systemId)
    assert.equal(await smsc.waitFor('BOUND', WAIT_MS), `BOUND ${smsc.systemId}`)
  })

  test('submit_sm carries GSM 7-bit octets and data_coding 0 to jsmpp unchanged', async () => {
    // '@' is septet 0x00 and '€' the escape pair 0x1B 0x65: both must survive as octets.
    const plan = planSms('Interop test 1234567 costs 5 € at Zürich @ noon', { maxParts: 1, referenceNumber: 0 })
    assert.equal(plan.dataCoding, 0)
    await submitPart(plan.parts[0] as SmsPart)
  })

  test('submit_sm carries UCS-2 octets and data_coding 8 to jsmpp unchanged', async () => {
    // A surrogate pair (the emoji) goes as two UTF-16 code units.
    const plan = planSms('Привет из smsgw 👋', { maxParts: 1, referenceNumber: 0 })
    assert.equal(plan.dataCoding, 8)
    await submitPart(plan.parts[0] as SmsPart)
  })

  test('submit_sm parts of a long text keep their UDH and esm_class 0x40 through jsmpp', async () => {
    const plan = planSms('Concatenated interop text. '.repeat(8), { maxParts: 3, referenceNumber: 42 })
    assert.equal(plan.parts.length, 2)
    for (const part of plan.parts) {
      assert.equal(part.esmClass, 0x40)
      await submitPart(part)
    }
  })

  test('deliver_sm receipt from jsmpp parses with parseReceiptText and names the message id', async () => {
    assert.ok(esme)
    const plan = planSms('Receipt please: 12345 and more text after', { maxParts: 1, referenceNumber: 0 })
    const messageId = await submitPart(plan.parts[0] as SmsPart, true)

    const receipt = await esme.nextRequest('deliver_sm', WAIT_MS)
    assert.equal(await smsc.waitFor(`RECEIPT ${messageId}`, WAIT_MS), `RECEIPT ${messageId}`)
    assert.equal(receipt.body.dataCoding, 0)
    assertReceipt(receipt, messageId)
  })

  test('deliver_sm MO that jsmpp sends in GSM 7-bit decodes to its text', async () => {
    assert.ok(esme)
    smsc.injectMo(recipient, '12345', 'Reply YES to confirm')
    const mo = await esme.nextRequest('deliver_sm', WAIT_MS)
    assert.equal(mo.body.esmClass, 0)
    assert.equal(mo.body.dataCoding, 0)
    assert.equal(mo.body.sourceAddr, recipient)
    assert.equal(mo.body.destinationAddr, '12345')
    assert.equal(decodeUserData(mo.body.shortMessage, mo.body.dataCoding, false)?.text, 'Reply YES to confirm')
    assert.equal(await smsc.waitFor('MO_DELIVERED', WAIT_MS), `MO_DELIVERED 0 ${mo.body.shortMessage.toString('hex')}`)
  })

  test('deliver_sm MO that jsmpp sends in UCS-2 decodes to its text', async () => {
    assert.ok(esme)
    smsc.injectMo(recipient, '12345', 'Ja, gerne! 😀 Grüße')
    const mo = await esme.nextRequest('deliver_sm', WAIT_MS)
    assert.equal(mo.body.dataCoding, 8)
    assert.deepStrictEqual(mo.body.shortMessage, encodeUcs2('Ja, gerne! 😀 Grüße'))
    assert.equal(decodeUserData(mo.body.shortMessage, mo.body.dataCoding, false)?.text, 'Ja, gerne! 😀 Grüße')
    await smsc.waitFor('MO_DELIVERED', WAIT_MS)
  })

  test('deliver_sm MO part with a concatenation UDH arrives with its exact octets and esm_class', async () => {
    assert.ok(esme)
    const octets = Buffer.concat([encodeConcatUdh(7, 2, 1), encodeGsm7('€5 @ Zürich') as Buffer])
    smsc.injectMoOctets(recipient, '12345', 0, 0x40, octets)
    const mo = await esme.nextRequest('deliver_sm', WAIT_MS)
    assert.equal(mo.body.esmClass, 0x40)
    assert.deepStrictEqual(mo.body.shortMessage, octets)
    const decoded = decodeUserData(mo.body.shortMessage, mo.body.dataCoding, true)
    assert.equal(decoded?.text, '€5 @ Zürich')
    assert.deepStrictEqual(decoded?.concat, { ref: 7, referenceBits: 8, total: 2, seq: 1 })
    await smsc.waitFor('MO_DELIVERED', WAIT_MS)
  })

  test('enquire_link gets enquire_link_resp from jsmpp', async () => {
    assert.ok(esme)
    const response = await esme.request('enquire_link', {})
    assert.equal(response.command, 'enquire_link_resp')
    assert.equal(response.commandStatus, commandStatus.ESME_ROK)
    await smsc.waitFor('ENQUIRE_LINK', WAIT_MS)
  })

  test('enquire_link from jsmpp is answered and the session stays bound', async () => {
    assert.ok(esme)
    esme.discardRequests('enquire_link')
    // jsmpp sends one after SMSC_ENQUIRE_LINK_MS without a PDU from us.
    await esme.nextRequest('enquire_link', SMSC_ENQUIRE_LINK_MS + WAIT_MS)
    const response = await esme.request('enquire_link', {})
    assert.equal(response.commandStatus, commandStatus.ESME_ROK)
    assert.ok(!smsc.events.includes('UNBOUND'), 'still bound')
  })

  test('unbind gets unbind_resp and jsmpp reports the session unbound, then closed', async () => {
    assert.ok(esme)
    const response = await esme.request('unbind', {})
    assert.equal(response.command, 'unbind_resp')
    assert.equal(response.commandStatus, commandStatus.ESME_ROK)
    await smsc.waitFor('UNBOUND', WAIT_MS)
    // jsmpp closes its side only when its blocking read returns (the enquire_link timer, or
    // never when that is 0), so the ESME closes after unbind_resp.
    await esme.end(WAIT_MS)
    await smsc.waitFor('CLOSED', WAIT_MS)
    esme = undefined
  })
})
