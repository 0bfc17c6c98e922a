#include "device_init.h"

namespace engine {

device::ModelInit makeDeviceInit(const Model& m, std::vector<std::vector<float>>& keep) {
  const ModelSpec& s = m.spec();
  device::ModelInit init;
  init.spec.arch = s.arch == Arch::Gpt2 ? 0 : 1;
  init.spec.vocabSize = s.vocabSize;
  init.spec.hiddenSize = s.hiddenSize;
  init.spec.numLayers = s.numLayers;
  init.spec.numHeads = s.numHeads;
  init.spec.numKvHeads = s.numKvHeads;
  init.spec.headDim = s.headDim;
  init.spec.intermediateSize = s.intermediateSize;
  init.spec.maxPositions = s.maxPositions;
  init.spec.normEps = s.normEps;
  auto orNull = [](const std::vector<float>& v) -> const float* { return v.empty() ? nullptr : v.data(); };
  size_t matrices = 2;
  for (const Layer& L : m.layers) matrices += L.qkv.size() + L.mlpIn.size() + 2;
  keep.reserve(keep.size() + matrices);  // (moving the outer vector would keep the buffers anyway)
  auto widen = [&](const WeightMatrix& w) -> const float* {
    keep.push_back(w.toRowMajor());
    return keep.back().data();
  };
  init.wte = widen(m.wte);
  init.wpe = orNull(m.wpe);
  init.lnfW = orNull(m.lnfW);
  init.lnfB = orNull(m.lnfB);
  init.lmHead = m.lmHead.empty() ? nullptr : widen(m.lmHead);
  init.ropeCos = orNull(m.ropeCos());
  init.ropeSin = orNull(m.ropeSin());
  for (const Layer& cl : m.layers) {
    Layer& L = const_cast<Layer&>(cl);  // linears() is not const; nothing is modified
    device::LayerInit li;
    li.norm1W = orNull(L.norm1W);
    li.norm1B = orNull(L.norm1B);
    li.norm2W = orNull(L.norm2W);
    li.norm2B = orNull(L.norm2B);
    for (Linear* lin : L.linears()) {
      device::LinearInit x;
      x.in = lin->in;
      x.out = lin->out;
      x.W = widen(lin->W);
      x.bias = orNull(lin->bias);
      li.linears.push_back(x);
    }
    init.layers.push_back(std::move(li));
  }
  return init;
}

std::vector<device::LoraSlot> makeLoraSlots(Model& m) {
  std::vector<device::LoraSlot> slots;
  AdamWState& opt = m.optimizerState();
  size_t adapted = 0;
  for (Layer& L : m.layers)
    for (Linear* lin : L.linears())
      if (lin->lora) ++adapted;
  // moments are in loraParams() order: A then B per adapted linear
  const bool moments = adapted > 0 && opt.m.size() == 2 * adapted && opt.v.size() == 2 * adapted;
  size_t k = 0;
  for (size_t l = 0; l < m.layers.size(); ++l) {
    std::vector<Linear*> lins = m.layers[l].linears();
    for (size_t i = 0; i < lins.size(); ++i) {
      LoraWeights* w = lins[i]->lora.get();
      if (!w) continue;
      device::LoraSlot s;
      s.layer = int(l);
      s.linear = int(i);
      s.in = w->in;
      s.out = w->out;
      s.rank = w->rank;
      s.scale = w->scale;
      s.A = w->A.data();
      s.B = w->B.data();
      s.dA = w->dA.data();
      s.dB = w->dB.data();
      if (moments) {
        s.mA = opt.m[2 * k].data();
        s.vA = opt.v[2 * k].data();
        s.mB = opt.m[2 * k + 1].data();
        s.vB = opt.v[2 * k + 1].data();
      }
      ++k;
      slots.push_back(s);
    }
  }
  return slots;
}

}  // namespace engine
