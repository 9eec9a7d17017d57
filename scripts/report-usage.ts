/**
 * `node --import ./dist/scripts/report-usage.js …` writes the process's own CPU time (user+sys, ms) and peak RSS
 * (KiB) to $HAKO_BENCH_USAGE as it exits: what the start-up and no-op deploy benchmarks measure of a child.
 */
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.HAKO_BENCH_USAGE;
  if (!file) return;
  const u = process.resourceUsage();
  writeFileSync(file, `${(u.userCPUTime + u.systemCPUTime) / 1000} ${u.maxRSS}`);
});
