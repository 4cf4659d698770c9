/**
 * HTTP load generator for the routing benchmark, run in a child process (forked by the
 * bench, job and result over IPC): its event loop, heap and garbage collections are not
 * the server's, as with a real switch. Two modes over keep-alive connections:
 *  - closed: `concurrency` requests in flight for `seconds` (maximum throughput);
 *  - open: requests sent on a fixed schedule of `rate` per second for `seconds`; each
 *    latency is measured from the request's scheduled time, so a stall counts against
 *    every request it delays (no coordinated omission). Between sends the worker sleeps
 *    in sub-millisecond steps (Atomics.wait), so the schedule itself adds little.
 */
import http from "node:http";
import { performance } from "node:perf_hooks";

export interface LoadJob {
  port: number;
  /** POST /api/routing/decide with the bodies, or GET this path (a floor: auth and HTTP only). */
  getPath?: string;
  token: string;
  bodies: string[];
  mode: "closed" | "open";
  seconds: number;
  concurrency: number;
  rate: number;
}
export interface LoadResult {
  sent: number;
  ok: number;
  errors: number;
  /** Count of each non-200 status ("error" for a failed connection). */
  failures: Record<string, number>;
  seconds: number;
  /** Milliseconds, one per completed request. */
  latencies: number[];
}

function run(job: LoadJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(job.concurrency, 64) });
  const latencies: number[] = [];
  let sent = 0;
  let ok = 0;
  let errors = 0;
  const failures: Record<string, number> = {};
  const fail = (what: string) => {
    errors++;
    failures[what] = (failures[what] ?? 0) + 1;
  };
  const send = (scheduled: number, done: () => void) => {
    const body = job.getPath ? "" : job.bodies[sent % job.bodies.length]!;
    sent++;
    const headers = job.getPath ? { authorization: `Bearer ${job.token}` } : { authorization: `Bearer ${job.token}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) };
    const req = http.request(
      { host: "127.0.0.1", port: job.port, method: job.getPath ? "GET" : "POST", path: job.getPath ?? "/api/routing/decide", agent, headers },
      (res) => {
        res.resume();
        res.on("end", () => {
          latencies.push(performance.now() - scheduled);
          if (res.statusCode === 200) ok++;
          else fail(String(res.statusCode));
          done();
        });
      },
    );
    req.on("error", (err: NodeJS.ErrnoException) => {
      fail(err.code ?? "error");
      done();
    });
    req.end(body);
  };
  return new Promise((resolve) => {
    const t0 = performance.now();
    const end = t0 + job.seconds * 1000;
    let inFlight = 0;
    const finish = () => {
      if (inFlight === 0) {
        agent.destroy();
        resolve({ sent, ok, errors, failures, seconds: (performance.now() - t0) / 1000, latencies });
      }
    };
    if (job.mode === "closed") {
      const next = () => {
        if (performance.now() >= end) {
          inFlight--;
          finish();
          return;
        }
        send(performance.now(), next);
      };
      for (let i = 0; i < job.concurrency; i++) {
        inFlight++;
        send(performance.now(), next);
      }
      return;
    }
    let due = 0;
    let stopped = false;
    const nap = new Int32Array(new SharedArrayBuffer(4));
    const done = () => {
      inFlight--;
      if (stopped) finish();
    };
    const tick = () => {
      const now = performance.now();
      while (t0 + (due * 1000) / job.rate <= Math.min(now, end)) {
        inFlight++;
        send(t0 + (due * 1000) / job.rate, done);
        due++;
      }
      if (now < end) {
        // Sleep until the next send is due, in steps of at most 0.2 ms (setTimeout's 1 ms
        // granularity would make every request up to a millisecond late), then let the
        // responses that arrived meanwhile in before looking again.
        const wait = t0 + (due * 1000) / job.rate - performance.now();
        if (wait > 0) Atomics.wait(nap, 0, 0, Math.min(wait, 0.2));
        setImmediate(tick);
      } else {
        stopped = true;
        finish();
      }
    };
    tick();
  });
}

if (process.send) {
  process.once("message", (job: LoadJob) => {
    void run(job).then((r) => process.send!(r, () => process.disconnect()));
  });
}
