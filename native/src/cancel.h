// Cooperative cancellation of long engine calls. A job's worker thread hands the engine an Int32
// in shared memory (`setCancelSignal`); the job runner sets it from the core's main thread when
// the job is cancelled. The worker's event loop is blocked inside the native call and could not
// read a message, and terminating the worker only takes effect once the call returns (a training
// step of a 1B model runs for tens of seconds). The engine reads the flag on the calling thread
// between transformer layers and throws Cancelled, which reaches JavaScript as an Error with
// code 'ENGINE_CANCELLED'. What the interrupted call was computing is lost (a half-decoded KV
// cache, half-accumulated gradients); checkpoints and files written before it are untouched.
#pragma once
#include <atomic>
#include <cstdint>
#include <stdexcept>

namespace engine {

struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("cancelled: the engine call was stopped by a cancel request") {}
};

// The flag the calling thread's engine calls watch (non-zero: stop), or null for none. Each
// thread has its own: a job's worker sets it once for all the calls it makes.
void setCancelFlag(const std::atomic<int32_t>* flag);

// Throws Cancelled when the calling thread's flag is set.
void throwIfCancelled();

}  // namespace engine
