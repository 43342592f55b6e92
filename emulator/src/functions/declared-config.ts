import path from 'node:path';
import type { FunctionConfig } from './api';
import { localEnvironment, readDeclarations } from './declarations';
import type { FunctionSource } from './discover';

/**
 * A project function's configuration with its deployment declaration applied (cloudbase/functions.json):
 * the declared timeout, the declared local values plus the git-ignored local file, and the catalogued
 * variables it does NOT declare withheld from what other services contribute (each function gets only
 * its own keys). Functions outside the project's cloudfunctions/ folder (test fixtures) are unchanged.
 */
export function applyDeclarations(
  projectRoot: string,
  source: FunctionSource,
  config: FunctionConfig,
): FunctionConfig {
  if (path.relative(path.join(projectRoot, 'cloudfunctions'), source.dir) !== source.name) return config;
  const declarations = readDeclarations(projectRoot);
  const declaration = declarations?.functions[source.name];
  if (!declarations || !declaration) return config;
  return {
    ...config,
    timeout: declaration.timeout,
    envVariables: { ...config.envVariables, ...localEnvironment(projectRoot, source.name, declaration) },
    withheldEnv: Object.keys(declarations.variables).filter((name) => !declaration.env.includes(name)),
  };
}
