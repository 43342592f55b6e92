/**
 * miniprogram-ci's offline `checkCodeQuality` over this project (what DevTools' 代码质量 panel checks:
 * package sizes, JS/WXML/WXSS minification, lazy code loading, unused files and components). Prints
 * the result items as JSON and exits (the library leaves a file watcher running). Argument: the project
 * root (default: this repository). Needs `npm run build`
 * first so miniprogram_npm/ and shared/ exist. `checkCodeQuality` reads no key, but the project
 * object insists on one being given, so a placeholder is passed.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * miniprogram-ci, loaded when used (it is large) and without its type declarations, which pull the
 * mini-program's global typings (`require`) into this Node program.
 */
function loadMiniprogramCi(): unknown {
  return createRequire(__filename)('miniprogram-ci');
}

/** One check of checkCodeQuality. */
export interface QualityItem {
  name: string;
  success: boolean;
  text: string;
  detail?: unknown;
}

/** Runs checkCodeQuality on the project at `projectRoot` (its project.config.json decides the settings). */
export async function checkMiniprogramQuality(projectRoot: string): Promise<QualityItem[]> {
  const config = JSON.parse(fs.readFileSync(path.join(projectRoot, 'project.config.json'), 'utf8')) as {
    appid: string;
  };
  const ci = loadMiniprogramCi() as {
    Project: new (options: Record<string, unknown>) => object;
    checkCodeQuality(project: object): Promise<QualityItem[]>;
  };
  const project = new ci.Project({
    appid: config.appid,
    type: 'miniProgram',
    projectPath: projectRoot,
    privateKey: 'checkCodeQuality reads no key',
    ignores: ['node_modules/**/*'],
  });
  return ci.checkCodeQuality(project);
}

if (require.main === module) {
  checkMiniprogramQuality(path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..'))).then(
    (items) => {
      console.log(JSON.stringify(items));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(`checkCodeQuality failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
