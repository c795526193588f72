export { ApiKeyFile, API_KEY_FILE_ENV, API_KEY_FILE_MODE, API_KEY_FILE_NAME, DEFAULT_API_KEY_RECHECK_INTERVAL_MS, apiKeyFilePath } from './api-key-file.ts'
export type { ApiKeyFileOptions } from './api-key-file.ts'
export type { ApiKeyInfo, ApiKeyOwner, ApiKeyStore, CreatedApiKey } from './api-key-store.ts'
export { apiKeyIdOf } from './api-key.ts'
