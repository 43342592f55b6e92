import fs from 'node:fs';
import path from 'node:path';
import type { DrawnState } from './render';

/** The screens run's totals. */
export interface ScreensSummary {
  states: number;
  pages: number;
  testFiles: number;
  textsChecked: number;
  lowContrast: number;
  targetsChecked: number;
  smallTargets: number;
  touching: number;
}

/** Totals over every drawn state. */
export function summarise(states: DrawnState[]): ScreensSummary {
  const sum = (pick: (s: DrawnState) => number) => states.reduce((total, s) => total + pick(s), 0);
  return {
    states: states.length,
    pages: new Set(states.map((s) => s.page)).size,
    testFiles: new Set(states.map((s) => s.testFile)).size,
    textsChecked: sum((s) => s.audit.texts),
    lowContrast: sum((s) => s.audit.lowContrast.length),
    targetsChecked: sum((s) => s.audit.targets),
    smallTargets: sum((s) => s.audit.smallTargets.length),
    touching: sum((s) => s.audit.touching.length),
  };
}

/** Writes report.json (everything) and report.md (totals, then each state's findings). */
export function writeReport(outDir: string, states: DrawnState[], summary: ScreensSummary): void {
  const relative = (file: string) => path.relative(outDir, file);
  fs.writeFileSync(
    path.join(outDir, 'report.json'),
    JSON.stringify({ summary, states: states.map((s) => ({ ...s, png: relative(s.png) })) }, null, 2),
  );
  const lines = [
    '# Screens',
    '',
    `${summary.states} states of ${summary.pages} pages (${summary.testFiles} page-test files), 375 px at 2×.`,
    '',
    `Contrast: ${summary.textsChecked} texts checked, ${summary.lowContrast} below WCAG AA (4.5:1, large text 3:1).`,
    `Tap targets: ${summary.targetsChecked} checked, ${summary.smallTargets} under 44 × 44 px, ${summary.touching} pairs touching.`,
    '',
    '| state | page | findings |',
    '| --- | --- | --- |',
    ...states.map((s) => {
      const findings = [
        ...s.audit.lowContrast.map(
          (f) => `contrast ${f.ratio}:1 < ${f.needed} "${f.text}" ${f.color} on ${f.background}`,
        ),
        ...s.audit.smallTargets.map((f) => `target ${f.width}×${f.height} "${f.target}"`),
        ...s.audit.touching.map((f) => `touching "${f.a}" / "${f.b}"`),
      ];
      return `| [${s.name}](${relative(s.png)}) | ${s.page} | ${findings.join('<br>').replace(/\|/g, '\\|') || '—'} |`;
    }),
  ];
  fs.writeFileSync(path.join(outDir, 'report.md'), lines.join('\n') + '\n');
}
