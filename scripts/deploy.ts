/**
 * `npm run deploy -- --env <envId> [--dry-run]`: deploys the built functions, HTTP access routes and
 * database collections declared in cloudbaserc.json with the CloudBase CLI (`tcb`, from @cloudbase/cli,
 * logged in with `tcb login`). Variable values come from the shell or a git-ignored `.env` (the CLI's
 * `{{env.NAME}}` dynamic variables); a missing one stops the deploy before anything is changed.
 * `--dry-run` prints the plan and touches nothing (works offline, without the CLI).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLOUDBASERC, cloudbasercText } from './platform/cloudbaserc';

/** One step of the plan: a CLI command, or a console step the CLI cannot do. */
export interface DeployStep {
  what: string;
  command?: string[];
}

interface Rc {
  functions: Array<{ name: string; envVariables: Record<string, string> }>;
  database: { collections: Array<{ name: string; acl: string; indexes: Array<{ name: string }> }> };
  httpAccess: Array<{ path: string; function: string }>;
}

/** The deploy plan for `envId`, read from the committed cloudbaserc.json. */
export function deployPlan(projectRoot: string, envId: string): DeployStep[] {
  const rc = JSON.parse(fs.readFileSync(path.join(projectRoot, CLOUDBASERC), 'utf8')) as Rc;
  const steps: DeployStep[] = rc.functions.map((fn) => ({
    what: `function ${fn.name} (${Object.keys(fn.envVariables).length} variables)`,
    command: ['tcb', 'fn', 'deploy', fn.name, '--force', '-e', envId, '--config-file', CLOUDBASERC],
  }));
  for (const route of rc.httpAccess)
    steps.push({
      what: `HTTP access ${route.path} → ${route.function}`,
      command: ['tcb', 'service', 'create', '-p', route.path, '-f', route.function, '-e', envId],
    });
  for (const collection of rc.database.collections)
    steps.push({
      what: `collection ${collection.name}: permission ${collection.acl}, indexes ${collection.indexes.map((i) => i.name).join(', ') || '-'} (console → 数据库, as declared in ${CLOUDBASERC})`,
    });
  return steps;
}

/** Names of the variables the functions need that the shell does not provide. */
export function missingVariables(projectRoot: string, env: NodeJS.ProcessEnv): string[] {
  const rc = JSON.parse(fs.readFileSync(path.join(projectRoot, CLOUDBASERC), 'utf8')) as Rc;
  const names = new Set(rc.functions.flatMap((fn) => Object.keys(fn.envVariables)));
  return [...names].filter((name) => !env[name]).sort();
}

function main(): void {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { env: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
    strict: true,
  });
  const root = path.resolve(__dirname, '..');
  if (!values.env) throw new Error('usage: npm run deploy -- --env <envId> [--dry-run]');
  if (fs.readFileSync(path.join(root, CLOUDBASERC), 'utf8') !== cloudbasercText(root))
    throw new Error(`${CLOUDBASERC} is out of date with the declarations: run npm run cloudbaserc`);
  if (!fs.existsSync(path.join(root, 'dist', 'cloudfunctions')) && !values['dry-run'])
    throw new Error('dist/cloudfunctions is missing: run npm run build first');
  const plan = deployPlan(root, values.env);
  const missing = missingVariables(root, process.env);
  console.log(`deploy plan for ${values.env} (${plan.length} steps):`);
  for (const step of plan)
    console.log(`  - ${step.what}${step.command ? `\n      $ ${step.command.join(' ')}` : ''}`);
  if (missing.length > 0) console.log(`variables not set in this shell: ${missing.join(', ')}`);
  if (values['dry-run']) return;
  if (missing.length > 0) throw new Error('set every variable above (shell or .env) before deploying');
  for (const step of plan) {
    if (!step.command) continue;
    const [bin, ...args] = step.command;
    const run = spawnSync(bin ?? 'tcb', args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ENV_ID: values.env },
    });
    if (run.status !== 0) throw new Error(`${step.what} failed (exit ${run.status ?? run.error?.message})`);
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`deploy: ${(error as Error).message}`);
    process.exit(1);
  }
}
