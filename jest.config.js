/** @type {import('jest').Config} */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }];

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  // Storage suites open their own databases; keep parallelism modest on small machines.
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  maxWorkers: 2,
  testTimeout: 30000,
};
