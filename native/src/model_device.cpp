// Model's device paths: with a backend attached (attachDevice), decoding, forward, training and
// the optimizer run there (device_model.h), with the same checks and the same dropout stream as
// the CPU paths; the host LoRA factors, gradients and moments are copies synced on demand.
#include <cmath>
#include <stdexcept>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cancel.h"
#include "device_init.h"
#include "layer_ops.h"
#include "model.h"

namespace engine {

using namespace detail;

void Model::attachDevice(std::unique_ptr<device::Model> d) {
  check(d != nullptr, "attachDevice: no device model");
  check(!hasLora_, "attachDevice: attach the device before adding an adapter");
  device_ = std::shared_ptr<device::Model>(std::move(d));
  deviceMoments_ = false;
  // Every compute path now runs on the device, which holds its own copy: the host's frozen
  // matrices (nearly all of the model's bytes) would only double the process's memory. Norms,
  // biases, positions and the RoPE tables are small and stay.
  for (Layer& L : layers)
    for (Linear* lin : L.linears()) lin->W = WeightMatrix();
  wte = WeightMatrix();
  lmHead = WeightMatrix();
#if defined(__GLIBC__)
  malloc_trim(0);  // give the freed pages back, as the constructor does after loading
#endif
}

std::string Model::backendName() const { return device_ ? "cuda" : "cpu"; }

void Model::syncFromDevice(unsigned parts) {
  if (!device_ || !hasLora_) return;
  if (parts & device::kMoments) {
    std::vector<NamedParam> params = loraParams();
    const bool hostHas = opt_.m.size() == params.size() && opt_.v.size() == params.size();
    if (!hostHas) {
      if (deviceMoments_) {  // steps taken on the device only: make room for its moments
        opt_.m.clear();
        opt_.v.clear();
        for (auto& p : params) {
          opt_.m.emplace_back(p.value->size(), 0.f);
          opt_.v.emplace_back(p.value->size(), 0.f);
        }
      } else {
        parts &= ~unsigned(device::kMoments);  // none anywhere: the host state stays empty
      }
    }
  }
  if (!parts) return;
  device_->download(makeLoraSlots(*this), parts);
}

void Model::syncToDevice(unsigned parts) {
  if (!device_ || !hasLora_ || !parts) return;
  std::vector<device::LoraSlot> slots = makeLoraSlots(*this);
  device_->upload(slots, parts);
  if (parts & device::kMoments) deviceMoments_ = !slots.empty() && slots[0].mA != nullptr;
}

KVCache Model::deviceNewCache(int B, int capacity) const {
  check(B > 0 && capacity > 0, "cache: batch and capacity must be positive");
  check(capacity <= spec_.maxPositions, "cache: capacity " + std::to_string(capacity) + " exceeds maxPositions " + std::to_string(spec_.maxPositions));
  KVCache c;
  c.batch = B;
  c.capacity = capacity;
  std::shared_ptr<device::Model> owner = device_;  // the model outlives every cache it made
  c.dev = std::shared_ptr<device::Cache>(device_->newCache(B, capacity).release(), [owner](device::Cache* p) { delete p; });
  check(c.dev != nullptr, "cache: the device could not allocate a cache");
  return c;
}

std::vector<float> Model::deviceDecode(KVCache& cache, int pos0, const int32_t* tokens, int B, int T, bool lastOnly) {
  check(B > 0 && T > 0, "forward: batch and sequence length must be positive");
  check(cache.dev != nullptr, "forward: this cache was not made on the device (make it after attaching the device)");
  check(cache.batch == B, "forward: cache was made for batch " + std::to_string(cache.batch) + ", got " + std::to_string(B));
  check(pos0 >= 0 && pos0 + T <= cache.capacity, "forward: positions up to " + std::to_string(pos0 + T) + " exceed the cache capacity " + std::to_string(cache.capacity));
  checkTokens(tokens, int64_t(B) * T);
  check(cache.pad.empty() || cache.pad.size() == size_t(B), "forward: cache padding must have one entry per row (and no training)");
  std::vector<float> logits(size_t(B) * (lastOnly ? 1 : T) * spec_.vocabSize);
  throwIfCancelled();
  device_->forward(*cache.dev, tokens, B, T, pos0, cache.pad.empty() ? nullptr : cache.pad.data(), lastOnly, logits.data());
  return logits;
}

std::vector<float> Model::deviceForward(const int32_t* tokens, int B, int T) {
  check(T <= spec_.maxPositions, "forward: sequence length " + std::to_string(T) + " exceeds maxPositions " + std::to_string(spec_.maxPositions));
  check(B > 0 && T > 0, "forward: batch and sequence length must be positive");
  KVCache cache = newCache(B, T);
  return deviceDecode(cache, 0, tokens, B, T, false);
}

void Model::deviceAddLora() {
  std::vector<device::LoraSlot> slots = makeLoraSlots(*this);
  device_->setLora(slots);
  device_->upload(slots, device::kValues);
  deviceMoments_ = false;
}

namespace {
device::TrainInput toInput(const TrainBatch& b) {
  device::TrainInput in;
  in.tokens = b.tokens;
  in.targets = b.targets;
  in.mask = b.mask;
  in.B = b.B;
  in.T = b.T;
  in.normalizer = b.normalizer;
  return in;
}
}  // namespace

void Model::checkTrainBatch(const TrainBatch& b, const char* what) const {
  const int N = b.B * b.T, V = spec_.vocabSize;
  check(b.B > 0 && b.T > 0, std::string(what) + ": batch and sequence length must be positive");
  check(b.T <= spec_.maxPositions, std::string(what) + ": sequence length exceeds maxPositions");
  for (int i = 0; i < N; ++i)
    check(b.targets[i] < V, std::string(what) + ": target id " + std::to_string(b.targets[i]) + " at index " + std::to_string(i) + " is outside the vocabulary");
  checkTokens(b.tokens, N);
}

TrainResult Model::deviceForwardBackward(const TrainBatch& b) {
  checkTrainBatch(b, "forwardBackward");
  device::TrainInput in = toInput(b);
  in.dropout = b.dropout ? loraCfg_.dropout : 0.f;
  in.dropoutCounter = dropoutCounter_;
  in.seed = loraCfg_.seed;
  in.checkpoint = b.checkpoint < 0 ? loraCfg_.gradientCheckpointing : b.checkpoint > 0;
  throwIfCancelled();  // a device call runs whole: the host can only stop before it
  device::TrainOutput out = device_->forwardBackward(in);
  if (b.dropout) ++dropoutCounter_;  // the forward ran: the next micro-batch draws fresh masks (as on the CPU)
  if (!std::isfinite(out.loss))
    throw std::runtime_error("forwardBackward: loss is not finite (NaN or Inf); gradients were not accumulated");
  TrainResult r;
  r.loss = out.loss;
  r.weight = out.weight;
  return r;
}

TrainResult Model::deviceEvalLoss(const TrainBatch& b) {
  checkTrainBatch(b, "evalLoss");
  throwIfCancelled();
  device::TrainOutput out = device_->evalLoss(toInput(b));
  TrainResult r;
  r.loss = out.loss;
  r.weight = out.weight;
  if (!std::isfinite(r.loss)) throw std::runtime_error("evalLoss: loss is not finite (NaN or Inf)");
  return r;
}

double Model::deviceOptimizerStep(const AdamWOptions& o) {
  if (!std::isfinite(o.lr)) throw std::runtime_error("optimizer step: learning rate is not finite");
  device::AdamW a;
  a.lr = o.lr;
  a.beta1 = o.beta1;
  a.beta2 = o.beta2;
  a.eps = o.eps;
  a.weightDecay = o.weightDecay;
  a.maxGradNorm = o.maxGradNorm;
  a.step = opt_.step + 1;
  double norm = device_->optimizerStep(a);  // throws with nothing updated on a non-finite norm
  opt_.step += 1;
  deviceMoments_ = true;
  return norm;
}

}  // namespace engine
