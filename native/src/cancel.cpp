#include "cancel.h"

namespace engine {
namespace {
thread_local const std::atomic<int32_t>* tlFlag = nullptr;
}

void setCancelFlag(const std::atomic<int32_t>* flag) { tlFlag = flag; }

void throwIfCancelled() {
  if (tlFlag && tlFlag->load(std::memory_order_relaxed) != 0) throw Cancelled();
}

}  // namespace engine
