import { Admin, findErrorBy } from '@platformatic/kafka'
import { clientOptions, type KafkaConnection } from './client-options.ts'

export interface TopicPlan {
  name: string
  compacted: boolean
}

/**
 * Creates the topics that do not exist yet. Compacted ones (`correl-id`, the ledger) get
 * cleanup.policy=compact; existing topics are left exactly as the operator made them.
 */
export async function ensureTopics (connection: KafkaConnection, topics: readonly TopicPlan[], layout: { partitions: number, replicationFactor: number }): Promise<string[]> {
  const admin = new Admin(clientOptions(connection, 'admin'))
  try {
    const existing = new Set(await admin.listTopics())
    const created: string[] = []
    for (const topic of topics.filter(plan => !existing.has(plan.name))) {
      try {
        await admin.createTopics({
          topics: [topic.name],
          partitions: layout.partitions,
          replicas: layout.replicationFactor,
          configs: topic.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : []
        })
        created.push(topic.name)
      } catch (error) {
        // Another instance may have created it between our list and our create. The broker says
        // so before its metadata lists the new topic, so listing again is not enough.
        if (findErrorBy(error as Error, 'apiId', 'TOPIC_ALREADY_EXISTS') !== null) continue
        if (!(await admin.listTopics()).includes(topic.name)) throw error
      }
    }
    return created
  } finally {
    await admin.close()
  }
}
