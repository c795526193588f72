import { TelegramClient } from 'telegram'
import { Logger, LogLevel } from 'telegram/extensions/Logger.js'
import { StringSession } from 'telegram/sessions/index.js'
import type { ConnectTelegram } from './telegram-adapter.ts'

// The real ConnectTelegram: a GramJS client on a StringSession, connected to Telegram's data
// centres. Not exercised by the tests (MTProto needs Telegram's servers; docs/relay.md).

/** Ours: a few reconnects, then the publisher's own retry takes over. */
const CONNECTION_RETRIES = 2

export function gramJsConnect (options: { readonly apiId: number, readonly apiHash: string }): ConnectTelegram {
  return async session => {
    const client = new TelegramClient(new StringSession(session), options.apiId, options.apiHash, {
      connectionRetries: CONNECTION_RETRIES,
      // GramJS sleeps through short flood waits by itself; the publisher must see them (rate-limited, retry-after).
      floodSleepThreshold: 0,
      // GramJS logs to the console, phone numbers included; the relay logs what it decides itself.
      baseLogger: new Logger(LogLevel.NONE)
    })
    await client.connect()
    return client
  }
}
