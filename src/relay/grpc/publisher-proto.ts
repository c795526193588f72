import assert from 'node:assert/strict'
import { loadPackageDefinition, type ServiceDefinition } from '@grpc/grpc-js'
import { loadSync } from '@grpc/proto-loader'
import { fileURLToPath } from 'node:url'
import { LOADER_OPTIONS } from './entity-proto.ts'

// The publisher.v1 package from its .proto (relay-wire.md §3), loaded as vault.v1 is: snake_case
// field names, every unset scalar its default, maps as plain objects.

export const PUBLISHER_PROTO_PATH = fileURLToPath(new URL('./proto/publisher.proto', import.meta.url))

export function loadPublisherPackage (): ReturnType<typeof loadPackageDefinition> {
  return loadPackageDefinition(loadSync(PUBLISHER_PROTO_PATH, LOADER_OPTIONS))
}

/** The service definition of `publisher.v1.Publisher`, for Server.addService. */
export function publisherServiceDefinition (): ServiceDefinition {
  const publisher = loadPublisherPackage().publisher as Record<string, Record<string, { service: ServiceDefinition }>>
  const service = publisher.v1?.Publisher
  assert.ok(service !== undefined, `${PUBLISHER_PROTO_PATH} has no publisher.v1.Publisher`)
  return service.service
}
