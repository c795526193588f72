/**
 * The value of the environment variable `name`, which carries the address of one of the test
 * run's services. Throws when it is not set, naming the ways to get one: the global setup, or
 * `script start`, whose `scriptVariable` is to be exported as `name`.
 */
export function runServiceEnv (name: string, service: string, script: string, scriptVariable: string): string {
  const value = process.env[name]
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: run the tests with ` +
      `--test-global-setup=test/harness/global-setup.ts, or start ${service} with ` +
      `\`eval "$(${script} start)"\` and export ${name}=$${scriptVariable}`)
  }
  return value
}
