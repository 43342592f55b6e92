import type { CrashStep, FaultPlan } from './fault-plan';

/** Kills the whole backend at `step` when a crash fault is scripted for it (SIGKILL: nothing after runs). */
export function crashIfScripted(faults: FaultPlan, step: CrashStep): void {
  if (faults.takeCrash(step)) process.kill(process.pid, 'SIGKILL');
}
