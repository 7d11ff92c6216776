// One way to show a size in bytes to people, used by the renderer, the CLI, the reports and the
// disk-space errors alike (there were four copies: the Models page counted in 1000s, the CLI, the
// reports and the errors in 1024s, so one file had two sizes). The rule: powers of 1000, as file managers on macOS and Linux
// show sizes; 'en-US' separators whatever the locale, like `formatBp` (shared/bp.ts).
const UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** 512 -> "512 bytes", 1 -> "1 byte", 48_213 -> "48.2 KB", 123_456_789 -> "123 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'n/a';
  if (Math.abs(bytes) < 1000) return `${Math.round(bytes).toLocaleString('en-US')} byte${Math.round(bytes) === 1 ? '' : 's'}`;
  let value = bytes / 1000;
  let unit = 0;
  // Round first, so 999,999 bytes reads "1 MB", not "1,000 KB".
  while (Math.abs(Number(value.toFixed(value >= 100 ? 0 : 1))) >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 1 })} ${UNITS[unit]}`;
}
