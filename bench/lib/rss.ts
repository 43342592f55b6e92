import fs from 'node:fs';

/** Parent pid of every process, read from /proc (Linux); empty elsewhere. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return map;
  }
  for (const name of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command may hold spaces and parentheses: fields resume after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(Number(name), ppid);
    } catch {
      // The process ended while being listed.
    }
  }
  return map;
}

/** Resident bytes of one process (0 when unknown). */
function rssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Resident memory of a process and all its descendants, in bytes: the backend with its worker threads
 * (same process) and any child process it left running (e.g. esbuild's service). Falls back to this
 * process's own RSS where /proc is missing.
 */
export function treeRssBytes(root: number = process.pid): number {
  const ppids = parents();
  if (ppids.size === 0) return root === process.pid ? process.memoryUsage.rss() : 0;
  const tree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of ppids)
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
  }
  return [...tree].reduce((sum, pid) => sum + rssOf(pid), 0);
}

/** Samples `treeRssBytes` every `everyMs` until stopped; answers the peak seen. */
export function samplePeakRss(everyMs = 100, root: number = process.pid): { stop: () => number } {
  let peak = treeRssBytes(root);
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssBytes(root));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeRssBytes(root));
    },
  };
}

/** Bytes as whole megabytes (MiB). */
export function megabytes(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}
