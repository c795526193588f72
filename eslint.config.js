import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['node_modules/**', '.tmp/**'] }),
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
      // `void promise` marks a promise deliberately left to run (its errors handled inside).
      'no-void': ['error', { allowAsStatement: true }]
    }
  }
]
