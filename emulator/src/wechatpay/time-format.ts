const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** RFC 3339 in Beijing time as WeChat Pay writes it: `2025-01-15T13:29:35.120+08:00`. */
export function beijingTime(epochMs: number): string {
  return new Date(epochMs + BEIJING_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** `yyyyMMdd` of an emulator time in Beijing. */
export function beijingDate(epochMs: number): string {
  return new Date(epochMs + BEIJING_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}
