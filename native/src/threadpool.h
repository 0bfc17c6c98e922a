// A small persistent thread pool. run(n, fn) calls fn(task, worker) for every task in [0, n) and
// returns when all are done; the calling thread works too (as worker 0). Callers make results
// independent of which worker ran a task (each task writes its own outputs, reductions happen in
// a fixed order afterwards), so results are bitwise identical for any thread count.
//
// A region is done when its tasks are, not when every worker has looked at it: on a shared
// machine a worker may be descheduled for milliseconds, and a caller that has run every task
// itself must not wait for that worker to wake up just to say it found nothing to do (decoding
// runs ~100 regions per token; see poolStats). A late worker holds the region's shared state
// alive, finds no task left and never touches the caller's function.
//
// Hand-offs spin briefly before sleeping: decoding a token runs ~100 parallel regions a few tens
// of microseconds apart, and waking a thread sleeping on a condition variable takes about as
// long as a region. Workers and the caller spin for at most kSpinMicros after each region, then
// sleep, so an idle pool costs no CPU and a busy machine loses at most that much per region
// (the spin never waits for another thread to arrive, as ggml's barriers do).
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace engine {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return int(workers_.size()) + 1; }
  void run(int64_t n, const std::function<void(int64_t task, int worker)>& fn);

 private:
  // One parallel region: tasks are handed out from `next`; `finished` counts tasks run or
  // abandoned after a throw, and the region ends when it reaches n.
  struct Region {
    const std::function<void(int64_t, int)>* fn = nullptr;
    int64_t n = 0;
    std::atomic<int64_t> next{0};
    std::atomic<int64_t> finished{0};
    std::exception_ptr err;  // first exception a task threw (under the pool's mu_)
  };
  void workerLoop(int id);
  void drain(Region& r, int worker);

  std::vector<std::thread> workers_;
  std::mutex runMu_;  // one parallel region at a time: callers from different JS workers queue here
  std::mutex mu_;
  std::condition_variable wake_, done_;
  std::atomic<uint64_t> generation_{0};  // bumped under mu_ for each region
  bool stop_ = false;                    // under mu_
  std::atomic<bool> stopping_{false};    // stop_, readable while spinning
  int sleepers_ = 0;                     // workers waiting on wake_ (under mu_)
  std::shared_ptr<Region> region_;       // the current region (under mu_); null between regions
};

// Counters of the shared pool since the last reset, for profiling (the engine's own timers):
// regions run in parallel, tasks run by worker threads (the rest ran on the caller), and the
// time callers spent after their own share waiting for workers to finish theirs.
struct PoolStats {
  uint64_t regions = 0;
  uint64_t tasks = 0;
  uint64_t workerTasks = 0;
  uint64_t callerWaitNs = 0;
};
PoolStats poolStats();
void resetPoolStats();

// The engine's shared pool. setThreadCount replaces it (not while work is running).
ThreadPool& pool();
void setThreadCount(int threads);
int threadCount();

// Splits [0, n) into chunks and runs fn(begin, end) on the pool.
void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace engine
