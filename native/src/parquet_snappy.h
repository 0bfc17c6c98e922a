// Snappy compression byte for byte as hyparquet-writer's src/snappy.js (a port of snappyjs) writes
// it: the datanet snapshot's Parquet pages are compressed here (main/datanets/writeSnapshotFiles.ts
// hands it to the writer as its SNAPPY compressor) and the files must stay the same bytes. That
// algorithm differs from Google's snappy (one block for the whole input, a hash table of up to
// 2^14 entries sized to the input, its own skip heuristic), so this follows the JS line by line;
// native/test/parquetSnappy.test.ts compares the two.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace engine {

void snappyCompressLikeHyparquet(const uint8_t* input, size_t size, std::vector<uint8_t>& out);

}  // namespace engine
