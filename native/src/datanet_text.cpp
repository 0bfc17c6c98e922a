#include "datanet_text.h"

#include <string_view>

namespace engine {
namespace {

// Character classes of ASCII in one table: each test below is a load and a mask, not a chain of
// comparisons (textFigures classifies every character of every record several times).
enum : uint8_t { kSpace = 1, kLower = 2, kUpper = 4, kDigit = 8, kHexLetter = 16, kWordPunct = 32, kPhonePunct = 64 };
struct CharClasses {
  uint8_t c[128] = {};
  CharClasses() {
    for (int i = 0; i < 128; i++) {
      const char ch = char(i);
      if (isSpace(ch)) c[i] |= kSpace;
      if (ch >= 'a' && ch <= 'z') c[i] |= kLower;
      if (ch >= 'A' && ch <= 'Z') c[i] |= kUpper;
      if (ch >= '0' && ch <= '9') c[i] |= kDigit;
      if ((ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')) c[i] |= kHexLetter;
      if (ch == '\'' || ch == '_' || ch == '-') c[i] |= kWordPunct;
      if (ch == ' ' || ch == '(' || ch == ')' || ch == '.' || ch == '-' || ch == '+') c[i] |= kPhonePunct;
    }
  }
};
const CharClasses kClasses;
// Callers pass ASCII only (code units < 0x80).
inline uint8_t cls(char c) { return kClasses.c[static_cast<unsigned char>(c) & 0x7f]; }

inline bool isLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool isDigit(char c) { return c >= '0' && c <= '9'; }
// [\p{L}\p{N}'’_-] on lower-cased ASCII.
inline bool isWordChar(char c) { return cls(c) & (kLower | kDigit | kWordPunct); }
// [\d ().+-]: what a phone number match is made of (its optional leading '+' included).
inline bool isPhoneChar(char c) { return cls(c) & (kDigit | kPhonePunct); }

struct Token {
  uint32_t start;
  uint32_t len;
};

uint32_t piiCandidates(std::string_view t, const TextSignalTables& tables) {
  uint32_t mask = 0;
  // API-key shapes: each pattern starts with one of these fixed prefixes (looked for only where
  // the text has a prefix's first letter: one pass, not one search per prefix).
  // A bit per pair of first two characters rules most positions out at once ('s', 'p' and 'r'
  // start many words, few go on with 'k'); only at a listed pair are the prefixes compared.
  static constexpr std::string_view kKeyPrefixes[] = {"AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "sk_live_", "sk_test_", "rk_live_",
                                                      "rk_test_", "pk_live_", "pk_test_", "AIza", "xoxa-", "xoxb-", "xoxp-", "xoxo-", "xoxr-", "xoxs-", "sk-"};
  struct PairBits {
    uint64_t bits[128 * 128 / 64] = {};
    PairBits() {
      for (std::string_view p : kKeyPrefixes) {
        const size_t k = size_t(p[0]) * 128 + size_t(p[1]);
        bits[k / 64] |= uint64_t(1) << (k % 64);
      }
    }
  };
  static const PairBits kPairs;
  for (size_t i = 0; i + 1 < t.size() && !(mask & kPiiApiKey); i++) {
    const size_t k = size_t(static_cast<unsigned char>(t[i])) * 128 + size_t(static_cast<unsigned char>(t[i + 1]));
    if (!((kPairs.bits[k / 64] >> (k % 64)) & 1)) continue;
    for (std::string_view p : kKeyPrefixes) {
      if (t.compare(i, p.size(), p) == 0) {
        mask |= kPiiApiKey;
        break;
      }
    }
  }
  if (t.find('@') != std::string_view::npos) mask |= kPiiEmail;
  const size_t n = t.size();
  size_t hexRun = 0, phoneDigits = 0, colons = 0, dottedDigits = 0;
  int cardChain = 0;
  for (size_t i = 0; i < n; i++) {
    const char c = t[i];
    const uint8_t k = cls(c);
    // 64 hex digits in a row (a private key, with or without its 0x).
    hexRun = k & (kDigit | kHexLetter) ? hexRun + 1 : 0;
    if (hexRun >= 64) mask |= kPiiHexKey;
    // Two capitals then two digits: an IBAN's country and check digits.
    if ((k & kUpper) && i + 3 < n && isUpper(t[i + 1]) && isDigit(t[i + 2]) && isDigit(t[i + 3])) mask |= kPiiIban;
    // Digits chained with at most one space or dash between neighbours: a card needs 13.
    if (k & kDigit) {
      if (i >= 1 && isDigit(t[i - 1])) cardChain++;
      else if (i >= 2 && (t[i - 1] == ' ' || t[i - 1] == '-') && isDigit(t[i - 2])) cardChain++;
      else cardChain = 1;
      if (cardChain >= 13) mask |= kPiiCard;
    }
    // An IPv4 address has three digit.digit joints; an IPv6 one seven colons.
    if (c == '.' && i >= 1 && i + 1 < n && isDigit(t[i - 1]) && isDigit(t[i + 1])) dottedDigits++;
    if (c == ':') colons++;
    // A phone number is a run of [\d ().+-] with at least 9 digits.
    if (k & (kDigit | kPhonePunct)) {
      if ((k & kDigit) && ++phoneDigits >= 9) mask |= kPiiPhone;
    } else {
      phoneDigits = 0;
    }
  }
  if (dottedDigits >= 3) mask |= kPiiIpv4;
  if (colons >= 7) mask |= kPiiIpv6;
  // A seed phrase: 12 or more [a-z]+ words of the wordlist in a row, apart only by whitespace.
  int run = 0;
  bool prevWord = false;
  size_t prevEnd = 0;
  for (size_t i = 0; i < n;) {
    if (!isLower(t[i])) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < n && isLower(t[j])) j++;
    const size_t wl = j - i;
    const bool listed = wl >= tables.bip39MinLen && wl <= tables.bip39MaxLen && tables.bip39Index.find(wordHash(t.data() + i, wl), t.substr(i, wl)) >= 0;
    bool gapIsSpace = prevWord;
    for (size_t k = prevEnd; gapIsSpace && k < i; k++) gapIsSpace = isSpace(t[k]);
    run = listed ? (gapIsSpace && run > 0 ? run + 1 : 1) : 0;
    if (run >= 12) {
      mask |= kPiiSeedPhrase;
      break;
    }
    prevWord = true;
    prevEnd = j;
    i = j;
  }
  return mask;
}

}  // namespace

int32_t WordIndex::add(std::string_view w) {
  const uint64_t h = wordHash(w.data(), w.size());
  const int32_t found = find(h, w);
  if (found >= 0) return found;
  entries_.push_back({h, w});
  // Kept at most half full; rebuilt when it grows (only while the tables are made).
  if (slots_.size() < entries_.size() * 2) {
    size_t cap = 16;
    while (cap < entries_.size() * 4) cap <<= 1;
    slots_.assign(cap, 0);
    for (size_t e = 0; e < entries_.size(); e++) {
      size_t at = size_t(entries_[e].hash) & (cap - 1);
      while (slots_[at] != 0) at = (at + 1) & (cap - 1);
      slots_[at] = uint32_t(e + 1);
    }
  } else {
    size_t at = size_t(h) & (slots_.size() - 1);
    while (slots_[at] != 0) at = (at + 1) & (slots_.size() - 1);
    slots_[at] = uint32_t(entries_.size());
  }
  return int32_t(entries_.size() - 1);
}

void TextSignalTables::index() {
  stopIndex = WordIndex();
  bip39Index = WordIndex();
  stopEntries.clear();
  for (const auto& [word, stop] : stopWords) {
    if (stopIndex.add(word) == int32_t(stopEntries.size())) stopEntries.push_back(&stop);
  }
  for (std::string_view w : bip39Words) bip39Index.add(w);
}

bool normalizeAscii(const uint16_t* text, size_t len, std::string& ascii, std::string& normalized) {
  ascii.resize(len);
  normalized.clear();
  normalized.reserve(len);
  bool gap = false;
  for (size_t i = 0; i < len; i++) {
    const uint16_t u = text[i];
    if (u >= 0x80) return false;
    const char c = static_cast<char>(u);
    ascii[i] = c;
    if (isSpace(c)) {
      // A run of whitespace is one space, none at either end (the trim).
      gap = !normalized.empty();
      continue;
    }
    if (gap) normalized.push_back(' ');
    gap = false;
    normalized.push_back(isUpper(c) ? static_cast<char>(c + 32) : c);
  }
  return true;
}

void textFigures(const uint16_t* text, size_t len, const TextSignalTables& tables, TextFigures* out) {
  *out = TextFigures{};
  std::string t(len, '\0');
  for (size_t i = 0; i < len; i++) {
    if (text[i] >= 0x80) return;  // not handled: the caller runs the reference
    t[i] = static_cast<char>(text[i]);
  }
  textFiguresAscii(t, tables, out);
}

void textFiguresAscii(std::string_view t, const TextSignalTables& tables, TextFigures* out) {
  *out = TextFigures{};
  out->handled = 1;
  const size_t len = t.size();
  // Per-thread buffers: an import calls this once per record.
  thread_local std::string lower;
  thread_local std::vector<Token> words;
  thread_local std::vector<uint64_t> wordHashes;
  thread_local std::vector<int32_t> slot, count;
  lower.assign(t);
  for (char& c : lower) c = static_cast<char>(c + ((cls(c) & kUpper) ? 32 : 0));

  // /[\p{L}\p{N}'’_-]+|[^\s\p{L}\p{N}]+/gu over the lower-cased text: a run of word characters,
  // else a run of characters that are neither whitespace nor letters nor digits (which takes
  // ', _ and - too once it has started).
  words.clear();
  wordHashes.clear();
  for (size_t i = 0; i < len;) {
    const uint8_t k = cls(lower[i]);
    if (k & kSpace) {
      i++;
      continue;
    }
    size_t j = i;
    uint8_t seen = 0;
    if (k & (kLower | kDigit | kWordPunct)) {
      // The word's hash is taken on the way (the stop words and 2-grams look words up by it).
      uint64_t h = 0xcbf29ce484222325ULL;
      for (uint8_t kj; j < len && ((kj = cls(lower[j])) & (kLower | kDigit | kWordPunct)); j++) {
        seen |= kj;
        h = (h ^ uint8_t(lower[j])) * 0x100000001b3ULL;
      }
      if (seen & (kLower | kDigit)) wordHashes.push_back(h);
    } else {
      while (j < len && !(cls(lower[j]) & (kSpace | kLower | kDigit))) j++;
    }
    out->tokens++;
    if (seen & kLower) out->alphaTokens++;
    if (seen & (kLower | kDigit)) {
      words.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(j - i)});
      out->wordChars += static_cast<int32_t>(j - i);
    }
    i = j;
  }
  out->words = static_cast<int32_t>(words.size());

  // /#|…|\.\.\./g on the text as given.
  for (size_t i = 0; i < len;) {
    if (t[i] == '#') {
      out->symbols++;
      i++;
    } else if (i + 2 < len && t[i] == '.' && t[i + 1] == '.' && t[i + 2] == '.') {
      out->symbols++;
      i += 3;
    } else {
      i++;
    }
  }

  // Lines split on '\n', trimmed (JavaScript's trim on ASCII), the empty ones dropped.
  {
    std::unordered_set<std::string_view> seen;
    const std::string_view all(t);
    size_t start = 0;
    while (start <= len) {
      size_t end = all.find('\n', start);
      if (end == std::string_view::npos) end = len;
      size_t a = start, b = end;
      while (a < b && isSpace(all[a])) a++;
      while (b > a && isSpace(all[b - 1])) b--;
      if (b > a) {
        out->lines++;
        if (!seen.insert(all.substr(a, b - a)).second) out->dupLines++;
      }
      start = end + 1;
    }
  }

  // Word 2-grams "a b": the most frequent, the first seen on ties (the reference walks a Map in
  // insertion order and replaces only on a strictly higher count). An open-addressing table of
  // gram ids (the index of a gram's first occurrence), compared by content: no string is built.
  {
    const size_t grams = words.size() > 0 ? words.size() - 1 : 0;
    const std::vector<uint64_t>& wordHash = wordHashes;
    auto sameWord = [&](size_t a, size_t b) {
      return words[a].len == words[b].len && lower.compare(words[a].start, words[a].len, lower, words[b].start, words[b].len) == 0;
    };
    size_t cap = 16;
    while (cap < grams * 2) cap <<= 1;
    slot.assign(cap, -1);   // gram id (first index) or -1
    count.assign(grams, 0);  // by gram id
    for (size_t i = 0; i < grams; i++) {
      uint64_t h = wordHash[i] * 0x9e3779b97f4a7c15ULL ^ (wordHash[i + 1] + 0x632be59bd9b4e019ULL + (wordHash[i] << 6));
      h ^= h >> 29;
      size_t at = size_t(h) & (cap - 1);
      while (slot[at] >= 0 && !(sameWord(size_t(slot[at]), i) && sameWord(size_t(slot[at]) + 1, i + 1))) at = (at + 1) & (cap - 1);
      if (slot[at] < 0) slot[at] = int32_t(i);
      count[size_t(slot[at])]++;
    }
    // Gram ids are first occurrences, so walking them in index order is the Map's insertion order.
    for (size_t i = 0; i < grams; i++) {
      if (count[i] > out->topGramCount) {
        out->topGramCount = count[i];
        out->topGramLength = int32_t(words[i].len + 1 + words[i + 1].len);
      }
    }
  }

  // Stop words: English ones counted; every language's vote for the language id.
  {
    std::vector<int32_t> votes;
    std::vector<int32_t> order;  // languages in the order they first got a vote
    int32_t total = 0;
    const std::string_view all(lower);
    for (size_t wi = 0; wi < words.size(); wi++) {
      const Token& tok = words[wi];
      if (tok.len < tables.stopMinLen || tok.len > tables.stopMaxLen) continue;
      const int32_t found = tables.stopIndex.find(wordHashes[wi], all.substr(tok.start, tok.len));
      if (found < 0) continue;
      const TextSignalTables::StopWord& stop = *tables.stopEntries[size_t(found)];
      if (stop.english) out->stopWords++;
      if (!stop.listed) continue;
      total++;
      for (int32_t lang : stop.languages) {
        if (static_cast<size_t>(lang) >= votes.size()) votes.resize(lang + 1, 0);
        if (votes[lang]++ == 0) order.push_back(lang);
      }
    }
    int32_t best = -1, bestVotes = 0;
    for (int32_t lang : order) {
      if (votes[lang] > bestVotes) {
        best = lang;
        bestVotes = votes[lang];
      }
    }
    out->language = bestVotes >= 2 && bestVotes * 3 >= total ? best : -1;
  }

  out->piiCandidates = piiCandidates(t, tables);
}

}  // namespace engine
