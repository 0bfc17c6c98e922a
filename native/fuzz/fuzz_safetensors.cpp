// Fuzz harness for the safetensors reader.
//
// Two ways to build it:
//  - with libFuzzer (clang -fsanitize=fuzzer,address -DENGINE_LIBFUZZER): LLVMFuzzerTestOneInput
//    feeds bytes to the in-memory loader;
//  - as a plain executable (g++ -fsanitize=address,undefined), used by tools/asan-test.sh:
//      fuzz_safetensors gen DIR COUNT SEED   writes valid seed files and random mutations of them
//      fuzz_safetensors run FILE...          loads every file from disk and in memory
//    A file must either load or throw std::runtime_error; anything else (a crash, an ASan report,
//    another exception type) fails the run.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "../src/safetensors.h"

using engine::loadSafetensorsFromMemory;

static int tryLoad(const uint8_t* data, size_t size) {
  try {
    auto m = loadSafetensorsFromMemory("fuzz-input", data, size);
    volatile float sink = 0;
    for (auto& kv : m)
      for (float v : kv.second.data) sink += v;
    (void)sink;
    return 1;
  } catch (const std::runtime_error&) {
    return 0;
  }
}

#ifdef ENGINE_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tryLoad(data, size);
  return 0;
}
#else

static std::vector<uint8_t> makeFile(const std::string& header, size_t dataBytes, std::mt19937_64& rng) {
  std::vector<uint8_t> out(8);
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out[i] = uint8_t(n >> (8 * i));
  out.insert(out.end(), header.begin(), header.end());
  for (size_t i = 0; i < dataBytes; ++i) out.push_back(uint8_t(rng()));
  return out;
}

// A few valid files covering every dtype, scalars, empty tensors and metadata.
static std::vector<std::vector<uint8_t>> seeds(std::mt19937_64& rng) {
  std::vector<std::vector<uint8_t>> s;
  s.push_back(makeFile(R"({"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"b":{"dtype":"F16","shape":[4],"data_offsets":[24,32]}})", 32, rng));
  s.push_back(makeFile(R"({"__metadata__":{"format":"pt"},"w":{"dtype":"BF16","shape":[3,2],"data_offsets":[0,12]},"s":{"dtype":"F32","shape":[],"data_offsets":[12,16]}})", 16, rng));
  s.push_back(makeFile(R"({"e":{"dtype":"F32","shape":[0,5],"data_offsets":[0,0]},"x":{"dtype":"F16","shape":[1,1,2],"data_offsets":[0,4]}})", 4, rng));
  s.push_back(makeFile(R"({"na\u00efve \ud83d\ude00":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 4, rng));
  return s;
}

static std::vector<uint8_t> mutate(std::vector<uint8_t> f, std::mt19937_64& rng) {
  int edits = 1 + int(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    if (f.empty()) f.push_back(0);
    size_t pos = rng() % f.size();
    switch (rng() % 9) {
      case 0: f[pos] ^= uint8_t(1u << (rng() % 8)); break;          // bit flip
      case 1: f[pos] = uint8_t(rng()); break;                        // random byte
      case 2: f.resize(rng() % (f.size() + 1)); break;               // truncate
      case 3: f.insert(f.begin() + long(pos), uint8_t(rng())); break;  // insert
      case 4: f.erase(f.begin() + long(pos)); break;                 // delete
      case 5: {  // replace a digit in the JSON with another: shapes and offsets drift
        for (size_t k = 0; k < f.size(); ++k) {
          size_t i = (pos + k) % f.size();
          if (i >= 8 && f[i] >= '0' && f[i] <= '9') { f[i] = uint8_t('0' + rng() % 10); break; }
        }
        break;
      }
      case 6: {  // corrupt the header length itself
        uint64_t n = 0;
        if (f.size() >= 8) {
          for (int i = 7; i >= 0; --i) n = (n << 8) | f[size_t(i)];
          int64_t delta = int64_t(rng() % 17) - 8;
          if (rng() % 8 == 0) n = rng();
          else n = uint64_t(int64_t(n) + delta);
          for (int i = 0; i < 8; ++i) f[size_t(i)] = uint8_t(n >> (8 * i));
        }
        break;
      }
      case 7: {  // swap dtype names
        static const char* names[] = {"F32", "F16", "BF16", "I64", "F64"};
        std::string s(f.begin(), f.end());
        size_t at = s.find("\"F", pos % (s.size() + 1));
        if (at == std::string::npos) at = s.find("\"BF");
        if (at != std::string::npos) {
          size_t close = s.find('"', at + 1);
          if (close != std::string::npos) s.replace(at + 1, close - at - 1, names[rng() % 5]);
          f.assign(s.begin(), s.end());
        }
        break;
      }
      case 8: {  // duplicate a chunk (nests, repeats keys)
        size_t len = rng() % 16;
        if (pos + len <= f.size()) {
          std::vector<uint8_t> chunk(f.begin() + long(pos), f.begin() + long(pos + len));
          f.insert(f.begin() + long(pos), chunk.begin(), chunk.end());
        }
        break;
      }
    }
  }
  return f;
}

int main(int argc, char** argv) {
  if (argc >= 5 && std::string(argv[1]) == "gen") {
    std::string dir = argv[2];
    long count = std::stol(argv[3]);
    std::mt19937_64 rng(std::stoull(argv[4]));
    auto base = seeds(rng);
    for (long i = 0; i < count; ++i) {
      std::vector<uint8_t> f = base[size_t(i) % base.size()];
      if (i >= long(base.size())) f = mutate(f, rng);
      std::string path = dir + "/case-" + std::to_string(i) + ".safetensors";
      std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(f.data()), long(f.size()));
    }
    return 0;
  }
  if (argc >= 2 && std::string(argv[1]) == "run") {
    long ok = 0, rejected = 0;
    for (int i = 2; i < argc; ++i) {
      std::ifstream in(argv[i], std::ios::binary);
      std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      int memOk = tryLoad(bytes.data(), bytes.size());
      int diskOk = 0;
      try {
        auto m = engine::loadSafetensorsFiles({argv[i]});
        diskOk = 1;
      } catch (const std::runtime_error&) {
      }
      if (memOk != diskOk) {
        std::fprintf(stderr, "disagreement between memory and disk loaders on %s\n", argv[i]);
        return 2;
      }
      (memOk ? ok : rejected)++;
    }
    std::printf("{\"files\":%d,\"loaded\":%ld,\"rejected\":%ld}\n", argc - 2, ok, rejected);
    return 0;
  }
  std::fprintf(stderr, "usage: fuzz_safetensors gen DIR COUNT SEED | run FILE...\n");
  return 1;
}
#endif
