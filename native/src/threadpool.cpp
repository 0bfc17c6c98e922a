#include "threadpool.h"

#include <algorithm>
#include <exception>
#include <memory>

namespace engine {

namespace {
thread_local bool tInsidePool = false;  // nested run() calls execute inline instead of deadlocking
std::unique_ptr<ThreadPool> gPool;
std::mutex gPoolMu;
}  // namespace

ThreadPool::ThreadPool(int threads) {
  if (threads < 1) threads = 1;
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
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
    {
      std::unique_lock<std::mutex> lk(mu_);
      wake_.wait(lk, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
    }
    std::exception_ptr err;
    try {
      drain(id);
    } catch (...) {  // e.g. bad_alloc: handed to the caller instead of terminating the process
      err = std::current_exception();
      next_.store(n_);
    }
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (err && !workerErr_) workerErr_ = err;
      if (--active_ == 0) done_.notify_one();
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
  {
    std::lock_guard<std::mutex> lk(mu_);
    fn_ = &fn;
    n_ = n;
    next_.store(0);
    active_ = int(workers_.size());
    ++generation_;
  }
  wake_.notify_all();
  tInsidePool = true;
  std::exception_ptr err;
  try {
    drain(0);
  } catch (...) {
    err = std::current_exception();
    next_.store(n_);  // stop handing out tasks
  }
  tInsidePool = false;
  std::unique_lock<std::mutex> lk(mu_);
  done_.wait(lk, [&] { return active_ == 0; });
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
