// Runs the bull job queue (npm `bull`, ioredis, Lua scripts for every state
// change) against the server on --port, as an application would use it.
// Driven by tests/integration/test_bull.py, against Strata and redis-server.
// Each check uses its own queue. Prints the plan ("1..N"), then "ok - <check>"
// or "not ok - <check>: <reason>" per check, and exits non-zero if any failed.
// --only <check> runs one.
'use strict';

const assert = require('node:assert/strict');
const Queue = require('bull');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const port = Number(option('--port', '6379'));
const host = option('--host', '127.0.0.1');
const only = option('--only', null);

const queues = [];
function newQueue(name, opts = {}) {
  // drainDelay: an idle worker's BRPOPLPUSH timeout, in seconds; close() waits for it.
  const q = new Queue(name, { redis: { host, port }, settings: { drainDelay: 1 }, ...opts });
  queues.push(q);
  return q;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
// Resolves when `event` fired `n` times; collects the arguments.
function collect(queue, event, n) {
  const seen = [];
  return new Promise((resolve) => {
    queue.on(event, (...args) => {
      seen.push(args);
      if (seen.length === n) resolve(seen);
    });
  });
}

const checks = {
  // Jobs added in bulk and one by one are processed with concurrency 3: at
  // most 3 run at once, and at some point more than one does.
  async concurrency() {
    const q = newQueue('concurrency');
    let running = 0;
    let peak = 0;
    q.process(3, async (job) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(50);
      running--;
      return job.data.x * 2;
    });
    const done = collect(q, 'completed', 10);
    await q.addBulk([...Array(5).keys()].map((x) => ({ data: { x } })));
    for (let x = 5; x < 10; x++) await q.add({ x });
    const results = (await within(10000, done, '10 completed')).map(([job, r]) => [job.data.x, r]);
    results.sort((a, b) => a[0] - b[0]);
    assert.deepEqual(results, [...Array(10).keys()].map((x) => [x, 2 * x]));
    assert.ok(peak <= 3 && peak >= 2, `peak concurrency ${peak}`);
    const counts = await q.getJobCounts();
    assert.equal(counts.completed, 10);
    assert.equal(counts.active + counts.waiting + counts.delayed + counts.failed, 0);
    const job = (await q.getCompleted())[0];
    assert.equal(await job.getState(), 'completed');
    assert.equal(job.returnvalue, job.data.x * 2);
  },

  // A job that throws fails; with attempts and a fixed backoff it is retried
  // and succeeds on its third attempt; the failure reasons are kept.
  async failuresAndRetries() {
    const q = newQueue('retries');
    const tries = {};
    q.process(async (job) => {
      tries[job.id] = (tries[job.id] || 0) + 1;
      if (job.data.kind === 'always') throw new Error('always fails');
      if (tries[job.id] < 3) throw new Error(`attempt ${tries[job.id]}`);
      return 'finally';
    });
    const failedEvents = [];
    q.on('failed', (job, err) => failedEvents.push([job.data.kind, err.message]));
    const completed = new Promise((resolve) => q.on('completed', (job, r) => resolve([job, r])));
    const t0 = Date.now();
    const flaky = await q.add({ kind: 'flaky' }, { attempts: 3, backoff: { type: 'fixed', delay: 200 } });
    const always = await q.add({ kind: 'always' }, { attempts: 2, backoff: 50 });
    const [job, result] = await within(10000, completed, 'the flaky job completing');
    assert.equal(job.id, flaky.id);
    assert.equal(result, 'finally');
    assert.ok(Date.now() - t0 >= 400, 'two backoffs of 200 ms');
    assert.equal(job.attemptsMade, 2);  // bull counts the failed attempts before completion
    await within(5000, (async () => {
      while ((await always.getState()) !== 'failed') await sleep(20);
    })(), 'the always-failing job');
    const failed = await q.getJob(always.id);
    assert.equal(failed.attemptsMade, 2);
    assert.equal(failed.failedReason, 'always fails');
    assert.equal(failed.stacktrace.length, 2);
    assert.deepEqual(failedEvents.filter(([k]) => k === 'flaky').map(([, m]) => m), ['attempt 1', 'attempt 2']);
    assert.equal(failedEvents.filter(([k]) => k === 'always').length, 2);
    assert.equal((await q.getJobCounts()).failed, 1);
  },

  // Delayed jobs wait in the delayed set and run after their delay, in order.
  async delayed() {
    const q = newQueue('delayed');
    const order = [];
    q.process(async (job) => {
      order.push([job.data.name, Date.now() - job.timestamp]);
    });
    const done = collect(q, 'completed', 3);
    await q.add({ name: 'late' }, { delay: 600 });
    await q.add({ name: 'early' }, { delay: 300 });
    await q.add({ name: 'now' });
    const counts = await q.getJobCounts();
    assert.equal(counts.delayed, 2);
    await within(10000, done, '3 completed');
    assert.deepEqual(order.map(([n]) => n), ['now', 'early', 'late']);
    assert.ok(order[1][1] >= 300 && order[2][1] >= 600, JSON.stringify(order));
  },

  // job.progress() is stored and published as a global 'progress' event.
  async progress() {
    const q = newQueue('progress');
    q.process(async (job) => {
      for (const p of [25, 50, 100]) await job.progress(p);
      return 'done';
    });
    const events = collect(q, 'progress', 3);
    const added = await q.add({});
    const seen = await within(5000, events, '3 progress events');
    assert.deepEqual(seen.map(([job, p]) => [job.id, p]), [[added.id, 25], [added.id, 50], [added.id, 100]]);
    await within(5000, added.finished(), 'the job finishing');
    assert.equal((await q.getJob(added.id)).progress(), 100);
  },

  // A repeatable job (every 150 ms, 3 times) runs 3 times and is listed.
  async repeatable() {
    const q = newQueue('repeat');
    const runs = [];
    q.process(async (job) => runs.push(job.data.tick));
    const done = collect(q, 'completed', 3);
    await q.add({ tick: 'r' }, { repeat: { every: 150, limit: 3 } });
    const repeatable = await q.getRepeatableJobs();
    assert.equal(repeatable.length, 1);
    assert.equal(repeatable[0].every, 150);
    await within(10000, done, '3 repeats');
    assert.deepEqual(runs, ['r', 'r', 'r']);
    await q.removeRepeatable({ every: 150, limit: 3 });
    assert.equal((await q.getRepeatableJobs()).length, 0);
  },

  // A globally paused queue keeps its jobs waiting; resume lets them run.
  async pauseResume() {
    const q = newQueue('pause');
    let processed = 0;
    q.process(async () => { processed++; });
    await q.isReady();
    await q.pause();
    assert.equal(await q.isPaused(), true);
    const done = collect(q, 'completed', 3);
    for (let i = 0; i < 3; i++) await q.add({ i });
    await sleep(300);
    assert.equal(processed, 0);
    const paused = await q.getJobCounts();  // added to the paused list, not wait
    assert.deepEqual([paused.paused, paused.waiting], [3, 0]);
    await q.resume();
    assert.equal(await q.isPaused(), false);
    await within(5000, done, '3 completed after resume');
    assert.equal(processed, 3);
  },

  // queue.clean removes finished jobs older than the grace period.
  async clean() {
    const q = newQueue('clean');
    q.process(async (job) => {
      if (job.data.fail) throw new Error('no');
    });
    const done = collect(q, 'completed', 4);
    const failed = collect(q, 'failed', 2);
    for (let i = 0; i < 4; i++) await q.add({ i });
    for (let i = 0; i < 2; i++) await q.add({ fail: true });
    await within(5000, Promise.all([done, failed]), 'jobs finishing');
    const delayed = await q.add({ later: true }, { delay: 60000 });
    await sleep(50);
    const removed = await q.clean(0, 'completed');
    assert.equal(removed.length, 4);
    assert.equal((await q.getJobCounts()).completed, 0);
    assert.equal((await q.clean(0, 'failed', 1)).length, 1);  // limit 1
    assert.equal((await q.getJobCounts()).failed, 1);
    assert.equal((await q.clean(0, 'delayed')).length, 1);
    assert.equal(await q.getJob(delayed.id), null);
    const counts = await q.getJobCounts();
    assert.deepEqual([counts.completed, counts.failed, counts.delayed], [0, 1, 0]);
    await q.empty();
  },

  // Priorities (lower runs first) and LIFO decide the order of waiting jobs;
  // a delayed job can be promoted; job data updates, logs, removeOnComplete,
  // and a failed job retried by hand.
  async priorityAndJobOps() {
    const q = newQueue('priority');
    await q.isReady();
    await q.pause();
    const order = [];
    const handled = collect(q, 'completed', 7);
    q.process(async (job) => {
      order.push(job.data.name);
      await job.log(`ran ${job.data.name}`);
      if (job.data.name === 'flaky' && !job.data.fixed) throw new Error('not fixed');
      return job.data.name;
    });
    await q.add({ name: 'fifo1' });
    await q.add({ name: 'fifo2' });
    await q.add({ name: 'lifo' }, { lifo: true });
    await q.add({ name: 'p5' }, { priority: 5 });
    await q.add({ name: 'p1' }, { priority: 1 });
    await q.add({ name: 'p3' }, { priority: 3 });
    assert.deepEqual(await q.getCountsPerPriority([1, 3, 5, 7]), { 1: 1, 3: 1, 5: 1, 7: 0 });
    const promoted = await q.add({ name: 'promoted' }, { delay: 60000, removeOnComplete: true });
    await promoted.promote();
    await q.resume();
    await within(5000, handled, '7 completed');
    assert.deepEqual(order, ['p1', 'p3', 'p5', 'lifo', 'fifo1', 'fifo2', 'promoted']);
    assert.equal(await q.getJob(promoted.id), null);  // removeOnComplete
    const logs = await q.getJobLogs((await q.getCompleted()).find((j) => j.data.name === 'p3').id);
    assert.deepEqual(logs, { logs: ['ran p3'], count: 1 });

    const failed = new Promise((resolve) => q.once('failed', (job) => resolve(job)));
    const flaky = await q.add({ name: 'flaky' });
    await within(5000, failed, 'the flaky job failing');
    assert.equal(await flaky.getState(), 'failed');
    const again = await q.getJob(flaky.id);
    await again.update({ name: 'flaky', fixed: true });
    const completed = new Promise((resolve) => q.once('completed', (job, r) => resolve([job.id, r])));
    await again.retry();
    assert.deepEqual(await within(5000, completed, 'the retried job'), [flaky.id, 'flaky']);
    assert.equal(await (await q.getJob(flaky.id)).isCompleted(), true);
  },

  // Two Queue objects on one queue name (two "processes"): jobs are shared out
  // without duplicates; job removal; a stalled-job check runs clean.
  async twoWorkers() {
    const a = newQueue('shared');
    const b = newQueue('shared');
    const seen = [];
    a.process(2, async (job) => { seen.push(['a', job.data.n]); await sleep(10); });
    b.process(2, async (job) => { seen.push(['b', job.data.n]); await sleep(10); });
    const done = collect(a, 'global:completed', 20);
    const producer = newQueue('shared');
    for (let n = 0; n < 20; n++) await producer.add({ n });
    await within(10000, done, '20 completed');
    const ns = seen.map(([, n]) => n).sort((x, y) => x - y);
    assert.deepEqual(ns, [...Array(20).keys()]);
    const removable = await producer.add({ n: 99 }, { delay: 60000 });
    await removable.remove();
    assert.equal(await producer.getJob(removable.id), null);
  },
};

async function main() {
  let failures = 0;
  const selected = Object.entries(checks).filter(([name]) => !only || name === only);
  console.log(`1..${selected.length}`);  // the plan: how many checks run
  for (const [name, check] of selected) {
    const t0 = Date.now();
    try {
      await within(30000, check(), name);
      console.log(`ok - ${name} (${Date.now() - t0} ms)`);
    } catch (err) {
      failures++;
      console.log(`not ok - ${name}: ${err && err.stack ? err.stack : err}`);
    }
  }
  await Promise.all(queues.map((q) => q.close().catch(() => {})));
  console.log(failures ? `${failures} failed` : 'all passed');
  process.exit(failures ? 1 : 0);
}

main().catch((err) => {
  console.log(`not ok - harness: ${err && err.stack ? err.stack : err}`);
  process.exit(2);
});
