import type { StatusEvent } from '../../../src/domain/status-event.ts'
import type { StatusFeed } from '../../../src/gateway/status/status-feed.ts'

/** An in-memory StatusFeed for the dashboard tests: the statuses it was given, by request. */
export class StatusFeedFake implements StatusFeed {
  readonly events: StatusEvent[] = []

  add (event: StatusEvent): void {
    this.events.push(event)
  }

  async history (clientId: string, correlId: string): Promise<StatusEvent[]> {
    return this.events.filter(event => event.clientId === clientId && event.correlId === correlId)
  }

  subscribe (): () => void {
    return () => {}
  }
}
