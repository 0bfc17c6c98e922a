// Per-record text signals of datanet imports in one pass, the native twin of
// main/datanets/qualitySignals.ts (the figures the heuristics are computed from) and a pre-check
// of main/datanets/detectPii.ts (which detectors can match at all). The TypeScript stays the
// reference and decides every result; main/datanets/test/textSignalsNative.test.ts compares the
// two on varied and adversarial texts.
//
// Only texts made of ASCII code units are handled: there the regexes' Unicode classes (\p{L},
// \p{N}, \s), toLowerCase and trim reduce to fixed ASCII sets, so the figures are exact without
// Unicode tables. Any other text is marked unhandled and the caller runs the reference.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace engine {

// FNV-1a 64 of a word's bytes: the key of WordIndex, and of textFigures' 2-gram table.
inline uint64_t wordHash(const char* p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t k = 0; k < n; k++) h = (h ^ uint8_t(p[k])) * 0x100000001b3ULL;
  return h;
}

// An open-addressing set of words keyed by wordHash: an import looks up every word of every
// record, and textFigures has each word's hash already (a std::unordered_map hashed it again).
class WordIndex {
 public:
  // The index of w (an earlier one if w was added before); w must outlive the index.
  int32_t add(std::string_view w);
  // w's index, or -1; h is wordHash(w).
  int32_t find(uint64_t h, std::string_view w) const {
    if (slots_.empty()) return -1;
    for (size_t at = size_t(h) & (slots_.size() - 1);; at = (at + 1) & (slots_.size() - 1)) {
      const uint32_t e = slots_[at];
      if (e == 0) return -1;
      if (entries_[e - 1].hash == h && entries_[e - 1].word == w) return int32_t(e - 1);
    }
  }

 private:
  struct Entry {
    uint64_t hash;
    std::string_view word;
  };
  std::vector<uint32_t> slots_;  // entry + 1; 0 is empty
  std::vector<Entry> entries_;
};

// The word lists the TypeScript holds (stop words per language, BIP-39 English), handed over
// once so the two sides cannot drift apart.
// Lookups take string_views into `words` (a deque keeps them in place), so no string is built
// per looked-up word; lengths outside [minLen, maxLen] are not looked up at all.
struct TextSignalTables {
  std::deque<std::string> words;
  // Lower-cased stop word -> the languages (indices) it votes for, in the reference's order
  // (`listed`: it is in the language table), and whether it is an English stop word: both lists
  // in one map, so a word costs one lookup.
  struct StopWord {
    std::vector<int32_t> languages;
    bool listed = false;
    bool english = false;
  };
  std::unordered_map<std::string_view, StopWord> stopWords;
  std::unordered_set<std::string_view> bip39Words;
  size_t stopMinLen = SIZE_MAX, stopMaxLen = 0, bip39MinLen = SIZE_MAX, bip39MaxLen = 0;

  std::string_view keep(std::string w) { return words.emplace_back(std::move(w)); }

  // The lookups textFigures makes, built from the maps above by index() once they are filled:
  // stopIndex's i-th word has stopEntries[i].
  WordIndex stopIndex, bip39Index;
  std::vector<const StopWord*> stopEntries;
  void index();
};

// Which PII detectors may match (bit set) or certainly cannot (bit clear): each bit is a
// necessary condition of its detector's pattern, so skipping the cleared ones changes nothing.
enum PiiCandidate : uint32_t {
  kPiiApiKey = 1u << 0,
  kPiiHexKey = 1u << 1,
  kPiiEmail = 1u << 2,
  kPiiIban = 1u << 3,
  kPiiCard = 1u << 4,
  kPiiIpv4 = 1u << 5,
  kPiiIpv6 = 1u << 6,
  kPiiSeedPhrase = 1u << 7,
  kPiiPhone = 1u << 8,
};

// Counts, not ratios: the ratios and flags are derived from these in TypeScript by the same
// function for both implementations (qualitySignals.ts, qualityFromFigures).
struct TextFigures {
  int32_t handled = 0;       // 1 when the text is ASCII and the figures below are set
  int32_t tokens = 0;        // word and symbol tokens
  int32_t words = 0;         // tokens with a letter or digit
  int32_t wordChars = 0;     // their summed length
  int32_t alphaTokens = 0;   // tokens with a letter
  int32_t symbols = 0;       // '#' and '...'
  int32_t lines = 0;         // non-empty trimmed lines
  int32_t dupLines = 0;      // of which repeat an earlier line
  int32_t topGramLength = 0; // length of the most frequent word 2-gram ("a b"), first on ties
  int32_t topGramCount = 0;
  int32_t stopWords = 0;     // English stop words among the words
  int32_t language = -1;     // index of the language the stop words vote for; -1 undetermined
  uint32_t piiCandidates = 0;
};

constexpr int kTextFigureFields = 13;

void textFigures(const uint16_t* text, size_t len, const TextSignalTables& tables, TextFigures* out);
// The same of a text already known to be ASCII, as bytes.
void textFiguresAscii(std::string_view text, const TextSignalTables& tables, TextFigures* out);

// JavaScript's \s restricted to ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
inline bool isSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// normalizeText.ts on a text of ASCII code units: NFC changes nothing there, toLowerCase maps only
// A-Z, and \s and trim mean the six characters of isSpace. Fills `ascii` with the text as bytes
// and `normalized` with its normal form; false (both unfinished) at the first code unit >= 0x80.
bool normalizeAscii(const uint16_t* text, size_t len, std::string& ascii, std::string& normalized);

}  // namespace engine
