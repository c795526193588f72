import { postgresStoreKind } from '../../store/store-kinds.ts'
import { describeRegistry } from './registry-cases.ts'

// The gateway-client registry over real HTTP, and its ports, on PostgreSQL (the cases: registry-cases.ts).

await describeRegistry(postgresStoreKind())
