// A small strict JSON reader, enough for safetensors headers.
// Why our own: the header is untrusted input, so the parser must bound recursion depth and never
// read past the buffer it is given. Numbers keep their text so integers up to 2^64-1 stay exact.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace engine {
namespace json {

struct Value {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  std::string text;  // string contents, or the number's literal text
  std::vector<Value> items;
  std::vector<std::pair<std::string, Value>> members;  // in file order; duplicates rejected

  const Value* get(const std::string& key) const {
    for (const auto& m : members)
      if (m.first == key) return &m.second;
    return nullptr;
  }
  // Non-negative integer that fits in uint64; false when the literal is anything else.
  bool asU64(uint64_t& out) const {
    if (kind != Kind::Number || text.empty() || text.size() > 20) return false;
    uint64_t v = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return false;
      uint64_t d = uint64_t(c - '0');
      if (v > (UINT64_MAX - d) / 10) return false;
      v = v * 10 + d;
    }
    out = v;
    return true;
  }
};

class Parser {
 public:
  Parser(const char* p, size_t n) : p_(p), end_(p + n) {}
  Value parseDocument() {
    Value v = parseValue(0);
    skipWs();
    if (p_ != end_) fail("trailing characters after JSON value");
    return v;
  }

 private:
  const char* p_;
  const char* end_;
  static constexpr int kMaxDepth = 64;

  [[noreturn]] void fail(const std::string& why) { throw std::runtime_error("invalid JSON header: " + why); }
  void skipWs() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  char peek() {
    if (p_ >= end_) fail("unexpected end");
    return *p_;
  }
  void expectLit(const char* lit) {
    for (const char* q = lit; *q; ++q, ++p_)
      if (p_ >= end_ || *p_ != *q) fail(std::string("bad literal, expected ") + lit);
  }
  Value parseValue(int depth) {
    if (depth > kMaxDepth) fail("nesting too deep");
    skipWs();
    Value v;
    char c = peek();
    if (c == '{') {
      v.kind = Value::Kind::Object;
      ++p_;
      skipWs();
      if (peek() == '}') { ++p_; return v; }
      for (;;) {
        skipWs();
        if (peek() != '"') fail("object key must be a string");
        std::string key = parseString();
        for (const auto& m : v.members)
          if (m.first == key) fail("duplicate key \"" + key + "\"");
        skipWs();
        if (peek() != ':') fail("expected ':'");
        ++p_;
        v.members.emplace_back(std::move(key), parseValue(depth + 1));
        skipWs();
        char d = peek();
        ++p_;
        if (d == '}') break;
        if (d != ',') fail("expected ',' or '}'");
      }
    } else if (c == '[') {
      v.kind = Value::Kind::Array;
      ++p_;
      skipWs();
      if (peek() == ']') { ++p_; return v; }
      for (;;) {
        v.items.push_back(parseValue(depth + 1));
        skipWs();
        char d = peek();
        ++p_;
        if (d == ']') break;
        if (d != ',') fail("expected ',' or ']'");
      }
    } else if (c == '"') {
      v.kind = Value::Kind::String;
      v.text = parseString();
    } else if (c == 't') {
      expectLit("true"); v.kind = Value::Kind::Bool; v.boolean = true;
    } else if (c == 'f') {
      expectLit("false"); v.kind = Value::Kind::Bool;
    } else if (c == 'n') {
      expectLit("null");
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v.kind = Value::Kind::Number;
      const char* s = p_;
      if (*p_ == '-') ++p_;
      bool digits = false;
      while (p_ < end_ && ((*p_ >= '0' && *p_ <= '9') || *p_ == '.' || *p_ == 'e' || *p_ == 'E' || *p_ == '+' || *p_ == '-')) {
        digits = digits || (*p_ >= '0' && *p_ <= '9');
        ++p_;
      }
      if (!digits) fail("bad number");
      v.text.assign(s, p_);
    } else {
      fail("unexpected character");
    }
    return v;
  }
  static void putUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) out += char(cp);
    else if (cp < 0x800) { out += char(0xC0 | (cp >> 6)); out += char(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) { out += char(0xE0 | (cp >> 12)); out += char(0x80 | ((cp >> 6) & 0x3F)); out += char(0x80 | (cp & 0x3F)); }
    else { out += char(0xF0 | (cp >> 18)); out += char(0x80 | ((cp >> 12) & 0x3F)); out += char(0x80 | ((cp >> 6) & 0x3F)); out += char(0x80 | (cp & 0x3F)); }
  }
  uint32_t hex4() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char h = peek();
      ++p_;
      v <<= 4;
      if (h >= '0' && h <= '9') v |= uint32_t(h - '0');
      else if (h >= 'a' && h <= 'f') v |= uint32_t(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') v |= uint32_t(h - 'A' + 10);
      else fail("bad \\u escape");
    }
    return v;
  }
  std::string parseString() {
    ++p_;  // opening quote
    std::string out;
    for (;;) {
      char c = peek();
      ++p_;
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
      if (c != '\\') { out += c; continue; }
      char e = peek();
      ++p_;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00) {  // surrogate pair
            if (peek() != '\\') fail("lone surrogate");
            ++p_;
            if (peek() != 'u') fail("lone surrogate");
            ++p_;
            uint32_t lo = hex4();
            if (lo < 0xDC00 || lo >= 0xE000) fail("bad surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            fail("lone surrogate");
          }
          putUtf8(out, cp);
          break;
        }
        default: fail("bad escape");
      }
    }
  }
};

inline Value parse(const char* p, size_t n) { return Parser(p, n).parseDocument(); }

}  // namespace json
}  // namespace engine
