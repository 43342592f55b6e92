/**
 * `npm run screens`: runs the mini-program page tests against the local backend with state capture on,
 * draws every state they reach with Debian Chromium at 375 px (WXML rendered by miniprogram-simulate,
 * the page's, app's and components' WXSS, rpx at 0.5 px), audits contrast and tap targets, and writes
 * PNGs, a contact sheet and a report to test-results/screens/. Approximations: docs/screens.md.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium } from '../test/helpers/chromium';
import { drawContactSheet, drawStates } from './screens/render';
import { summarise, writeReport } from './screens/report';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'test-results', 'screens');
const STATES = path.join(OUT, 'states');

/** Runs a command in the repository, inheriting output; exits with its status when it fails. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`screens: ${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

async function main(): Promise<void> {
  fs.rmSync(OUT, { recursive: true, force: true });
  run('npm', ['run', 'build', '--silent']);
  const pageTests = process.argv.slice(2);
  run('npx', ['jest', '--selectProjects', 'miniprogram', '--runInBand', ...pageTests], {
    ...process.env,
    WXLEND_SCREENS_DIR: STATES,
  });
  const browser = await launchChromium();
  try {
    const states = await drawStates(browser, STATES, path.join(OUT, 'png'));
    await drawContactSheet(browser, states, path.join(OUT, 'contact-sheet.png'));
    const summary = summarise(states);
    writeReport(OUT, states, summary);
    console.log(
      `screens: ${summary.states} states of ${summary.pages} pages from ${summary.testFiles} test files → ${path.relative(ROOT, OUT)}/`,
    );
    console.log(
      `screens: contrast ${summary.textsChecked} texts checked, ${summary.lowContrast} below WCAG AA; ` +
        `tap targets ${summary.targetsChecked} checked, ${summary.smallTargets} under 44 px, ${summary.touching} pairs touching`,
    );
  } finally {
    await browser.close();
  }
}

void main();
