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
};
