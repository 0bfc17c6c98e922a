#include "threadpool.h"

#include "pool_mode.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>

namespace engine {

namespace {
thread_local bool tInsidePool = false;  // nested run() calls execute inline instead of deadlocking
std::unique_ptr<ThreadPool> gPool;
std::mutex gPoolMu;

constexpr int kSpinMicros = 100;

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Spins until done() or kSpinMicros have passed; true when done() became true.
template <class F>
bool spinUntil(F done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(kSpinMicros);
  for (int i = 0;; ++i) {
    if (done()) return true;
    cpuRelax();
    if ((i & 63) == 63 && std::chrono::steady_clock::now() >= until) return done();
  }
}
}  // namespace

ThreadPool::ThreadPool(int threads) {
  if (threads < 1) threads = 1;
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
    stopping_.store(true, std::memory_order_release);
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

namespace {
std::atomic<uint64_t> gRegions{0}, gTasks{0}, gWorkerTasks{0}, gCallerWaitNs{0};
// The reference mode (pool_mode.h): workers that have looked at the current region. One pool
// runs at a time (pool() / setThreadCount), one region at a time in it.
std::atomic<bool> gWaitForWorkers{false};
std::atomic<int> gLooked{0};
}  // namespace

void setPoolWaitsForWorkers(bool wait) { gWaitForWorkers.store(wait); }
bool poolWaitsForWorkers() { return gWaitForWorkers.load(); }

void ThreadPool::drain(Region& r, int worker) {
  int64_t ran = 0;
  for (;;) {
    const int64_t t = r.next.fetch_add(1, std::memory_order_acq_rel);
    if (t >= r.n) break;
    int64_t done = 1;
    try {
      (*r.fn)(t, worker);
      ++ran;
    } catch (...) {  // e.g. bad_alloc: handed to the caller instead of terminating the process
      {
        std::lock_guard<std::mutex> lk(mu_);
        if (!r.err) r.err = std::current_exception();
      }
      // Stop handing out tasks; the ones nobody claimed yet count as finished (abandoned).
      const int64_t prev = r.next.exchange(r.n, std::memory_order_acq_rel);
      if (prev < r.n) done += r.n - prev;
      if (r.finished.fetch_add(done, std::memory_order_acq_rel) + done == r.n) {
        std::lock_guard<std::mutex> lk(mu_);
        done_.notify_all();
      }
      break;
    }
    if (r.finished.fetch_add(done, std::memory_order_acq_rel) + done == r.n && worker != 0) {
      std::lock_guard<std::mutex> lk(mu_);  // the caller may be between its check and its wait
      done_.notify_all();
    }
  }
  if (worker != 0 && ran) gWorkerTasks.fetch_add(uint64_t(ran), std::memory_order_relaxed);
}

void ThreadPool::workerLoop(int id) {
  uint64_t seen = 0;
  tInsidePool = true;
  for (;;) {
    const bool woke = spinUntil([&] { return stopping_.load(std::memory_order_acquire) || generation_.load(std::memory_order_acquire) != seen; });
    std::shared_ptr<Region> r;
    {
      std::unique_lock<std::mutex> lk(mu_);
      if (!woke) {
        ++sleepers_;
        wake_.wait(lk, [&] { return stop_ || generation_.load(std::memory_order_relaxed) != seen; });
        --sleepers_;
      }
      if (stop_) return;
      seen = generation_.load(std::memory_order_relaxed);
      r = region_;  // null when the caller has finished that region already
    }
    if (!r) continue;
    drain(*r, id);
    if (gLooked.fetch_add(1, std::memory_order_acq_rel) + 1 == int(workers_.size())) {
      std::lock_guard<std::mutex> lk(mu_);
      done_.notify_all();
    }
  }
}

void ThreadPool::run(int64_t n, const std::function<void(int64_t, int)>& fn) {
  if (n <= 0) return;
  if (tInsidePool || workers_.empty() || n == 1) {
    for (int64_t t = 0; t < n; ++t) fn(t, 0);
    return;
  }
  std::lock_guard<std::mutex> regionLock(runMu_);
  auto r = std::make_shared<Region>();
  r->fn = &fn;
  r->n = n;
  const bool waitForWorkers = gWaitForWorkers.load(std::memory_order_relaxed);
  gLooked.store(0, std::memory_order_relaxed);
  bool anySleeping;
  {
    std::lock_guard<std::mutex> lk(mu_);
    region_ = r;
    generation_.fetch_add(1, std::memory_order_release);
    anySleeping = sleepers_ > 0;
  }
  if (anySleeping) wake_.notify_all();  // spinning workers see generation_ move by themselves
  tInsidePool = true;
  drain(*r, 0);
  tInsidePool = false;
  // Wait only for tasks a worker claimed and is still running; none claimed, no wait.
  uint64_t waitNs = 0;
  if (r->finished.load(std::memory_order_acquire) != n) {
    const auto w0 = std::chrono::steady_clock::now();
    if (!spinUntil([&] { return r->finished.load(std::memory_order_acquire) == n; })) {
      std::unique_lock<std::mutex> lk(mu_);
      done_.wait(lk, [&] { return r->finished.load(std::memory_order_acquire) == n; });
    }
    waitNs = uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - w0).count());
  }
  const int W = int(workers_.size());
  if (waitForWorkers && gLooked.load(std::memory_order_acquire) != W) {
    const auto w0 = std::chrono::steady_clock::now();
    if (!spinUntil([&] { return gLooked.load(std::memory_order_acquire) == W; })) {
      std::unique_lock<std::mutex> lk(mu_);
      done_.wait(lk, [&] { return gLooked.load(std::memory_order_acquire) == W; });
    }
    waitNs += uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - w0).count());
  }
  std::exception_ptr err;
  {
    std::lock_guard<std::mutex> lk(mu_);
    region_.reset();  // a worker waking from now on finds nothing to do
    err = r->err;
  }
  gRegions.fetch_add(1, std::memory_order_relaxed);
  gTasks.fetch_add(uint64_t(n), std::memory_order_relaxed);
  if (waitNs) gCallerWaitNs.fetch_add(waitNs, std::memory_order_relaxed);
  if (err) std::rethrow_exception(err);
}

PoolStats poolStats() {
  PoolStats s;
  s.regions = gRegions.load(std::memory_order_relaxed);
  s.tasks = gTasks.load(std::memory_order_relaxed);
  s.workerTasks = gWorkerTasks.load(std::memory_order_relaxed);
  s.callerWaitNs = gCallerWaitNs.load(std::memory_order_relaxed);
  return s;
}

void resetPoolStats() {
  gRegions.store(0);
  gTasks.store(0);
  gWorkerTasks.store(0);
  gCallerWaitNs.store(0);
}

ThreadPool& pool() {
  std::lock_guard<std::mutex> lk(gPoolMu);
  if (!gPool) {
    unsigned hc = std::thread::hardware_concurrency();
    gPool = std::make_unique<ThreadPool>(hc ? int(hc) : 1);
  }
  return *gPool;
}

void setThreadCount(int threads) {
  std::lock_guard<std::mutex> lk(gPoolMu);
  gPool = std::make_unique<ThreadPool>(threads < 1 ? 1 : threads);
}

int threadCount() { return pool().size(); }

void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  if (grain < 1) grain = 1;
  int64_t chunks = (n + grain - 1) / grain;
  pool().run(chunks, [&](int64_t c, int) { fn(c * grain, std::min(n, (c + 1) * grain)); });
}

}  // namespace engine
