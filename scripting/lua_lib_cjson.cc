// The `cjson` library with the behaviour of lua-cjson 2.1.0 as Redis 7 bundles
// it: encode, decode, null, new, and the configuration functions scripts call
// (encode_sparse_array, encode_max_depth, decode_max_depth,
// encode_number_precision, encode_keep_buffer, encode_invalid_numbers,
// decode_invalid_numbers). Each module table owns one Config, an upvalue of
// its functions; cjson.new() makes a module with a fresh one.
//
// Encoding is ours, as the output must be cjson's byte for byte: numbers as
// "%.14g" (the precision is configurable), "/" escaped as "\/", control
// characters and DEL as \u00XX, an empty table as {}, a table whose keys are
// all positive integers as an array (holes as null) unless it is "excessively
// sparse", any other table as an object in lua_next order (which differs from
// Lua 5.1's, so objects with several keys may list them in another order).
//
// Decoding parses with RapidJSON (Debian's rapidjson-dev): header-only, a SAX
// reader that builds the Lua values directly with no intermediate tree, an
// iterative mode that nests without recursion, and raw number text so that
// numbers convert with strtod as cjson's do (big integers lose precision the
// same way). Raw control characters inside strings, which cjson keeps and the
// RFC forbids, reach RapidJSON escaped (CjsonInputStream). Parse errors are
// reworded into cjson's "Expected <what> but found <token> at character <n>".
// Known differences from cjson: hexadecimal numbers, leading zeros and
// exponents past the double range (1e400, which cjson reads as inf) are
// rejected; of the invalid numbers only NaN, Inf and Infinity are accepted
// (when decode_invalid_numbers is on, the default); error positions inside a
// bad string or number may differ.
#include <rapidjson/reader.h>

#include <cctype>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "scripting/lua_lib_internal.h"

namespace strata::scripting::lualib {
namespace {

struct Config {
  int encode_sparse_convert = 0;
  int encode_sparse_ratio = 2;
  int encode_sparse_safe = 10;
  int encode_max_depth = 1000;
  int encode_invalid_numbers = 0;  // 0 off (error), 1 on (inf/nan), 2 null
  int encode_number_precision = 14;
  int encode_keep_buffer = 1;
  int decode_invalid_numbers = 1;
  int decode_max_depth = 1000;
  std::string buffer;  // reused across encode calls while encode_keep_buffer is on
};

Config* GetConfig(lua_State* L) {
  return static_cast<Config*>(lua_touserdata(L, lua_upvalueindex(1)));
}

// ---------------------------------------------------------------- encoding

// cjson's escapes: control characters, '"', '\\', '/' and DEL.
struct EscapeTable {
  const char* entries[256] = {};
  char storage[32][7] = {};
  constexpr EscapeTable() {
    const char* hex = "0123456789abcdef";
    for (int c = 0; c < 32; c++) {
      char* e = storage[c];
      e[0] = '\\', e[1] = 'u', e[2] = '0', e[3] = '0', e[4] = hex[c >> 4], e[5] = hex[c & 15];
      entries[c] = e;
    }
    entries['\b'] = "\\b";
    entries['\t'] = "\\t";
    entries['\n'] = "\\n";
    entries['\f'] = "\\f";
    entries['\r'] = "\\r";
    entries['"'] = "\\\"";
    entries['\\'] = "\\\\";
    entries['/'] = "\\/";
    entries[127] = "\\u007f";
  }
};
constexpr EscapeTable kEscapes;

class Encoder {
 public:
  Encoder(lua_State* L, const Config& cfg, std::string* out) : L_(L), cfg_(cfg), out_(*out) {}

  // Appends the value on top of the stack (left there).
  void Value(int depth);

 private:
  [[noreturn]] void Fail(int index, const char* reason) {
    luaL_error(L_, "Cannot serialise %s: %s", luaL_typename(L_, index), reason);
    __builtin_unreachable();
  }
  void Number(int index);
  void String(int index);
  lua_Integer ArrayLength();
  void Array(int depth, lua_Integer length);
  void Object(int depth);

  lua_State* L_;
  const Config& cfg_;
  std::string& out_;
};

void Encoder::Number(int index) {
  double num = lua_tonumber(L_, index);
  if (cfg_.encode_invalid_numbers == 0) {
    if (std::isinf(num) || std::isnan(num)) Fail(index, "must not be NaN or Inf");
  } else if (cfg_.encode_invalid_numbers == 1) {
    if (std::isnan(num)) {
      out_ += "nan";
      return;
    }
  } else if (std::isinf(num) || std::isnan(num)) {
    out_ += "null";
    return;
  }
  char buf[32];
  int len = std::snprintf(buf, sizeof(buf), "%.*g", cfg_.encode_number_precision, num);
  out_.append(buf, len);
}

void Encoder::String(int index) {
  size_t len;
  const char* s = lua_tolstring(L_, index, &len);
  out_ += '"';
  size_t plain = 0;  // start of the run of bytes copied as they are
  for (size_t i = 0; i < len; i++) {
    const char* esc = kEscapes.entries[static_cast<unsigned char>(s[i])];
    if (esc == nullptr) continue;
    out_.append(s + plain, i - plain);
    out_ += esc;
    plain = i + 1;
  }
  out_.append(s + plain, len - plain);
  out_ += '"';
}

// The largest key if every key of the table on top is an integer >= 1 (0 for
// an empty table); -1 for any other table, or for an excessively sparse array
// when encode_sparse_convert is on (off: an error).
lua_Integer Encoder::ArrayLength() {
  lua_Integer max = 0, items = 0;
  lua_pushnil(L_);
  while (lua_next(L_, -2) != 0) {
    double k = lua_type(L_, -2) == LUA_TNUMBER ? lua_tonumber(L_, -2) : 0;
    if (k >= 1 && std::floor(k) == k) {
      if (k > static_cast<double>(max)) max = k >= 9.2e18 ? LLONG_MAX : static_cast<lua_Integer>(k);
      items++;
      lua_pop(L_, 1);
      continue;
    }
    lua_pop(L_, 2);
    return -1;
  }
  if (cfg_.encode_sparse_ratio > 0 && max > items * cfg_.encode_sparse_ratio &&
      max > cfg_.encode_sparse_safe) {
    if (!cfg_.encode_sparse_convert) Fail(-1, "excessively sparse array");
    return -1;
  }
  return max;
}

void Encoder::Array(int depth, lua_Integer length) {
  out_ += '[';
  for (lua_Integer i = 1; i <= length; i++) {
    if (i > 1) out_ += ',';
    lua_rawgeti(L_, -1, i);
    Value(depth);
    lua_pop(L_, 1);
  }
  out_ += ']';
}

void Encoder::Object(int depth) {
  out_ += '{';
  bool first = true;
  lua_pushnil(L_);
  while (lua_next(L_, -2) != 0) {
    if (!first) out_ += ',';
    first = false;
    int key_type = lua_type(L_, -2);
    if (key_type == LUA_TSTRING) {
      String(-2);
      out_ += ':';
    } else if (key_type == LUA_TNUMBER) {
      out_ += '"';
      Number(-2);
      out_ += "\":";
    } else {
      Fail(-2, "table key must be a number or string");
    }
    Value(depth);
    lua_pop(L_, 1);
  }
  out_ += '}';
}

void Encoder::Value(int depth) {
  switch (lua_type(L_, -1)) {
    case LUA_TSTRING:
      String(-1);
      return;
    case LUA_TNUMBER:
      Number(-1);
      return;
    case LUA_TBOOLEAN:
      out_ += lua_toboolean(L_, -1) ? "true" : "false";
      return;
    case LUA_TTABLE: {
      depth++;
      // Room for a key, a value and an error message at every level.
      if (depth > cfg_.encode_max_depth || !lua_checkstack(L_, 3)) {
        luaL_error(L_, "Cannot serialise, excessive nesting (%d)", depth);
      }
      lua_Integer length = ArrayLength();
      if (length > 0) {
        Array(depth, length);
      } else {
        Object(depth);
      }
      return;
    }
    case LUA_TNIL:
      out_ += "null";
      return;
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata(L_, -1) == nullptr) {
        out_ += "null";
        return;
      }
      [[fallthrough]];
    default:
      Fail(-1, "type not supported");
  }
}

int Encode(lua_State* L) {
  Config* cfg = GetConfig(L);
  luaL_argcheck(L, lua_gettop(L) == 1, 1, "expected 1 argument");
  std::string local;
  std::string* out = cfg->encode_keep_buffer ? &cfg->buffer : &local;
  out->clear();
  Encoder(L, *cfg, out).Value(0);
  lua_pushlstring(L, out->data(), out->size());
  return 1;
}

// ---------------------------------------------------------------- decoding

// The JSON text as RapidJSON reads it: the bytes of the Lua string up to its
// first NUL (cjson also stops there), except that a raw control character
// inside a JSON string reads as its \u00XX escape. cjson takes such bytes
// as they are; RapidJSON, following the RFC, rejects them.
class CjsonInputStream {
 public:
  using Ch = char;

  explicit CjsonInputStream(const char* s) : src_(s) {}

  Ch Peek() const { return escape_len_ > 0 ? escape_[escape_pos_] : src_[pos_]; }
  Ch Take() {
    if (escape_len_ > 0) {
      Ch c = escape_[escape_pos_++];
      if (escape_pos_ == escape_len_) {
        escape_len_ = 0;
        pos_++;
        EscapeNextIfControl();
      }
      return c;
    }
    Ch c = src_[pos_++];
    if (!in_string_) {
      in_string_ = c == '"';
    } else if (after_backslash_) {
      after_backslash_ = false;
    } else if (c == '\\') {
      after_backslash_ = true;
    } else if (c == '"') {
      in_string_ = false;
    }
    EscapeNextIfControl();
    return c;
  }
  // Offset in the original text.
  size_t Tell() const { return pos_; }

  // Output side of RapidJSON's stream concept; never used when reading.
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  size_t PutEnd(Ch*) { return 0; }

 private:
  void EscapeNextIfControl() {
    unsigned char c = static_cast<unsigned char>(src_[pos_]);
    if (!in_string_ || after_backslash_ || c == 0 || c >= 0x20) return;
    std::snprintf(escape_, sizeof(escape_), "\\u%04x", c);
    escape_len_ = 6;
    escape_pos_ = 0;
  }

  const char* src_;
  size_t pos_ = 0;
  bool in_string_ = false;
  bool after_backslash_ = false;
  char escape_[7] = {};
  int escape_len_ = 0;
  int escape_pos_ = 0;
};

// Builds Lua values from RapidJSON's SAX events: an open object or array is
// a table on the Lua stack (an object's pending key above it); a finished
// value is stored into the table below it, or left as the result.
class LuaHandler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, LuaHandler> {
 public:
  LuaHandler(lua_State* L, const Config& cfg, const CjsonInputStream& in)
      : L_(L), cfg_(cfg), in_(in) {}

  bool Null() {
    lua_pushlightuserdata(L_, nullptr);
    return Store();
  }
  bool Bool(bool b) {
    lua_pushboolean(L_, b);
    return Store();
  }
  bool RawNumber(const char* s, rapidjson::SizeType len, bool) {
    std::string text(s, len);
    PushNumber(L_, std::strtod(text.c_str(), nullptr));
    return Store();
  }
  bool String(const char* s, rapidjson::SizeType len, bool) {
    lua_pushlstring(L_, s, len);
    return Store();
  }
  bool Key(const char* s, rapidjson::SizeType len, bool) {
    lua_pushlstring(L_, s, len);
    expect_key_ = false;
    return true;
  }
  bool StartObject() { return Descend(false); }
  bool StartArray() { return Descend(true); }
  bool EndObject(rapidjson::SizeType) { return Ascend(); }
  bool EndArray(rapidjson::SizeType) { return Ascend(); }

  // Set when a handler returned false (kParseErrorTermination).
  const std::string& error() const { return error_; }
  // True when the parser is where cjson expects an object key.
  bool expect_key() const { return expect_key_; }

 private:
  struct Open {
    bool array;
    lua_Integer next_index;
  };

  bool Descend(bool array) {
    // Iterative parsing reports the '[' or '{' before consuming it; cjson
    // counts the character after it.
    size_t pos = in_.Tell() + 1;
    if (static_cast<int64_t>(open_.size()) + 1 > cfg_.decode_max_depth || !lua_checkstack(L_, 3)) {
      error_ = "Found too many nested data structures (" + std::to_string(open_.size() + 1) +
               ") at character " + std::to_string(pos);
      return false;
    }
    lua_newtable(L_);
    open_.push_back({array, 1});
    expect_key_ = !array;
    return true;
  }
  bool Ascend() {
    open_.pop_back();
    return Store();
  }
  bool Store() {
    if (open_.empty()) return true;
    Open& top = open_.back();
    if (top.array) {
      lua_rawseti(L_, -2, top.next_index++);
    } else {
      lua_rawset(L_, -3);
      expect_key_ = true;
    }
    return true;
  }

  lua_State* L_;
  const Config& cfg_;
  const CjsonInputStream& in_;
  std::vector<Open> open_;
  bool expect_key_ = false;
  std::string error_;
};

// cjson's name for the token starting at or after `pos` (after whitespace),
// and the 1-based character where it starts.
std::string FoundAt(std::string_view s, size_t pos, const char* found_override) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r')) {
    pos++;
  }
  const char* found = found_override;
  if (found == nullptr) {
    std::string_view rest = pos < s.size() ? s.substr(pos) : std::string_view();
    char c = rest.empty() ? '\0' : rest[0];
    if (c == '\0') {
      found = "T_END";
    } else if (c == '{') {
      found = "T_OBJ_BEGIN";
    } else if (c == '}') {
      found = "T_OBJ_END";
    } else if (c == '[') {
      found = "T_ARR_BEGIN";
    } else if (c == ']') {
      found = "T_ARR_END";
    } else if (c == '"') {
      found = "T_STRING";
    } else if (c == ':') {
      found = "T_COLON";
    } else if (c == ',') {
      found = "T_COMMA";
    } else if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      found = "T_NUMBER";
    } else if (rest.starts_with("true") || rest.starts_with("false")) {
      found = "T_BOOLEAN";
    } else if (rest.starts_with("null")) {
      found = "T_NULL";
    } else {
      found = "invalid token";
    }
  }
  return std::string(found) + " at character " + std::to_string(pos + 1);
}

std::string ParseErrorMessage(std::string_view json, const rapidjson::ParseResult& result,
                              const LuaHandler& handler) {
  using namespace rapidjson;
  const char* expected = "value";
  const char* found = nullptr;
  size_t pos = result.Offset();
  switch (result.Code()) {
    case kParseErrorTermination:
      return handler.error();
    case kParseErrorDocumentRootNotSingular:
      expected = "the end";
      break;
    case kParseErrorObjectMissName:
      expected = "object key string";
      break;
    case kParseErrorObjectMissColon:
      expected = "colon";
      break;
    case kParseErrorObjectMissCommaOrCurlyBracket:
      expected = "comma or object end";
      break;
    case kParseErrorArrayMissCommaOrSquareBracket:
      expected = "comma or array end";
      break;
    case kParseErrorStringUnicodeEscapeInvalidHex:
    case kParseErrorStringUnicodeSurrogateInvalid:
      found = "invalid unicode escape code";
      break;
    case kParseErrorStringEscapeInvalid:
      found = "invalid escape code";
      break;
    case kParseErrorStringMissQuotationMark:
      found = "unexpected end of string";
      break;
    case kParseErrorStringInvalidEncoding:
      found = "invalid token";
      break;
    case kParseErrorNumberTooBig:
    case kParseErrorNumberMissFraction:
    case kParseErrorNumberMissExponent:
      found = "invalid number";
      break;
    case kParseErrorValueInvalid:
      // RapidJSON stops inside a misspelt literal ("tru"); cjson reports
      // the token from its start.
      while (pos > 0 && std::isalpha(static_cast<unsigned char>(json[pos - 1]))) pos--;
      break;
    default:  // kParseErrorDocumentEmpty
      break;
  }
  if (found != nullptr && handler.expect_key()) expected = "object key string";
  return std::string("Expected ") + expected + " but found " + FoundAt(json, pos, found);
}

int Decode(lua_State* L) {
  Config* cfg = GetConfig(L);
  luaL_argcheck(L, lua_gettop(L) == 1, 1, "expected 1 argument");
  size_t len;
  const char* data = luaL_checklstring(L, 1, &len);
  // A JSON text starts with two ASCII characters; a NUL among them means a
  // UTF-16 or UTF-32 encoding.
  if (len >= 2 && (data[0] == '\0' || data[1] == '\0')) {
    return luaL_error(L, "JSON parser does not support UTF-16 or UTF-32");
  }
  CjsonInputStream in(data);  // Lua strings are NUL-terminated
  LuaHandler handler(L, *cfg, in);
  rapidjson::Reader reader;
  rapidjson::ParseResult result;
  constexpr unsigned kFlags =
      rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
  if (cfg->decode_invalid_numbers) {
    result = reader.Parse<kFlags | rapidjson::kParseNanAndInfFlag>(in, handler);
  } else {
    result = reader.Parse<kFlags>(in, handler);
  }
  if (result.IsError()) {
    std::string message = ParseErrorMessage(std::string_view(data, len), result, handler);
    return luaL_error(L, "%s", message.c_str());
  }
  return 1;
}

// ----------------------------------------------------------- configuration

// Checks a configuration function got at most `args` arguments and pads them
// with nils.
Config* ConfigArgs(lua_State* L, int args) {
  luaL_argcheck(L, lua_gettop(L) <= args, args + 1, "found too many arguments");
  while (lua_gettop(L) < args) lua_pushnil(L);
  return GetConfig(L);
}

// Sets *setting from argument `index` unless it is nil, and pushes its value.
void IntegerOption(lua_State* L, int index, int* setting, int min, int max) {
  if (!lua_isnil(L, index)) {
    lua_Integer value = luaL_checkinteger(L, index);
    char msg[64];
    std::snprintf(msg, sizeof(msg), "expected integer between %d and %d", min, max);
    luaL_argcheck(L, min <= value && value <= max, 1, msg);
    *setting = static_cast<int>(value);
  }
  lua_pushinteger(L, *setting);
}

// As IntegerOption for an option named by `options` (nullptr: "off"/"on"),
// which also takes a boolean (true selects option `bool_true`).
void EnumOption(lua_State* L, int index, int* setting, const char* const* options, int bool_true) {
  static const char* const kBoolOptions[] = {"off", "on", nullptr};
  if (options == nullptr) {
    options = kBoolOptions;
    bool_true = 1;
  }
  if (!lua_isnil(L, index)) {
    if (bool_true && lua_isboolean(L, index)) {
      *setting = lua_toboolean(L, index) * bool_true;
    } else {
      *setting = luaL_checkoption(L, index, nullptr, options);
    }
  }
  if (bool_true && (*setting == 0 || *setting == bool_true)) {
    lua_pushboolean(L, *setting);
  } else {
    lua_pushstring(L, options[*setting]);
  }
}

int EncodeSparseArray(lua_State* L) {
  Config* cfg = ConfigArgs(L, 3);
  EnumOption(L, 1, &cfg->encode_sparse_convert, nullptr, 1);
  IntegerOption(L, 2, &cfg->encode_sparse_ratio, 0, INT_MAX);
  IntegerOption(L, 3, &cfg->encode_sparse_safe, 0, INT_MAX);
  return 3;
}

int EncodeMaxDepth(lua_State* L) {
  Config* cfg = ConfigArgs(L, 1);
  IntegerOption(L, 1, &cfg->encode_max_depth, 1, INT_MAX);
  return 1;
}

int DecodeMaxDepth(lua_State* L) {
  Config* cfg = ConfigArgs(L, 1);
  IntegerOption(L, 1, &cfg->decode_max_depth, 1, INT_MAX);
  return 1;
}

int EncodeNumberPrecision(lua_State* L) {
  Config* cfg = ConfigArgs(L, 1);
  IntegerOption(L, 1, &cfg->encode_number_precision, 1, 14);
  return 1;
}

int EncodeKeepBuffer(lua_State* L) {
  Config* cfg = ConfigArgs(L, 1);
  EnumOption(L, 1, &cfg->encode_keep_buffer, nullptr, 1);
  if (!cfg->encode_keep_buffer) std::string().swap(cfg->buffer);
  return 1;
}

int EncodeInvalidNumbers(lua_State* L) {
  static const char* const kOptions[] = {"off", "on", "null", nullptr};
  Config* cfg = ConfigArgs(L, 1);
  EnumOption(L, 1, &cfg->encode_invalid_numbers, kOptions, 1);
  return 1;
}

int DecodeInvalidNumbers(lua_State* L) {
  Config* cfg = ConfigArgs(L, 1);
  EnumOption(L, 1, &cfg->decode_invalid_numbers, nullptr, 1);
  return 1;
}

int NewModule(lua_State* L);

constexpr luaL_Reg kCjsonFunctions[] = {
    {"encode", Encode},
    {"decode", Decode},
    {"encode_sparse_array", EncodeSparseArray},
    {"encode_max_depth", EncodeMaxDepth},
    {"decode_max_depth", DecodeMaxDepth},
    {"encode_number_precision", EncodeNumberPrecision},
    {"encode_keep_buffer", EncodeKeepBuffer},
    {"encode_invalid_numbers", EncodeInvalidNumbers},
    {"decode_invalid_numbers", DecodeInvalidNumbers},
    {"new", NewModule},
    {nullptr, nullptr},
};

int CollectConfig(lua_State* L) {
  static_cast<Config*>(lua_touserdata(L, 1))->~Config();
  return 0;
}

// Pushes a new module table whose functions share a fresh Config.
int NewModule(lua_State* L) {
  lua_newtable(L);
  void* mem = lua_newuserdatauv(L, sizeof(Config), 0);
  new (mem) Config();
  lua_newtable(L);
  lua_pushcfunction(L, CollectConfig);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  luaL_setfuncs(L, kCjsonFunctions, 1);  // pops the Config
  lua_pushlightuserdata(L, nullptr);
  lua_setfield(L, -2, "null");
  lua_pushliteral(L, "cjson");
  lua_setfield(L, -2, "_NAME");
  lua_pushliteral(L, "2.1.0");
  lua_setfield(L, -2, "_VERSION");
  return 1;
}

}  // namespace

void OpenCjson(lua_State* L) {
  NewModule(L);
  lua_setglobal(L, "cjson");
}

}  // namespace strata::scripting::lualib
