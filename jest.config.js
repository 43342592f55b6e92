/** Jest runs the node-side suites (emulator, functions, server) and the mini-program page suites. */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
module.exports = {
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/test/miniprogram/'],
      transform: { '^.+\\.ts$': tsJest },
    },
  ],
  testTimeout: 30000,
};
