#include "threadpool.h"

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

void ThreadPool::drain(int worker) {
  for (;;) {
    int64_t t = next_.fetch_add(1);
    if (t >= n_) break;
    (*fn_)(t, worker);
  }
}

void ThreadPool::workerLoop(int id) {
  uint64_t seen = 0;
  tInsidePool = true;
  for (;;) {
    const bool woke = spinUntil([&] { return stopping_.load(std::memory_order_acquire) || generation_.load(std::memory_order_acquire) != seen; });
    if (!woke) {
      std::unique_lock<std::mutex> lk(mu_);
      ++sleepers_;
      wake_.wait(lk, [&] { return stop_ || generation_.load(std::memory_order_relaxed) != seen; });
      --sleepers_;
    }
    // The region's fields (fn_, n_, next_) were written before generation_ moved (release);
    // this acquire load orders the reads in drain() after them.
    if (stopping_.load(std::memory_order_acquire)) return;
    seen = generation_.load(std::memory_order_acquire);
    std::exception_ptr err;
    try {
      drain(id);
    } catch (...) {  // e.g. bad_alloc: handed to the caller instead of terminating the process
      err = std::current_exception();
      next_.store(n_);
    }
    if (err) {
      std::lock_guard<std::mutex> lk(mu_);
      if (!workerErr_) workerErr_ = err;
    }
    if (active_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<std::mutex> lk(mu_);  // the caller may be between its check and its wait
      done_.notify_one();
    }
  }
}

void ThreadPool::run(int64_t n, const std::function<void(int64_t, int)>& fn) {
  if (n <= 0) return;
  if (tInsidePool || workers_.empty() || n == 1) {
    for (int64_t t = 0; t < n; ++t) fn(t, 0);
    return;
  }
  std::lock_guard<std::mutex> region(runMu_);
  bool anySleeping;
  {
    std::lock_guard<std::mutex> lk(mu_);
    fn_ = &fn;
    n_ = n;
    next_.store(0);
    active_.store(int(workers_.size()), std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    anySleeping = sleepers_ > 0;
  }
  if (anySleeping) wake_.notify_all();  // spinning workers see generation_ move by themselves
  tInsidePool = true;
  std::exception_ptr err;
  try {
    drain(0);
  } catch (...) {
    err = std::current_exception();
    next_.store(n_);  // stop handing out tasks
  }
  tInsidePool = false;
  spinUntil([&] { return active_.load(std::memory_order_acquire) == 0; });
  std::unique_lock<std::mutex> lk(mu_);
  done_.wait(lk, [&] { return active_.load(std::memory_order_acquire) == 0; });
  fn_ = nullptr;
  if (!err) err = workerErr_;
  workerErr_ = nullptr;
  if (err) std::rethrow_exception(err);
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
