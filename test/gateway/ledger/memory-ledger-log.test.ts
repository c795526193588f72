import { describe } from 'node:test'
import { MemoryLedgerLog } from '../../../src/gateway/ledger/memory-ledger-log.ts'
import { ledgerLogContract } from './ledger-log-contract.ts'

describe('MemoryLedgerLog', () => {
  ledgerLogContract(async () => {
    const log = new MemoryLedgerLog()
    return { log, size: () => log.size, close: () => {} }
  })
})
