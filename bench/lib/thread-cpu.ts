import fs from 'node:fs';

/** Kernel clock ticks per second for /proc CPU times (USER_HZ: 100 on every Linux Node supports). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) of this process's main thread, from /proc (Linux): the backend's event
 * loop, apart from its function instances (worker threads). Undefined where /proc is missing.
 */
export function mainThreadCpuMs(): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // The command may hold spaces and parentheses: fields resume after the last ')' (utime is field 14).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
