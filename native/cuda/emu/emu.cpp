// The host emulator's scheduler: how kernels run (see cuda_runtime.h for the model; the runtime API is
// emu_runtime.cpp).
//
// A launch runs its blocks one after another on the calling OS thread. The threads of a block are
// fibers: a fiber takes the next thread that has not started and runs it to its end,
// then the next, and so on; it only gives control back when its thread waits at a barrier. So a
// kernel without barriers costs two context switches per launch whatever its size, and a block
// needs as many fibers (stacks) as it has threads waiting at the same time. The scheduler
// (on the caller's stack) resumes released threads in order, starts new fibers for threads not
// yet started, and reports a deadlock when neither is possible.
//
// Fibers are ucontext stacks; on x86-64 the switch itself is a few instructions of assembly
// instead of swapcontext, which makes a sigprocmask system call at every switch and was half of
// the run time of the model tests (-DEMU_USE_UCONTEXT forces swapcontext everywhere).
#ifndef STUDIO_CUDA_EMULATED
#define STUDIO_CUDA_EMULATED 1
#endif
#include "cuda_runtime.h"

#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define EMU_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EMU_ASAN 1
#endif
#endif
#ifdef EMU_ASAN
#include <dlfcn.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace emu {
namespace detail {
uint3 tid_, bid_;
dim3 bdim_, gdim_;
}  // namespace detail
}  // namespace emu

namespace {

using emu::detail::bdim_;
using emu::detail::bid_;
using emu::detail::gdim_;
using emu::detail::tid_;

using emu::detail::fail;

// ------------------------------------------------------------------------------------------------
// Scheduler state. One launch at a time (gLaunchMutex), so it is a plain global.

constexpr size_t kStackSize = 256 * 1024;  // generous: ASan's redzones grow kernel frames

enum class St : uint8_t { NotStarted, Running, Ready, WaitBlock, WaitWarp, Done };

#if defined(__x86_64__) && !defined(EMU_USE_UCONTEXT)
#define EMU_ASM_SWITCH 1
// Saves rbp, rbx, r12-r15, MXCSR and the x87 control word (the callee-saved state of the SysV
// ABI) on the current stack, stores the stack pointer in *save, and resumes the stack `to`.
extern "C" void emu_switch_x64(void** save, void* to);
asm(R"(
  .pushsection .text
  .globl emu_switch_x64
  .hidden emu_switch_x64
  .type emu_switch_x64, @function
emu_switch_x64:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $8, %rsp
  stmxcsr (%rsp)
  fnstcw 4(%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  ldmxcsr (%rsp)
  fldcw 4(%rsp)
  addq $8, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size emu_switch_x64, .-emu_switch_x64
  .popsection
)");
struct Context {
  void* sp = nullptr;
};
#else
struct Context {
  ucontext_t uc;
};
#endif

struct Fiber {
  Context ctx;
  char* stack = nullptr;
  void* asanFakeStack = nullptr;  // ASan's fake stack of this fiber while it is switched out
};

struct Thread {
  St st = St::NotStarted;
  Fiber* fiber = nullptr;
  const char* what = nullptr;  // the barrier it waits at
  unsigned mask = 0;
};

struct Warp {
  int lanes = 0, waiting = 0, done = 0;
  uint32_t gen = 0;  // warp barriers released so far in this block
  // Shuffle/vote values, double-buffered by generation parity: a lane that already passed barrier
  // g writes the other buffer, which nobody reads until every lane has reached barrier g+1.
  uint64_t slot[2][32];
  uint32_t slotGen[2][32];
  const char* slotWhat[2][32];
};

struct Sched {
  const char* name = nullptr;
  void (*body)(void*) = nullptr;
  void* ctx = nullptr;
  uint64_t blocks = 0, block = 0;  // total and current (linear, x fastest)
  int n = 0;                        // threads per block
  int nextStart = 0, done = 0, waitBlock = 0;
  uint32_t blockGen = 0;
  int reduceCount[2] = {0, 0}, reduceArrived[2] = {0, 0};  // __syncthreads_count/and/or
  std::vector<Thread> th;
  std::vector<Warp> warps;
  std::deque<int> ready;
  int cur = -1;  // linear index of the running thread; -1 outside a kernel
  Fiber* curFiber = nullptr;
  Context mainCtx;
  const void* mainStack = nullptr;  // the launching thread's stack, for ASan's fiber switches
  size_t mainStackSize = 0;
  std::vector<Fiber*> freeFibers;
};
// Never destroyed: the engine may still launch or free from static destructors and other threads
// at exit, and LeakSanitizer must see the fiber pool as reachable.
Sched& S = *new Sched;

// EMU_ORDER=reverse runs a block's threads last to first (starts and releases after barriers) and
// lets a warp released from a shuffle run ahead of the rest of its block, so a kernel whose result
// depends on the order of its threads between two barriers (a missing __syncthreads, a
// shared-memory race) gives another result: tools/cuda-test.sh runs the tests both ways.
const bool kReverse = [] {
  const char* e = std::getenv("EMU_ORDER");
  return e && std::strcmp(e, "reverse") == 0;
}();
inline int ordered(int k, int n) { return kReverse ? n - 1 - k : k; }
std::mutex& gLaunchMutex = *new std::mutex;
thread_local bool tInLaunch = false;
std::map<std::string, long long>& gLaunches = *new std::map<std::string, long long>;  // under gLaunchMutex

[[noreturn]] void fatal(const char* fmt, const std::string& detail) {
  const uint3 t = tid_;
  std::fprintf(stderr, "emu: kernel %s block (%u,%u,%u) thread (%u,%u,%u): ", S.name ? S.name : "?", bid_.x, bid_.y, bid_.z, t.x, t.y, t.z);
  std::fprintf(stderr, fmt, detail.c_str());
  std::fprintf(stderr, "\n");
  std::fflush(stderr);
  std::abort();
}

int current(const char* what) {
  if (S.cur < 0 || !tInLaunch) {
    std::fprintf(stderr, "emu: %s called outside a kernel\n", what);
    std::abort();
  }
  return S.cur;
}

void setCurrent(int i) {
  S.cur = i;
  const unsigned bx = bdim_.x, by = bdim_.y;
  tid_ = uint3{unsigned(i) % bx, (unsigned(i) / bx) % by, unsigned(i) / (bx * by)};
}

// --- fiber switches (annotated for ASan, which otherwise reports false stack errors) ------------

#ifdef EMU_ASM_SWITCH
void switchContext(Context& save, const Context& to) { emu_switch_x64(&save.sp, to.sp); }
// A new stack whose first switch "returns" into entry, with the stack aligned as after a call.
void initContext(Context& c, char* stack, size_t size, void (*entry)()) {
  uint64_t* top = reinterpret_cast<uint64_t*>(stack + size);  // 16-byte aligned (page)
  top[-1] = 0;                                               // entry's return address: none
  top[-2] = reinterpret_cast<uint64_t>(entry);
  for (int k = 3; k <= 8; ++k) top[-k] = 0;  // rbp, rbx, r12-r15
  uint32_t csr[2] = {0, 0};
  asm volatile("stmxcsr %0\n\tfnstcw %1" : "=m"(csr[0]), "=m"(csr[1]));
  std::memcpy(&top[-9], csr, 8);
  c.sp = &top[-9];
}
#else
#ifdef EMU_ASAN
// ASan's own swapcontext interceptor only warns "doesn't fully support swapcontext" and clears the
// shadow of the target stack; with the fiber annotations below it is not needed, so call libc's.
void switchContext(Context& save, const Context& to) {
  using Fn = int (*)(ucontext_t*, const ucontext_t*);
  static Fn fn = [] {
    void* libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    void* f = libc ? dlsym(libc, "swapcontext") : nullptr;
    return f ? reinterpret_cast<Fn>(f) : &swapcontext;
  }();
  fn(&save.uc, &to.uc);
}
#else
void switchContext(Context& save, const Context& to) { swapcontext(&save.uc, &to.uc); }
#endif
void initContext(Context& c, char* stack, size_t size, void (*entry)()) {
  getcontext(&c.uc);
  c.uc.uc_stack.ss_sp = stack;
  c.uc.uc_stack.ss_size = size;
  c.uc.uc_link = nullptr;  // entry never returns
  makecontext(&c.uc, entry, 0);
}
#endif

void fiberEntry();

// Stacks are never freed: the pool grows to the most threads ever waiting at once (<= 1024).
__attribute__((noinline)) Fiber* newFiber() {
  const size_t page = size_t(sysconf(_SC_PAGESIZE));
  void* mem = mmap(nullptr, kStackSize + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mem == MAP_FAILED) {
    std::fprintf(stderr, "emu: cannot map a fiber stack\n");
    std::abort();
  }
  mprotect(mem, page, PROT_NONE);  // guard page: a kernel overflowing its stack faults right away
  Fiber* f = new Fiber;
  f->stack = static_cast<char*>(mem) + page;
  initContext(f->ctx, f->stack, kStackSize, fiberEntry);
  return f;
}

Fiber* takeFiber() {
  if (S.freeFibers.empty()) return newFiber();
  Fiber* f = S.freeFibers.back();
  S.freeFibers.pop_back();
  return f;
}

// Scheduler -> fiber; returns when the fiber parks or runs out of threads to start.
void resumeFiber(Fiber* f) {
  S.curFiber = f;
#ifdef EMU_ASAN
  void* fake = nullptr;
  __sanitizer_start_switch_fiber(&fake, f->stack, kStackSize);
#endif
  switchContext(S.mainCtx, f->ctx);
#ifdef EMU_ASAN
  __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#endif
  S.curFiber = nullptr;
}

// Fiber -> scheduler; returns when the scheduler resumes this fiber.
void toScheduler() {
  Fiber* f = S.curFiber;
#ifdef EMU_ASAN
  __sanitizer_start_switch_fiber(&f->asanFakeStack, S.mainStack, S.mainStackSize);
#endif
  switchContext(f->ctx, S.mainCtx);
#ifdef EMU_ASAN
  // The scheduler may run on another OS thread than last time: learn its stack again.
  __sanitizer_finish_switch_fiber(f->asanFakeStack, &S.mainStack, &S.mainStackSize);
#endif
}

// --- blocks and barriers --------------------------------------------------------------------------

void beginBlock(uint64_t linear) {
  S.block = linear;
  const uint64_t gx = gdim_.x, gy = gdim_.y;
  bid_ = uint3{unsigned(linear % gx), unsigned((linear / gx) % gy), unsigned(linear / (gx * gy))};
  S.nextStart = S.done = S.waitBlock = 0;
  S.blockGen = 0;
  S.reduceCount[0] = S.reduceCount[1] = S.reduceArrived[0] = S.reduceArrived[1] = 0;
  S.ready.clear();
  for (int i = 0; i < S.n; ++i) S.th[i] = Thread{};
  const int nw = (S.n + 31) / 32;
  for (int w = 0; w < nw; ++w) {
    Warp& wp = S.warps[w];
    wp.lanes = S.n - 32 * w < 32 ? S.n - 32 * w : 32;
    wp.waiting = wp.done = 0;
    wp.gen = 0;
    std::memset(wp.slotGen, 0xff, sizeof wp.slotGen);  // no lane has deposited anything
  }
}

void makeReady(int i, bool first = false) {
  S.th[i].st = St::Ready;
  if (first) S.ready.push_front(i);
  else S.ready.push_back(i);
}

void releaseBlock() {
  S.waitBlock = 0;
  for (int k = 0; k < S.n; ++k) {
    const int j = ordered(k, S.n);
    if (S.th[j].st == St::WaitBlock) makeReady(j);
  }
  ++S.blockGen;
  S.reduceCount[S.blockGen & 1] = S.reduceArrived[S.blockGen & 1] = 0;
}

[[noreturn]] void deadlock();

// Every thread that has not exited waits at a block barrier: release them if they all wait at the
// same __syncthreads (call site), else no thread can ever progress.
// `self`: the arriving thread, which goes on at once instead of being queued.
void completeBlockBarrier(int self) {
  const char* site = nullptr;
  for (int j = 0; j < S.n; ++j) {
    if (S.th[j].st != St::WaitBlock) continue;
    if (!site) site = S.th[j].what;
    else if (S.th[j].what != site && std::strcmp(S.th[j].what, site) != 0) deadlock();
  }
  if (self >= 0) S.th[self].st = St::Running;
  releaseBlock();
}

void releaseWarp(int w) {
  Warp& wp = S.warps[w];
  wp.waiting = 0;
  ++wp.gen;
  // In reverse mode a released warp also runs ahead of every other ready thread (its lanes go to
  // the front of the queue), so a warp can overtake the rest of its block between two barriers.
  for (int k = wp.lanes - 1; k >= 0; --k) {
    const int j = 32 * w + (kReverse ? k : wp.lanes - 1 - k);
    if (S.th[j].st == St::WaitWarp) makeReady(j, kReverse);
  }
}

// The caller waits at a barrier; the last thread to arrive releases the others and goes on.
void arriveBlock(int i, const char* what) {
  S.th[i].st = St::WaitBlock;
  S.th[i].what = what;
  if (++S.waitBlock + S.done == S.n) {
    completeBlockBarrier(i);
    return;
  }
  toScheduler();
}

void arriveWarp(int i, const char* what, unsigned mask) {
  if (!((mask >> (i % 32)) & 1u)) fatal("%s: the mask does not name the calling lane (undefined on a GPU)", what);
  Warp& wp = S.warps[i / 32];
  if (++wp.waiting + wp.done == wp.lanes) {
    releaseWarp(i / 32);
    return;
  }
  S.th[i].st = St::WaitWarp;
  S.th[i].what = what;
  S.th[i].mask = mask;
  toScheduler();
}

void threadExit(int i) {
  S.th[i].st = St::Done;
  ++S.done;
  Warp& wp = S.warps[i / 32];
  ++wp.done;
  if (wp.waiting > 0 && wp.waiting + wp.done == wp.lanes) releaseWarp(i / 32);
  if (S.waitBlock > 0 && S.waitBlock + S.done == S.n) completeBlockBarrier(-1);
}

// Body of every fiber: run threads not yet started until none is left (moving on to the next
// block when this one is finished), then wait in the pool.
void fiberLoop() {
  for (;;) {
    for (;;) {
      if (S.nextStart < S.n) {
        const int i = ordered(S.nextStart++, S.n);
        S.th[i].st = St::Running;
        S.th[i].fiber = S.curFiber;
        setCurrent(i);
        S.body(S.ctx);
        threadExit(i);
      } else if (S.done == S.n && S.block + 1 < S.blocks) {
        beginBlock(S.block + 1);
      } else {
        break;
      }
    }
    S.freeFibers.push_back(S.curFiber);
    toScheduler();
  }
}

void fiberEntry() {
#ifdef EMU_ASAN
  __sanitizer_finish_switch_fiber(nullptr, &S.mainStack, &S.mainStackSize);
#endif
  fiberLoop();
}

void deadlock() {
  std::fprintf(stderr, "emu: deadlock in kernel %s block (%u,%u,%u): no thread can progress (grid (%u,%u,%u), block (%u,%u,%u))\n", S.name, bid_.x,
               bid_.y, bid_.z, gdim_.x, gdim_.y, gdim_.z, bdim_.x, bdim_.y, bdim_.z);
  // One line per run of consecutive threads in the same state.
  for (int a = 0; a < S.n;) {
    const Thread& t = S.th[a];
    int b = a + 1;
    const bool waits = t.st == St::WaitBlock || t.st == St::WaitWarp;
    while (b < S.n && S.th[b].st == t.st && (!waits || (S.th[b].what == t.what && S.th[b].mask == t.mask))) ++b;
    setCurrent(a);
    const uint3 ta = tid_;
    setCurrent(b - 1);
    const uint3 tb = tid_;
    char state[160];
    if (t.st == St::WaitBlock)
      std::snprintf(state, sizeof state, "wait at %s (block barrier)", t.what);
    else if (t.st == St::WaitWarp)
      std::snprintf(state, sizeof state, "wait at %s (warp barrier, mask 0x%08x)", t.what, t.mask);
    else if (t.st == St::Done)
      std::snprintf(state, sizeof state, "exited");
    else
      std::snprintf(state, sizeof state, "state %d", int(t.st));
    std::fprintf(stderr, "  threads %d-%d (%u,%u,%u)-(%u,%u,%u), warps %d-%d: %s\n", a, b - 1, ta.x, ta.y, ta.z, tb.x, tb.y, tb.z, a / 32, (b - 1) / 32,
                 state);
    a = b;
  }
  std::fflush(stderr);
  std::abort();
}

void runBlocks() {
  beginBlock(0);
  for (;;) {
    if (S.done == S.n) {
      if (S.block + 1 == S.blocks) return;
      beginBlock(S.block + 1);
    } else if (!S.ready.empty()) {
      const int i = S.ready.front();
      S.ready.pop_front();
      S.th[i].st = St::Running;
      setCurrent(i);
      resumeFiber(S.th[i].fiber);
    } else if (S.nextStart < S.n) {
      resumeFiber(takeFiber());
    } else {
      deadlock();
    }
  }
}

bool validConfig(dim3 g, dim3 b) {
  const uint64_t threads = uint64_t(b.x) * b.y * b.z;
  return threads >= 1 && threads <= 1024 && b.x <= 1024 && b.y <= 1024 && b.z <= 64 && g.x >= 1 && g.y >= 1 && g.z >= 1 && g.x <= 0x7fffffffu &&
         g.y <= 65535 && g.z <= 65535;
}

}  // namespace

namespace emu {
namespace detail {

bool runGrid(const char* name, dim3 grid, dim3 block, void (*body)(void*), void* ctx) {
  if (!validConfig(grid, block)) {
    fail(cudaErrorInvalidConfiguration);
    return false;
  }
  if (tInLaunch) {
    std::fprintf(stderr, "emu: kernel %s launched from inside kernel %s (dynamic parallelism is not emulated)\n", name, S.name);
    std::abort();
  }
  std::lock_guard<std::mutex> lock(gLaunchMutex);
  ++gLaunches[name];
  tInLaunch = true;
  S.name = name;
  S.body = body;
  S.ctx = ctx;
  gdim_ = grid;
  bdim_ = block;
  S.n = int(block.x * block.y * block.z);
  S.blocks = uint64_t(grid.x) * grid.y * grid.z;
  if (S.th.size() < size_t(S.n)) S.th.resize(S.n);
  if (S.warps.size() < size_t((S.n + 31) / 32)) S.warps.resize((S.n + 31) / 32);
  runBlocks();
  S.cur = -1;
  S.name = nullptr;
  tInLaunch = false;
  return true;
}

uint64_t shfl(unsigned mask, uint64_t bits, ShflKind kind, int arg, int width, const char* what) {
  const int i = current(what), lane = i % 32;
  if (width < 1 || width > 32 || (width & (width - 1))) fatal("%s: width must be a power of two <= 32", what);
  Warp& wp = S.warps[i / 32];
  const uint32_t g = wp.gen;
  const int b = g & 1;
  wp.slot[b][lane] = bits;
  wp.slotGen[b][lane] = g;
  wp.slotWhat[b][lane] = what;
  arriveWarp(i, what, mask);
  const int base = lane & ~(width - 1);
  int src = 0;
  switch (kind) {
    case kShflIdx: src = base + (arg & (width - 1)); break;
    case kShflUp: src = lane - arg; if (src < base) return bits; break;
    case kShflDown: src = lane + arg; if (src >= base + width) return bits; break;
    case kShflXor: src = lane ^ arg; if (src < 0 || src >= base + width) return bits; break;
  }
  if (src >= wp.lanes) fatal("%s", std::string(what) + " reads lane " + std::to_string(src) + ", which is not in the block (undefined on a GPU)");
  if (wp.slotGen[b][src] != g) {
    const bool exited = S.th[i - lane + src].st == St::Done;
    fatal("%s", std::string(what) + " reads lane " + std::to_string(src) + ", which " +
                     (exited ? "has exited" : "waited at another warp barrier") + " (undefined on a GPU)");
  }
  if (wp.slotWhat[b][src] != what && std::strcmp(wp.slotWhat[b][src], what) != 0)
    fatal("%s", std::string(what) + " meets lane " + std::to_string(src) + " at " + wp.slotWhat[b][src]);
  return wp.slot[b][src];
}

unsigned ballot(unsigned mask, int pred, const char* what) {
  const int i = current(what), lane = i % 32;
  Warp& wp = S.warps[i / 32];
  const uint32_t g = wp.gen;
  const int b = g & 1;
  wp.slot[b][lane] = pred != 0;
  wp.slotGen[b][lane] = g;
  wp.slotWhat[b][lane] = what;
  arriveWarp(i, what, mask);
  unsigned r = 0;
  for (int l = 0; l < wp.lanes; ++l)
    if (wp.slotGen[b][l] == g && wp.slot[b][l]) r |= 1u << l;  // exited lanes vote nothing
  return r & mask;
}

int syncthreadsReduce(int pred, int op) {
  const int i = current("__syncthreads_count/and/or");
  const int b = S.blockGen & 1;
  S.reduceCount[b] += pred != 0;
  S.reduceArrived[b] += 1;
  arriveBlock(i, "__syncthreads_count/and/or");
  if (op == 0) return S.reduceCount[b];
  if (op == 1) return S.reduceCount[b] == S.reduceArrived[b];
  return S.reduceCount[b] > 0;
}

}  // namespace detail

long long launches(const char* kernel) {
  std::lock_guard<std::mutex> lock(gLaunchMutex);
  auto it = gLaunches.find(kernel);
  return it == gLaunches.end() ? 0 : it->second;
}
}  // namespace emu

void emu::detail::syncthreads(const char* site) { arriveBlock(current("__syncthreads"), site); }
void __syncwarp(unsigned mask) { arriveWarp(current("__syncwarp"), "__syncwarp", mask); }
