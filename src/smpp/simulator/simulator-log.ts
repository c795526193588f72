import type { Logger } from '../../log/logger.ts'
import { commandStatus, commandStatusName } from '../codec/index.ts'
import type { SmscSimulator } from './smsc-simulator.ts'

// What the simulator logs: ids, system ids, states and statuses. Recipients are masked to their
// last two digits, and message text is never logged: the records hold it, the log lines do not.

const VISIBLE_DIGITS = 2

/** `address` with all but its last two characters replaced by `*`: `31612345678` → `*********78`. */
export function maskAddress (address: string): string {
  if (address.length <= VISIBLE_DIGITS) return '*'.repeat(address.length)
  return '*'.repeat(address.length - VISIBLE_DIGITS) + address.slice(-VISIBLE_DIGITS)
}

/** Logs the simulator's binds, submits, receipts and disconnections on `log`, one JSON line each. */
export function logSimulatorEvents (simulator: SmscSimulator, log: Logger): void {
  simulator.on('bind', event => {
    const fields = { event: 'bind', sessionId: event.sessionId, systemId: event.systemId, bindType: event.bindType, remoteAddress: event.remoteAddress }
    if (event.commandStatus === commandStatus.ESME_ROK) log.info(fields, 'bound')
    else log.warn({ ...fields, status: commandStatusName(event.commandStatus) }, 'bind refused')
  })
  simulator.on('unbind', event => {
    log.info({ event: 'unbind', sessionId: event.sessionId, systemId: event.systemId, bindType: event.bindType }, 'unbound')
  })
  simulator.on('submit', record => {
    log.info({
      event: 'submit',
      messageId: record.messageId,
      systemId: record.systemId,
      destination: maskAddress(record.destination),
      dataCoding: record.dataCoding,
      esmClass: record.esmClass,
      registeredDelivery: record.registeredDelivery,
      octets: record.shortMessage.length
    }, 'submit_sm accepted')
  })
  simulator.on('submitRefused', event => {
    const status = event.commandStatus === null ? 'never answered' : commandStatusName(event.commandStatus)
    log.info({ event: 'submitRefused', systemId: event.systemId, status }, 'submit_sm refused')
  })
  simulator.on('receipt', event => {
    log.info({
      event: 'receipt',
      messageId: event.messageId,
      receiptId: event.receiptId,
      systemId: event.systemId,
      destination: maskAddress(event.destination),
      stat: event.outcome,
      err: event.err,
      status: commandStatusName(event.commandStatus)
    }, 'receipt delivered')
  })
  simulator.on('disconnect', event => {
    log.info({ event: 'disconnect', sessionId: event.sessionId, systemId: event.systemId, reason: event.reason }, 'connection closed')
  })
}
