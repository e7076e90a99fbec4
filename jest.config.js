// Jest runs against the real PostgreSQL, Redis, Temporal and stripe-mock of the `test`
// profile, which globalSetup starts (or reuses) and migrates.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/env.ts'],
  testTimeout: 30_000,
  // Two cores: more workers only contend for the same CPUs as the services under test.
  maxWorkers: 2,
};
