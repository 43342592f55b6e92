/** Fen → "1,234.56 元". */
export function yuan(fen: number): string {
  return `${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;
}

const chinaTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** Epoch ms → China time with its zone, e.g. "2026/12/01 10:00:00 (UTC+8)". */
export function beijing(ms: number | null | undefined): string {
  return typeof ms === 'number' ? `${chinaTime.format(ms)} (UTC+8)` : '—';
}

let serverOffsetMs = 0;

/** Aligns ages with the server's clock (`/workbench/me` answers its `now`). */
export function alignWithServer(serverNow: number): void {
  serverOffsetMs = serverNow - Date.now();
}

/** The server's current time as this tab estimates it. */
export function serverNow(): number {
  return Date.now() + serverOffsetMs;
}

/** How long ago, in minutes / hours / days. */
export function age(ms: number, now = serverNow()): string {
  const minutes = Math.max(0, Math.round((now - ms) / 60000));
  if (minutes < 60) return `${minutes} 分钟`;
  if (minutes < 1440) return `${Math.round(minutes / 60)} 小时`;
  return `${Math.round(minutes / 1440)} 天`;
}

/** A duration in ms as minutes / hours / days ("—" when there is none). */
export function duration(ms: number | null): string {
  return ms === null ? '—' : age(0, ms);
}
