// formatBytes: the one way sizes are shown (UI, CLI, reports, disk errors).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes } from '../../../shared/bytes';

test('sizes in powers of 1000, rounded before the unit is chosen, en-US separators', () => {
  const cases: [number, string][] = [
    [0, '0 bytes'],
    [1, '1 byte'],
    [999, '999 bytes'],
    [1000, '1 KB'],
    [48_213, '48.2 KB'],
    [123_456, '123 KB'],
    [999_499, '999 KB'],
    [999_999, '1 MB'],
    [1_250_000, '1.3 MB'],
    [4_641_652_000, '4.6 GB'],
    [5e15, '5,000 TB'],
    [Number.NaN, 'n/a'],
  ];
  for (const [n, want] of cases) assert.equal(formatBytes(n), want, String(n));
});
