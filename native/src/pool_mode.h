// How a parallel region of the shared pool ends (threadpool.cpp). By default, when its tasks are
// done. With waitForWorkers(true), also when every worker thread has woken and looked at it, as
// the pool did before 2026-12-05: kept as the reference that bench/decodeVsLlama.ts measures the
// difference against in the same process (same weights, same load). Results are the same either
// way; only who waits for whom changes. Switch only while no engine call is running.
#pragma once

namespace engine {

void setPoolWaitsForWorkers(bool wait);
bool poolWaitsForWorkers();

}  // namespace engine
