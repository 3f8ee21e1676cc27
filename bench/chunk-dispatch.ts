/**
 * What one job of a `core/chunks` session costs beyond its work (gradient boosting sends ~10k
 * jobs per 100-tree fit: histograms, partitions, split searches, merges), and what a helper
 * spinning for the next job costs the main thread's own serial work.
 *
 * - dispatch: J jobs back to back, each of `chunks` chunks of w µs of arithmetic, on 2 threads vs
 *   the same chunks on the calling thread alone (a one-thread session): wall and CPU per job, and
 *   the 2-thread speed-up (ideal: min(2, chunks)·, less the dispatch cost);
 * - a job after a serial gap of the caller's: past the helper's spin it sleeps, and the job waits
 *   for it to wake;
 * - serial work after a job (the helper still spinning for the next one) vs the same work in a
 *   one-thread session (same run, alternating): the ratio shows whether a spinning helper slows
 *   the main thread (on separate cores it should not; a loaded machine shows the core it takes).
 *
 * Figures are same-run ratios and CPU time; the load average is printed with them (2 cores shared).
 *
 *   node --import tsx bench/chunk-dispatch.ts [--jobs=2000]
 */
import os from "node:os";
import { ChunkSession } from "../src/core/index.js";

const args = process.argv.slice(2);
const jobs = Number(args.find((a) => a.startsWith("--jobs="))?.split("=")[1] ?? 2000);
const KERNEL = new URL("./_busy-kernel.js", import.meta.url);
const init = { work: new Int32Array(new SharedArrayBuffer(4)), data: new Float64Array(new SharedArrayBuffer(8 * 64)).fill(0.5), out: new Float64Array(new SharedArrayBuffer(8 * 64)) };
const runChunk = (await import("./_busy-kernel.js")).default(init);

/** Rounds of the kernel taking about `us` µs on this thread. */
function calibrate(us: number): number {
  if (us === 0) return 0;
  // warm the kernel up first: an unoptimised round is many times slower
  init.work[0] = 1;
  for (let i = 0; i < 20_000; i++) runChunk(0);
  init.work[0] = 200;
  const t = performance.now();
  for (let i = 0; i < 50; i++) runChunk(0);
  const perRound = (performance.now() - t) / (50 * 200);
  return Math.max(1, Math.round(us / 1000 / perRound));
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function timeJobs(threads: number, chunks: number, rounds: number): Promise<{ wall: number; cpu: number }> {
  const session = ChunkSession.open(KERNEL, init, threads);
  await session.started();
  init.work[0] = rounds;
  for (let j = 0; j < 50; j++) session.run(chunks, runChunk);
  const t = performance.now();
  const c = cpuMs();
  for (let j = 0; j < jobs; j++) session.run(chunks, runChunk);
  const wall = ((performance.now() - t) * 1000) / jobs;
  const cpu = ((cpuMs() - c) * 1000) / jobs;
  await session.close();
  return { wall, cpu };
}

/** Main-thread serial work of `rounds` right after each of J jobs of 2 empty chunks: µs per serial piece. */
async function serialAfterJobs(threads: number, rounds: number): Promise<number> {
  const session = ChunkSession.open(KERNEL, init, threads);
  await session.started();
  let serial = 0;
  for (let j = 0; j < jobs; j++) {
    init.work[0] = 0;
    session.run(2, runChunk);
    init.work[0] = rounds;
    const t = performance.now();
    runChunk(63);
    serial += performance.now() - t;
  }
  await session.close();
  return (serial * 1000) / jobs;
}

/** Wall µs per job of 2 chunks of `rounds`, each job after `gapRounds` of serial work on this thread (not counted). */
async function jobsAfterGap(threads: number, rounds: number, gapRounds: number): Promise<number> {
  const session = ChunkSession.open(KERNEL, init, threads);
  await session.started();
  const n = Math.min(jobs, 500);
  let inJobs = 0;
  for (let j = 0; j < n; j++) {
    init.work[0] = gapRounds;
    runChunk(63);
    init.work[0] = rounds;
    const t = performance.now();
    session.run(2, runChunk);
    inJobs += performance.now() - t;
  }
  await session.close();
  return (inJobs * 1000) / n;
}

const load0 = os.loadavg()[0];
console.log(`chunk-dispatch: ${jobs} jobs per figure; 1-min load average ${load0.toFixed(1)} on ${os.availableParallelism()} cores`);
for (const us of [0, 5, 50]) {
  const rounds = calibrate(us);
  for (const chunks of [2, 8]) {
    const one = await timeJobs(1, chunks, rounds);
    const two = await timeJobs(2, chunks, rounds);
    const overhead = two.wall - one.wall / Math.min(2, chunks);
    console.log(
      `work ${String(us).padStart(2)} µs × ${chunks} chunks: 1 thread ${one.wall.toFixed(1)} µs/job (cpu ${one.cpu.toFixed(1)}), 2 threads ${two.wall.toFixed(1)} µs/job (cpu ${two.cpu.toFixed(1)}) → ${(one.wall / two.wall).toFixed(2)}×; beyond an even split ${overhead.toFixed(1)} µs/job`,
    );
  }
}
// a job after a serial gap longer than the helper's spin finds it asleep: waking a sleeping
// thread costs 46–160 µs on this machine's virtual CPUs (1.3–15 µs for a spinning one)
const work50 = calibrate(50);
for (const gapUs of [50, 300, 800, 3000]) {
  const gapRounds = calibrate(gapUs);
  const one = await jobsAfterGap(1, work50, gapRounds);
  const two = await jobsAfterGap(2, work50, gapRounds);
  console.log(`job of 2 × 50 µs after a ${String(gapUs).padStart(4)} µs serial gap: 1 thread ${one.toFixed(1)} µs/job, 2 threads ${two.toFixed(1)} µs/job (ideal ${(one / 2).toFixed(1)})`);
}
const rounds = calibrate(100);
const ratios: number[] = [];
for (let rep = 0; rep < 3; rep++) {
  const alone = await serialAfterJobs(1, rounds);
  const spun = await serialAfterJobs(2, rounds);
  ratios.push(spun / alone);
  console.log(`serial 100 µs piece after each job: ${alone.toFixed(1)} µs with no helper, ${spun.toFixed(1)} µs with a helper spinning → ${(spun / alone).toFixed(2)}×`);
}
console.log(`load average ${load0.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after`);
process.exit(0);
