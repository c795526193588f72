import assert from 'node:assert/strict'
import { loadPackageDefinition, type ServiceDefinition } from '@grpc/grpc-js'
import { loadSync } from '@grpc/proto-loader'
import { fileURLToPath } from 'node:url'

// The vault.v1 package from its .proto (relay-wire.md §1). keepCase keeps the wire's snake_case
// field names in the objects handlers see; defaults fill every unset proto3 scalar (implicit
// presence: unset == default), so a handler reads '' or false, never undefined; longs as numbers
// (the only integer is an int32).

export const VAULT_PROTO_PATH = fileURLToPath(new URL('./proto/vault.proto', import.meta.url))

export const LOADER_OPTIONS = Object.freeze({ keepCase: true, longs: Number, enums: String, defaults: true, arrays: true, objects: true, oneofs: false })

export function loadVaultPackage (): ReturnType<typeof loadPackageDefinition> {
  return loadPackageDefinition(loadSync(VAULT_PROTO_PATH, LOADER_OPTIONS))
}

/** The service definition of `vault.v1.Entity` (relay-wire.md §1), for Server.addService. */
export function entityServiceDefinition (): ServiceDefinition {
  return vaultServiceDefinition('Entity')
}

/** The service definition of `vault.v1.EntityInternal` (relay-wire.md §2, server to server). */
export function entityInternalServiceDefinition (): ServiceDefinition {
  return vaultServiceDefinition('EntityInternal')
}

function vaultServiceDefinition (name: 'Entity' | 'EntityInternal'): ServiceDefinition {
  const vault = loadVaultPackage().vault as Record<string, Record<string, { service: ServiceDefinition }>>
  const service = vault.v1?.[name]
  // vault.proto ships beside this file: without the service it is a broken build, not a user's failure (STYLE: node:assert).
  assert.ok(service !== undefined, `${VAULT_PROTO_PATH} has no vault.v1.${name}`)
  return service.service
}
