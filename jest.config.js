/** Jest runs TypeScript through SWC: no type checking here, `npm run typecheck` does that. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  setupFiles: ['<rootDir>/tests/support/setup-env.ts'],
  testTimeout: 60000,
};
