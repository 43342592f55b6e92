/** Jest runs the node-side suites (emulator, functions, server) and the mini-program page suites. */
const os = require('node:os');
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
module.exports = {
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/test/miniprogram/'],
      setupFiles: ['<rootDir>/test/setup-audit-keys.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      // Pages and components under miniprogram-simulate (jsdom), calling the real functions of a local backend.
      displayName: 'miniprogram',
      testEnvironment: '<rootDir>/test/miniprogram/environment.ts',
      testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
      roots: ['<rootDir>/test/miniprogram'],
      testMatch: ['**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/miniprogram/setup.ts'],
      // Packs miniprogram_npm (what DevTools' 构建 npm ships) when it is missing or stale.
      globalSetup: '<rootDir>/test/helpers/miniprogram-global-setup.ts',
      // Pages import shared code from miniprogram/shared/ (a build-time copy): tests use the source.
      moduleNameMapper: { '^(?:\\.\\./)+shared/(.*)$': '<rootDir>/shared/$1' },
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'miniprogram/tsconfig.json' }] },
    },
  ],
  testTimeout: 30000,
  // Suites wait on their backends' function workers much of the time: one jest worker per core (at least
  // two, at most four) keeps both cores of the reference machine busy; jest's default leaves one idle.
  maxWorkers: Math.max(2, Math.min(4, os.availableParallelism())),
};
