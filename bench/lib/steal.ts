import fs from 'node:fs';

/** The machine's CPU time counters from /proc/stat (all cores, clock ticks), or undefined off Linux. */
function cpuTicks(): { steal: number; total: number } | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user).
    const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
    if (fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return undefined;
    return { steal: fields[7] as number, total: fields.reduce((sum, n) => sum + n, 0) };
  } catch {
    return undefined;
  }
}

/**
 * Measures the share of the machine's CPU time its hypervisor took for other guests (steal) while a
 * phase ran: on a virtual machine the "2 cores" a figure was measured on may have been far fewer.
 * `stop` answers the share (0–1), or -1 where /proc/stat is missing.
 */
export function measureSteal(): { stop: () => number } {
  const before = cpuTicks();
  return {
    stop() {
      const after = cpuTicks();
      if (!before || !after || after.total <= before.total) return -1;
      return (after.steal - before.steal) / (after.total - before.total);
    },
  };
}
