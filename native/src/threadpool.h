// A small persistent thread pool. run(n, fn) calls fn(task, worker) for every task in [0, n) and
// returns when all are done; the calling thread works too (as worker 0). Callers make results
// independent of which worker ran a task (each task writes its own outputs, reductions happen in
// a fixed order afterwards), so results are bitwise identical for any thread count.
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
  void workerLoop(int id);
  void drain(int worker);

  std::vector<std::thread> workers_;
  std::mutex runMu_;  // one parallel region at a time: callers from different JS workers queue here
  std::mutex mu_;
  std::condition_variable wake_, done_;
  std::atomic<uint64_t> generation_{0};  // bumped under mu_ for each region
  bool stop_ = false;                    // under mu_
  std::atomic<bool> stopping_{false};    // stop_, readable while spinning
  int sleepers_ = 0;                     // workers waiting on wake_ (under mu_)
  const std::function<void(int64_t, int)>* fn_ = nullptr;
  int64_t n_ = 0;
  std::atomic<int64_t> next_{0};
  std::atomic<int> active_{0};    // workers still inside the current generation
  std::exception_ptr workerErr_;  // first exception a worker's task threw in this region (under mu_)
};

// The engine's shared pool. setThreadCount replaces it (not while work is running).
ThreadPool& pool();
void setThreadCount(int threads);
int threadCount();

// Splits [0, n) into chunks and runs fn(begin, end) on the pool.
void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace engine
