// JS binding of the token suffix arrays (exact-span attribution): suffixArray(text, alphabet)
// and tokenSuffixTable(tokens, width, ptrSize, threads?). See suffix_array.h.
#pragma once
#include <napi.h>

namespace engine {
namespace js {
void registerSuffixArrayBindings(Napi::Env env, Napi::Object exports);
}
}  // namespace engine
