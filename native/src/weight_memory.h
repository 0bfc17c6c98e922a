// Memory for the frozen weight matrices (weightmatrix.h). Decoding streams every weight once per
// token (0.5 GB for GPT-2-124M in f32), so with 4 KiB pages the walk touches ~120,000 pages a
// token and the TLB misses on nearly every one. Large allocations (>= 2 MiB) are therefore mapped
// 2 MiB-aligned and, while huge pages are on (the default), advised MADV_HUGEPAGE before first
// touch: where the kernel's transparent huge pages are in `madvise` or `always` mode, each 2 MiB
// of weights is then one TLB entry (the bench reads AnonHugePages in /proc/self/smaps to see it
// took). Off, the same mappings stay on 4 KiB pages: the reference the bench measures against.
// Values and arithmetic are the same either way. Small matrices use the ordinary heap.
#pragma once
#include <cstddef>

namespace engine {

void* allocWeightBytes(size_t bytes);
void freeWeightBytes(void* p, size_t bytes);

// Applies to matrices allocated afterwards (a model built after the call). Not while a model loads.
void setWeightHugePages(bool on);
bool weightHugePages();

template <class T>
struct WeightAllocator {
  using value_type = T;
  WeightAllocator() = default;
  template <class U>
  WeightAllocator(const WeightAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(allocWeightBytes(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { freeWeightBytes(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const WeightAllocator<U>&) const { return true; }
  template <class U>
  bool operator!=(const WeightAllocator<U>&) const { return false; }
};

}  // namespace engine
