/** 750 rpx is the screen width: at the 375 px the screens are drawn at, 1 rpx = 0.5 px. */
const PX_PER_RPX = 375 / 750;

/** Converts rpx lengths in a stylesheet to px for a 375 px wide screen. */
export function rpxToPx(css: string): string {
  return css.replace(
    /(-?\d*\.?\d+)rpx/gi,
    (_all, value: string) => `${+(Number(value) * PX_PER_RPX).toFixed(3)}px`,
  );
}
