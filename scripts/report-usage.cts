/**
 * `node --require ./dist/scripts/report-usage.cjs …` writes the process's own CPU time (user+sys, ms) and peak RSS
 * (KiB) to $HAKO_BENCH_USAGE as it exits: what the start-up and no-op deploy benchmarks measure of a child.
 * CommonJS and preloaded with --require: an `--import`ed module would set up Node's ES module loader in a process
 * that otherwise never does (bin/hako and the CLI bundle's entry are CommonJS), and add its cost to the figure.
 */
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.HAKO_BENCH_USAGE;
  if (!file) return;
  const u = process.resourceUsage();
  writeFileSync(file, `${(u.userCPUTime + u.systemCPUTime) / 1000} ${u.maxRSS}`);
});
