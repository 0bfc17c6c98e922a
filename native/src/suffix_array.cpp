#include "suffix_array.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace engine {
namespace {

// The induction passes jump at random over the text, the table and the LMS list: hundreds of MB
// at 100M tokens, where with 4 KiB pages nearly every step also misses the TLB. Advising the big
// arrays MADV_HUGEPAGE before their first touch lets the kernel back them with 2 MiB pages (where
// transparent huge pages are in `madvise` or `always` mode; measured: a 100M-token build 1.2x
// faster, bench/RESULTS.md). Advice only: values are the same, and failure leaves 4 KiB pages.
void adviseHugePages(void* p, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t kHuge = uintptr_t(2) << 20;
  const uintptr_t b = (uintptr_t(p) + kHuge - 1) & ~(kHuge - 1), e = (uintptr_t(p) + bytes) & ~(kHuge - 1);
  if (e > b) ::madvise(reinterpret_cast<void*>(b), e - b, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

// An uninitialised array (new T[n] leaves a fresh allocation untouched), advised as above; the
// caller writes every element before reading it.
template <typename T>
std::unique_ptr<T[]> bigArray(size_t n) {
  std::unique_ptr<T[]> a(new T[n]);
  adviseHugePages(a.get(), n * sizeof(T));
  return a;
}

// Bucket starts (end=false) or ends (end=true) per symbol, from the symbol counts.
void buckets(const std::vector<int32_t>& count, std::vector<int32_t>& bkt, bool end) {
  int32_t sum = 0;
  for (size_t c = 0; c < count.size(); c++) {
    sum += count[c];
    bkt[c] = end ? sum : sum - count[c];
  }
}

// How far ahead the induction loops prefetch: the symbol before a suffix lies anywhere in the
// text, so without it each step waits on a cache miss.
constexpr int32_t kAhead = 64;

inline void prefetchRead(const void* p) { __builtin_prefetch(p, 0, 0); }

constexpr int32_t kBlock = 8192;
constexpr int kSlots = 16;  // up to 15 blocks ahead: slack for a helper scheduled unevenly

inline int32_t loadEntry(const int32_t* p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
inline void storeEntry(int32_t* p, int32_t v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }

// The look-ahead's blocks, one set per build (the crew's): slot k % kSlots holds block k of the
// pass numbered `pass` once tag[k % kSlots] == pass << 32 | k. A helper still busy with an earlier
// pass (it started late, or was descheduled) sees `pass` move on and stops; what it wrote under
// its own pass's tags is never taken.
struct Lookahead {
  std::vector<int32_t> seen, out, sym;
  std::atomic<int64_t> tag[kSlots];
  std::atomic<int64_t> pass{0};
  std::atomic<int64_t> done{0};  // blocks the current pass has finished
  std::atomic<int> active{0};    // 1 while the helper is inside lookAhead (see inducePass's end)
  Lookahead() : seen(size_t(kSlots) * kBlock), out(size_t(kSlots) * kBlock), sym(size_t(kSlots) * kBlock) {
    for (auto& t : tag) t.store(-1);
  }
};

// The build's second thread: ONE worker, started once per build, instead of a thread per step.
// On a busy machine a thread may wait milliseconds for a core; a build that started and joined
// a thread per induction pass and per split step (some 20) waited for that each time. Here the
// caller never waits for work the worker has not started: share() hands out parts one at a time
// and the caller runs every part the worker has not claimed (it waits only for a part in
// progress), and offer() gives the worker a job the caller does not need (the look-ahead below)
// and waits for it only while it is inside a block when its pass ends. A job that arrives late
// finds its parts taken or its pass over and returns. The caller's results never depend on which thread ran what.
class Crew {
 public:
  explicit Crew(int threads) {
    if (threads > 1) {
      ahead_ = std::make_unique<Lookahead>();
      worker_ = std::thread([this]() { loop(); });
    }
  }
  ~Crew() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_ = true;
    }
    wake_.notify_one();
    if (worker_.joinable()) worker_.join();
  }
  Crew(const Crew&) = delete;
  Crew& operator=(const Crew&) = delete;
  bool active() const { return worker_.joinable(); }
  Lookahead* lookahead() { return ahead_.get(); }

  // Runs fn(part) for every part in [0, parts) and returns when all are done.
  void share(int64_t parts, const std::function<void(int64_t)>& fn) {
    if (!active() || parts <= 1) {
      for (int64_t t = 0; t < parts; t++) fn(t);
      return;
    }
    auto job = std::make_shared<Job>();
    job->fn = &fn;
    job->n = parts;
    post(job);
    drain(*job, false);
    if (job->finished.load(std::memory_order_acquire) != parts) {
      for (int i = 0; i < 2000 && job->finished.load(std::memory_order_acquire) != parts; i++) relax();
      std::unique_lock<std::mutex> lk(mu_);
      done_.wait(lk, [&]() { return job->finished.load(std::memory_order_acquire) == parts; });
    }
    withdraw(job);
  }

  // Gives fn (which owns what it uses) to the worker; the caller goes on at once. Returns a
  // handle for withdraw(): a worker that has not started fn by then never will.
  std::shared_ptr<void> offer(std::function<void()> fn) {
    auto job = std::make_shared<Job>();
    job->side = std::move(fn);
    post(job);
    return job;
  }
  void withdraw(const std::shared_ptr<void>& job) {
    std::lock_guard<std::mutex> lk(mu_);
    if (job_ == job) job_.reset();
  }

 private:
  struct Job {
    const std::function<void(int64_t)>* fn = nullptr;  // share(): valid while parts are unclaimed
    int64_t n = 0;
    std::atomic<int64_t> next{0}, finished{0};
    std::function<void()> side;  // offer()
  };
  static void relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  void post(const std::shared_ptr<Job>& job) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      job_ = job;
      gen_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_one();
  }
  void drain(Job& job, bool worker) {
    for (;;) {
      const int64_t t = job.next.fetch_add(1, std::memory_order_acq_rel);
      if (t >= job.n) return;
      (*job.fn)(t);
      if (job.finished.fetch_add(1, std::memory_order_acq_rel) + 1 == job.n && worker) {
        std::lock_guard<std::mutex> lk(mu_);  // the caller may be between its check and its wait
        done_.notify_all();
      }
    }
  }
  void loop() {
    uint64_t seen = 0;
    for (;;) {
      // Jobs follow each other within a millisecond or so: spin a little before sleeping.
      for (int i = 0; i < 4000 && gen_.load(std::memory_order_acquire) == seen; i++) relax();
      std::shared_ptr<Job> job;
      {
        std::unique_lock<std::mutex> lk(mu_);
        wake_.wait(lk, [&]() { return stop_ || gen_.load(std::memory_order_relaxed) != seen; });
        if (stop_) return;
        seen = gen_.load(std::memory_order_relaxed);
        job = job_;  // null when the caller has finished it already
      }
      if (!job) continue;
      if (job->side) job->side();
      else drain(*job, true);
    }
  }

  std::unique_ptr<Lookahead> ahead_;
  std::thread worker_;
  std::mutex mu_;
  std::condition_variable wake_, done_;
  std::atomic<uint64_t> gen_{0};
  bool stop_ = false;         // under mu_
  std::shared_ptr<Job> job_;  // the latest job (under mu_); null once the caller has finished it
};

// Splits [0, n) into ranges and runs fn(part, begin, end) on each, shared by the crew. With a
// worker there are up to 64 parts, so the one it may be in the middle of when the caller has run
// out is short; small ranges stay whole (below some 64k items a hand-off costs more than it saves).
struct Ranges {
  int64_t n;
  int parts;
  int64_t per;
  Crew& crew;
  Ranges(int64_t n_, Crew& crew_) : n(n_), crew(crew_) {
    parts = crew.active() ? int(std::min<int64_t>(n / (1 << 16) + 1, 64)) : 1;
    per = (n + parts - 1) / std::max(1, parts);
  }
  int64_t begin(int t) const { return std::min(n, t * per); }
  int64_t end(int t) const { return std::min(n, (t + 1) * per); }
  template <typename F>
  void run(const F& fn) const {
    crew.share(parts, [&fn, this](int64_t t) { fn(int(t), begin(int(t)), end(int(t))); });
  }
};

template <typename F>
void parallelRanges(int64_t n, Crew& crew, const F& fn) {
  Ranges(n, crew).run([&fn](int, int64_t b, int64_t e) { fn(b, e); });
}

// One induction pass, left to right (L pass: entries v > 0 induce v-1 at their bucket's start)
// or right to left (S pass: entries v < 0 induce ~v-1 at their bucket's end). Each step reads the
// symbol before a suffix that lies anywhere in the text; that read and the flag of the induced
// entry depend only on the entry, so a second thread can work them out a block ahead
// (Lookahead): the pass itself stays one sequential loop over the table and its bucket pointers,
// and takes a block's precomputed steps when the entry it reads is the one the helper saw. An
// entry the helper saw empty (written by the pass after the helper passed) is worked out in the
// loop, so the result never depends on timing. A slot is written at most once before the pass
// reads it, so a value the helper saw is that slot's value or is replaced only by one the pass
// checks again.
// The step of entry v: the bucket symbol and the value to write, or false when v induces nothing.
template <typename T, bool L>
inline bool step(const T* s, int32_t v, T& c, int32_t& out) {
  if (L ? v <= 0 : v >= 0) return false;
  const int32_t j = (L ? v : ~v) - 1;
  c = s[j];
  out = L ? (j > 0 && s[j - 1] < c ? ~j : j) : (j > 0 && s[j - 1] <= c ? ~j : j);
  return true;
}

// Block k of a pass over n entries: [lo, hi), the pass's k-th block in its direction.
template <bool L>
inline void blockRange(int32_t n, int64_t k, int32_t& lo, int32_t& hi) {
  lo = L ? int32_t(k * kBlock) : int32_t(std::max<int64_t>(0, n - (k + 1) * kBlock));
  hi = L ? int32_t(std::min<int64_t>(n, (k + 1) * kBlock)) : int32_t(n - k * kBlock);
}

// The helper's side of a pass: works out blocks 1.. of pass `pass` ahead of the pass. It runs on
// the crew's worker whenever that gets to it, possibly after the pass is over and sa holds other
// data: it stops as soon as la->pass moves on, and it only reads s within [0, n) (an entry out of
// that range counts as empty), so a late helper never reads outside the arrays.
// It marks itself active before its first look at the pass number, so a pass that ends waits
// for a helper inside it to leave (at most one block of work) and never writes sa or s under
// a helper still reading them; a helper that arrives after the pass ended sees it and leaves.
template <typename T, bool L>
void lookAhead(const T* s, const int32_t* sa, int32_t n, Lookahead* la, int64_t pass) {
  la->active.fetch_add(1, std::memory_order_seq_cst);
  struct Leave {
    Lookahead* la;
    ~Leave() { la->active.fetch_sub(1, std::memory_order_release); }
  } leave{la};
  const int64_t blocks = (int64_t(n) + kBlock - 1) / kBlock;
  int64_t k = 1;
  int spins = 0;
  while (la->pass.load(std::memory_order_seq_cst) == pass) {
    const int64_t done = la->done.load(std::memory_order_acquire);
    if (k <= done) k = done + 1;  // the pass went past: skip ahead of it
    if (k >= blocks) break;
    if (k >= done + kSlots) {  // every slot still holds a block the pass has not finished
      // The pass has kSlots blocks in hand (some 0.5 ms of work): sleeping a little costs it
      // nothing and spares the CPU when the pass's thread is descheduled on a busy machine.
      if (++spins > 64) std::this_thread::sleep_for(std::chrono::microseconds(50));
      continue;
    }
    spins = 0;
    const size_t base = size_t(k % kSlots) * kBlock;
    int32_t lo, hi;
    blockRange<L>(n, k, lo, hi);
    for (int32_t i = lo; i < hi; i++) {
      const int32_t a = int64_t(i) + 32 < hi ? loadEntry(sa + i + 32) : 0;
      if (L ? a > 0 : a < 0) prefetchRead(s + (L ? a : ~a) - 1);
      const int32_t v = loadEntry(sa + i);
      const size_t x = base + size_t(i - lo);
      T c;
      int32_t o;
      if ((L ? v <= n : v < -1 && ~v <= n) && step<T, L>(s, v, c, o)) {
        la->sym[x] = int32_t(c);
        la->out[x] = o;
        la->seen[x] = v;
      } else {
        la->seen[x] = 0;  // 0 induces nothing in either pass: never taken
      }
    }
    la->tag[k % kSlots].store(pass << 32 | k, std::memory_order_release);
    k++;
  }
}

template <typename T, bool L>
void inducePass(const T* s, int32_t* sa, int32_t n, std::vector<int32_t>& bkt, bool final, Crew& crew) {
  const int64_t blocks = (int64_t(n) + kBlock - 1) / kBlock;
  Lookahead* ahead = nullptr;
  int64_t pass = 0;
  std::shared_ptr<void> job;
  if (crew.active() && blocks > 8) {  // below some 64k entries the hand-off costs more than it saves
    ahead = crew.lookahead();
    pass = ahead->pass.load(std::memory_order_relaxed) + 1;
    ahead->done.store(0, std::memory_order_relaxed);
    ahead->pass.store(pass, std::memory_order_release);
    job = crew.offer([=]() { lookAhead<T, L>(s, sa, n, ahead, pass); });
  }
  auto visit = [&](int32_t i, T c, int32_t o) {
    if (L) {
      storeEntry(sa + bkt[size_t(c)]++, o);
      if (!final) storeEntry(sa + i, 0);  // an L-type suffix (or a seed, rewritten by the S pass) is not LMS
    } else {
      storeEntry(sa + i, final ? ~sa[i] : 0);
      storeEntry(sa + --bkt[size_t(c)], o);
    }
  };
  for (int64_t k = 0; k < blocks; k++) {
    int32_t lo, hi;
    blockRange<L>(n, k, lo, hi);
    const bool have = ahead && ahead->tag[k % kSlots].load(std::memory_order_acquire) == (pass << 32 | k);
    if (have) {
      const size_t base = size_t(k % kSlots) * kBlock;
      const int32_t* seen = ahead->seen.data() + base;
      const int32_t* sym = ahead->sym.data() + base;
      const int32_t* out = ahead->out.data() + base;
      for (int32_t t = 0; t < hi - lo; t++) {
        const int32_t i = L ? lo + t : hi - 1 - t;
        // The bucket pointers of a reduced string's large alphabet are out of cache: fetch the
        // one a few steps on (its symbol is known already).
        const int64_t ia = L ? int64_t(i) + 16 : int64_t(i) - 16;  // 64-bit: i may be near 2^31
        if (ia >= lo && ia < hi) prefetchRead(bkt.data() + sym[ia - lo]);
        const int32_t v = sa[i];
        const int32_t x = i - lo;
        if (v != 0 && seen[x] == v) {
          visit(i, T(sym[x]), out[x]);
        } else {
          T c;
          int32_t o;
          if (step<T, L>(s, v, c, o)) visit(i, c, o);
        }
      }
    } else {
      for (int32_t t = 0; t < hi - lo; t++) {
        const int32_t i = L ? lo + t : hi - 1 - t;
        const int64_t ia = L ? int64_t(i) + kAhead : int64_t(i) - kAhead;
        if (ia >= 0 && ia < n) {
          const int32_t a = sa[ia];
          if (L ? a > 0 : a < 0) prefetchRead(s + (L ? a : ~a) - 1);
        }
        T c;
        int32_t o;
        if (step<T, L>(s, sa[i], c, o)) visit(i, c, o);
      }
    }
    if (ahead) ahead->done.store(k + 1, std::memory_order_release);
  }
  if (ahead) {
    // Tell a helper still at work to stop and one not started to skip it, then wait for one
    // inside a block to leave it: what follows writes sa (and the recursion's text) with plain
    // stores, which must not overlap its reads. A running helper leaves within one block (tens of
    // microseconds); only one descheduled in the middle of a block costs a scheduling delay.
    ahead->pass.store(pass + 1, std::memory_order_seq_cst);
    crew.withdraw(job);
    for (int spins = 0; ahead->active.load(std::memory_order_seq_cst) != 0; spins++) {
      if (spins < 2000) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
      } else {
        std::this_thread::yield();
      }
    }
  }
}

// The induction passes of SA-IS keep no type array. Entries carry one flag in their sign instead,
// worked out when the entry is written (the symbols are needed there anyway):
// - L pass (left to right, bucket starts): v > 0 means "suffix v, whose predecessor v-1 is L-type
//   and is induced from it now". An L-type suffix j is written as j when j-1 is L too
//   (s[j-1] >= s[j] for L-type j) and as ~j when j-1 is S-type; suffix 0 as 0 (nothing before it).
// - S pass (right to left, bucket ends): v < 0 means "suffix ~v, whose predecessor is S-type and
//   is induced from it now". An S-type j is written as ~j when j-1 is S (s[j-1] <= s[j] for S-type
//   j) and as j otherwise (j is then LMS, or 0).
// 0 doubles as the empty slot: suffix 0 never induces anything, so the two cannot be confused
// in the passes. `final` keeps every suffix (stage 3); without it (stage 1) the passes drop all
// but the LMS suffixes, which come out as the only positive entries, in LMS-substring order.
template <typename T>
void induce(const T* s, int32_t* sa, int32_t n, const std::vector<int32_t>& count, std::vector<int32_t>& bkt, bool final, Crew& crew) {
  buckets(count, bkt, false);
  {
    const int32_t j = n - 1;  // the virtual sentinel's predecessor: L-type, first in its bucket
    sa[bkt[size_t(s[j])]++] = j > 0 && s[j - 1] < s[j] ? ~j : j;
  }
  inducePass<T, true>(s, sa, n, bkt, final, crew);
  buckets(count, bkt, true);
  inducePass<T, false>(s, sa, n, bkt, final, crew);
}

// SA-IS with a virtual sentinel at n (Nong, Zhang and Chan 2009; the sign-bit flags and the
// length-first naming as in Yuta Mori's sais). Suffix i is S-type when smaller than suffix i+1;
// i > 0 is LMS when S-type after an L-type. The sentinel is LMS and sorts first; it is never
// stored in sa. The crew shares the steps whose items are independent (naming the LMS
// substrings, mapping the reduced suffix array back); the inductions are sequential.
template <typename T>
void sais(const T* s, int32_t* sa, int32_t n, int32_t K, Crew& crew) {
  if (n == 0) return;
  if (n == 1) {
    sa[0] = 0;
    return;
  }
  std::vector<int32_t> count(static_cast<size_t>(K), 0), bkt(static_cast<size_t>(K));
  for (int32_t i = 0; i < n; i++) count[size_t(s[i])]++;

  // Stage 1: LMS positions at their bucket ends in any order; induction sorts the LMS substrings.
  // The LMS positions are also kept, last first, in `lms`: the substring lengths and stage 3
  // read them there instead of classifying the text twice more.
  for (int32_t i = 0; i < n; i++) sa[i] = 0;
  buckets(count, bkt, true);
  auto lms = bigArray<int32_t>(static_cast<size_t>(n / 2 + 1));
  int32_t m = 0;
  {
    bool nextS = false;  // n-1 is L-type (greater than the sentinel)
    for (int32_t i = n - 2; i >= 0; i--) {
      const bool isS = s[i] < s[i + 1] || (s[i] == s[i + 1] && nextS);
      if (nextS && !isS) {
        sa[--bkt[size_t(s[i + 1])]] = i + 1;
        lms[size_t(m++)] = i + 1;
      }
      nextS = isS;
    }
  }
  induce(s, sa, n, count, bkt, false, crew);

  // Compact the sorted LMS positions into sa[0..m); the rest of sa is zero.
  for (int32_t i = 0, k = 0; i < n; i++) {
    const int32_t v = sa[i];
    if (v > 0) {
      sa[i] = 0;
      sa[k++] = v;
    }
  }
  // Each LMS substring's length (to the next LMS position inclusive) at sa[m + p/2] (LMS positions
  // are >= 2 apart, so the slots never collide); the last one runs to the sentinel and is unique.
  const int32_t last = m > 0 ? lms[0] : -1;
  if (m > 0) sa[m + last / 2] = n - last + 1;
  for (int32_t k = 1; k < m; k++) sa[m + lms[size_t(k)] / 2] = lms[size_t(k - 1)] - lms[size_t(k)] + 1;

  // Name the substrings in sorted order: equal neighbours share a name. Two LMS substrings of
  // equal length and symbols also have equal types, so comparing symbols is enough. Each part
  // marks where a new name starts and counts them; the names then follow from the counts.
  std::vector<uint8_t> starts(static_cast<size_t>(m));
  const Ranges parts(m, crew);
  std::vector<int32_t> partNames(size_t(parts.parts) + 1, 0);
  parts.run([&](int t, int64_t b, int64_t e) {
    int32_t names = 0;
    for (int32_t i = int32_t(b); i < int32_t(e); i++) {
      if (int64_t(i) + 16 < e) {
        const int32_t a = sa[i + 16];
        prefetchRead(s + a);
        prefetchRead(sa + m + a / 2);
      }
      const int32_t p = sa[i];
      bool diff = i == 0 || p == last;
      if (!diff) {
        const int32_t prev = sa[i - 1], len = sa[m + p / 2];
        diff = prev == last || len != sa[m + prev / 2];
        for (int32_t d = 0; !diff && d < len; d++) diff = s[p + d] != s[prev + d];
      }
      starts[size_t(i)] = diff;
      names += diff;
    }
    partNames[size_t(t) + 1] = names;
  });
  for (int t = 0; t < parts.parts; t++) partNames[size_t(t) + 1] += partNames[size_t(t)];
  const int32_t names = partNames[size_t(parts.parts)];
  parts.run([&](int t, int64_t b, int64_t e) {
    int32_t name = partNames[size_t(t)];
    for (int32_t i = int32_t(b); i < int32_t(e); i++) {
      name += starts[size_t(i)];
      sa[m + sa[i] / 2] = name;  // name + 1: 0 marks the empty slots
    }
  });
  starts = std::vector<uint8_t>();
  for (int32_t i = n - 1, j = n - 1; i >= m; i--)
    if (sa[i] > 0) sa[j--] = sa[i] - 1;

  // Stage 2: sort the reduced string (its own virtual sentinel stands for ours).
  int32_t* s1 = sa + n - m;
  int32_t* sa1 = sa;
  if (names < m) {
    sais<int32_t>(s1, sa1, m, names, crew);
  } else {
    for (int32_t i = 0; i < m; i++) sa1[s1[i]] = i;
  }

  // Stage 3: sorted LMS suffixes at their bucket ends (right to left keeps their order), induce.
  // Reduced suffix r starts at the r-th LMS position, lms[m - 1 - r].
  parts.run([&](int, int64_t b, int64_t e) {
    for (int32_t i = int32_t(b); i < int32_t(e); i++) {
      if (int64_t(i) + 16 < e) prefetchRead(lms.get() + (m - 1 - sa1[i + 16]));
      sa1[i] = lms[size_t(m - 1 - sa1[i])];
    }
  });
  lms.reset();
  std::fill(sa + m, sa + n, 0);
  buckets(count, bkt, true);
  for (int32_t i = m - 1; i >= 0; i--) {
    if (i >= 16) prefetchRead(s + sa[i - 16]);
    const int32_t j = sa[i];
    sa[i] = 0;
    sa[--bkt[size_t(s[j])]] = j;
  }
  induce(s, sa, n, count, bkt, true, crew);
}

}  // namespace

void suffixArray(const int32_t* text, int32_t* sa, int64_t n, int32_t alphabet) {
  if (n < 0 || n >= INT32_MAX) throw std::invalid_argument("suffixArray: the text must hold fewer than 2^31 - 1 symbols");
  if (alphabet < 1) throw std::invalid_argument("suffixArray: the alphabet size must be >= 1");
  for (int64_t i = 0; i < n; i++)
    if (text[i] < 0 || text[i] >= alphabet)
      throw std::invalid_argument("suffixArray: symbol " + std::to_string(text[i]) + " at " + std::to_string(i) + " is outside [0, " + std::to_string(alphabet) + ")");
  Crew crew(1);
  sais<int32_t>(text, sa, int32_t(n), alphabet, crew);
}

void tokenSuffixTable(const uint8_t* bytes, int64_t n, int width, int ptrSize, uint8_t* out, int threads) {
  if (width != 2 && width != 4) throw std::invalid_argument("tokenSuffixTable: token width must be 2 or 4 bytes");
  if (ptrSize < 1 || ptrSize > 8) throw std::invalid_argument("tokenSuffixTable: pointer size must be 1..8 bytes");
  if (n < 0 || n >= INT32_MAX) throw std::invalid_argument("tokenSuffixTable: at most 2^31 - 2 tokens per index");
  const uint64_t maxOffset = uint64_t(n) * uint64_t(width);
  if (ptrSize < 8 && maxOffset >= (uint64_t(1) << (8 * ptrSize)))
    throw std::invalid_argument("tokenSuffixTable: " + std::to_string(ptrSize) + "-byte pointers cannot address " + std::to_string(maxOffset) + " bytes");
  // memcmp order of little-endian tokens = numeric order of the byte-swapped values (read as
  // big-endian). 2-byte tokens use that value directly as the symbol (alphabet 65536, kept in 16
  // bits: half the bytes for the induction's scattered reads); 4-byte ones are ranked among the
  // distinct values present, which keeps the buckets small.
  // With 4-byte pointers the suffix array is built in `out` itself and encoded in place (one
  // table's memory and page faults fewer); other widths need their own array.
  const bool inPlace = ptrSize == 4 && reinterpret_cast<uintptr_t>(out) % alignof(int32_t) == 0;
  std::vector<int32_t> own(inPlace ? 0 : static_cast<size_t>(n));
  // The caller's fresh output (a large zeroed allocation is not yet touched): advised in place.
  if (inPlace) adviseHugePages(out, size_t(n) * sizeof(int32_t));
  int32_t* sa = inPlace ? reinterpret_cast<int32_t*>(out) : own.data();
  // Declared before the crew: a late look-ahead may still read the text until the crew is gone.
  std::unique_ptr<uint16_t[]> text16;
  std::unique_ptr<int32_t[]> text32;
  Crew crew(threads);
  if (width == 2) {
    text16 = bigArray<uint16_t>(static_cast<size_t>(n));
    parallelRanges(n, crew, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; i++) text16[size_t(i)] = uint16_t(bytes[2 * i] << 8 | bytes[2 * i + 1]);
    });
    sais<uint16_t>(text16.get(), sa, int32_t(n), 65536, crew);
  } else {
    auto key = [&](int64_t i) {
      const uint8_t* p = bytes + 4 * i;
      return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
    };
    std::vector<uint32_t> distinct(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; i++) distinct[size_t(i)] = key(i);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    const int32_t alphabet = int32_t(std::max<size_t>(distinct.size(), 1));
    text32 = bigArray<int32_t>(static_cast<size_t>(n));
    parallelRanges(n, crew, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; i++) text32[size_t(i)] = int32_t(std::lower_bound(distinct.begin(), distinct.end(), key(i)) - distinct.begin());
    });
    distinct = std::vector<uint32_t>();
    sais<int32_t>(text32.get(), sa, int32_t(n), alphabet, crew);
  }
  parallelRanges(n, crew, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; i++) {
      uint64_t off = uint64_t(sa[i]) * uint64_t(width);  // read before the bytes over it are written
      uint8_t* p = out + i * ptrSize;
      for (int k = 0; k < ptrSize; k++, off >>= 8) p[k] = uint8_t(off & 0xff);
    }
  });
}

}  // namespace engine
