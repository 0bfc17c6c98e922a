#include "gpt2.h"

#include "weights.h"

namespace engine {

void loadGpt2Weights(Model& m, std::map<std::string, Tensor>& t) {
  const ModelSpec& s = m.spec();
  const int C = s.hiddenSize, I = s.intermediateSize, V = s.vocabSize, P = s.maxPositions;
  const std::string pre = hasTensor(t, "transformer.wte.weight") ? "transformer." : "";
  m.gpt2Prefix = pre;
  m.wte = takeWeight(t, pre + "wte.weight", V, C, s.weightStorage);
  m.wpe = takeTensor(t, pre + "wpe.weight", {P, C});
  auto conv = [&](Linear& L, const std::string& name, const std::string& kind, int in, int out, const std::string& peft) {
    L.kind = kind;
    L.peftName = peft;
    L.in = in;
    L.out = out;
    L.W = takeWeight(t, pre + name + ".weight", out, in, s.weightStorage, true);
    L.bias = takeTensor(t, pre + name + ".bias", {out});
  };
  m.layers.resize(size_t(s.numLayers));
  for (int i = 0; i < s.numLayers; ++i) {
    Layer& L = m.layers[size_t(i)];
    const std::string h = "h." + std::to_string(i) + ".";
    L.norm1W = takeTensor(t, pre + h + "ln_1.weight", {C});
    L.norm1B = takeTensor(t, pre + h + "ln_1.bias", {C});
    L.norm2W = takeTensor(t, pre + h + "ln_2.weight", {C});
    L.norm2B = takeTensor(t, pre + h + "ln_2.bias", {C});
    L.qkv.resize(1);
    conv(L.qkv[0], h + "attn.c_attn", "c_attn", C, 3 * C, "transformer." + h + "attn.c_attn");
    conv(L.o, h + "attn.c_proj", "attn.c_proj", C, C, "transformer." + h + "attn.c_proj");
    L.mlpIn.resize(1);
    conv(L.mlpIn[0], h + "mlp.c_fc", "c_fc", C, I, "transformer." + h + "mlp.c_fc");
    conv(L.down, h + "mlp.c_proj", "mlp.c_proj", I, C, "transformer." + h + "mlp.c_proj");
  }
  m.lnfW = takeTensor(t, pre + "ln_f.weight", {C});
  m.lnfB = takeTensor(t, pre + "ln_f.bias", {C});
  if (!s.tieWordEmbeddings) m.lmHead = takeWeight(t, "lm_head.weight", V, C, s.weightStorage);
}

}  // namespace engine
