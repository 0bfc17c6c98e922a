// SHA-256 (FIPS 180-4) of bytes, for the datanet import's normHash (the first 16 bytes of the
// SHA-256 of a normalised text's UTF-8, computeRecordSignals.ts; node:crypto is the reference
// there and in native/test/datanetStage.test.ts). The block function has a SHA-NI version chosen
// at run time; the portable one is the same arithmetic, used elsewhere and held to it by the tests.
#pragma once
#include <cstddef>
#include <cstdint>

namespace engine {

enum class Sha256Kernel { Auto, Scalar, ShaNi };
bool sha256KernelAvailable(Sha256Kernel k);
void sha256(const uint8_t* data, size_t len, uint8_t out[32], Sha256Kernel kernel = Sha256Kernel::Auto);

}  // namespace engine
