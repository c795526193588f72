import { createPdu, shortMessageBody, type PduOf } from '../../src/smpp/codec/index.ts'

/**
 * The deliver_sm by which an SMSC reports the delivery state `stat` (DELIVRD, UNDELIV, …) of
 * the message it gave id `id`: a receipt for the gateway's receipt handler to match.
 */
export function receiptPdu (id: string, stat: string): PduOf<'deliver_sm'> {
  return createPdu('deliver_sm', 1, shortMessageBody({
    sourceAddr: '255712345678',
    destinationAddr: 'ACME',
    esmClass: 0x04,
    shortMessage: Buffer.from(`id:${id} sub:001 dlvrd:001 submit date:2611211000 done date:2611211001 stat:${stat} err:000 text:`, 'latin1')
  })) as PduOf<'deliver_sm'>
}
