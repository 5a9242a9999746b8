// Golden tests of the command specs (server/command_specs_generated.cc)
// against Redis 7.0.15's own metadata (tools/redis-commands.json), of
// CommandTable lookups, of key extraction against tables captured from a
// real redis-server's COMMAND GETKEYSANDFLAGS, and of the COMMAND replies.
//
// Regenerate the key table with
//   /usr/bin/python3 tools/gen_command_specs.py --getkeys-golden
#include "server/command_table.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "server/command_context.h"
#include "server/command_spec.h"
#include "server/commands/command_cmd.h"
#include "server/reply_builder.h"
#include "server/resp3_transcode.h"

namespace strata::server {
namespace {

// --- A minimal JSON reader, enough for tools/redis-commands.json -----------

struct Json {
  enum class Type { kNull, kBool, kInt, kString, kArray, kObject } type = Type::kNull;
  bool b = false;
  int64_t i = 0;
  std::string s;
  std::vector<Json> array;
  std::vector<std::pair<std::string, Json>> object;  // in file order

  const Json& operator[](std::string_view key) const {
    for (const auto& [k, v] : object) {
      if (k == key) return v;
    }
    static const Json kNull;
    return kNull;
  }
  bool Has(std::string_view key) const {
    for (const auto& kv : object) {
      if (kv.first == key) return true;
    }
    return false;
  }
};

class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : t_(text) {}

  bool Parse(Json* out) {
    bool ok = Value(out);
    Space();
    return ok && p_ == t_.size();
  }

 private:
  void Space() {
    while (p_ < t_.size() &&
           (t_[p_] == ' ' || t_[p_] == '\n' || t_[p_] == '\r' || t_[p_] == '\t')) {
      ++p_;
    }
  }
  bool Eat(char c) {
    Space();
    if (p_ < t_.size() && t_[p_] == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool Literal(std::string_view word) {
    if (t_.substr(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }
  static void AppendUtf8(uint32_t cp, std::string* s) {
    if (cp < 0x80) {
      s->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      s->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      s->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      s->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      s->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      s->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      s->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      s->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  bool Hex4(uint32_t* v) {
    if (p_ + 4 > t_.size()) return false;
    *v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = t_[p_++];
      *v <<= 4;
      if (c >= '0' && c <= '9')
        *v |= c - '0';
      else if (c >= 'a' && c <= 'f')
        *v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        *v |= c - 'A' + 10;
      else
        return false;
    }
    return true;
  }
  bool String(std::string* s) {
    if (!Eat('"')) return false;
    while (p_ < t_.size() && t_[p_] != '"') {
      char c = t_[p_++];
      if (c != '\\') {
        s->push_back(c);
        continue;
      }
      if (p_ >= t_.size()) return false;
      char e = t_[p_++];
      switch (e) {
        case 'n':
          s->push_back('\n');
          break;
        case 'r':
          s->push_back('\r');
          break;
        case 't':
          s->push_back('\t');
          break;
        case 'b':
          s->push_back('\b');
          break;
        case 'f':
          s->push_back('\f');
          break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00) {
            uint32_t lo;
            if (!Literal("\\u") || !Hex4(&lo)) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          AppendUtf8(cp, s);
          break;
        }
        default:
          s->push_back(e);
          break;
      }
    }
    return Eat('"');
  }
  bool Value(Json* v) {
    Space();
    if (p_ >= t_.size()) return false;
    char c = t_[p_];
    if (c == '{') {
      ++p_;
      v->type = Json::Type::kObject;
      if (Eat('}')) return true;
      do {
        std::string key;
        Json val;
        if (!String(&key) || !Eat(':') || !Value(&val)) return false;
        v->object.emplace_back(std::move(key), std::move(val));
      } while (Eat(','));
      return Eat('}');
    }
    if (c == '[') {
      ++p_;
      v->type = Json::Type::kArray;
      if (Eat(']')) return true;
      do {
        v->array.emplace_back();
        if (!Value(&v->array.back())) return false;
      } while (Eat(','));
      return Eat(']');
    }
    if (c == '"') {
      v->type = Json::Type::kString;
      return String(&v->s);
    }
    if (Literal("true") || Literal("false")) {
      v->type = Json::Type::kBool;
      v->b = t_[p_ - 2] == 'u';  // "true" ends in "ue", "false" in "se"
      return true;
    }
    if (Literal("null")) return true;
    v->type = Json::Type::kInt;
    bool neg = Eat('-');
    if (p_ >= t_.size() || t_[p_] < '0' || t_[p_] > '9') return false;
    while (p_ < t_.size() && t_[p_] >= '0' && t_[p_] <= '9') v->i = v->i * 10 + (t_[p_++] - '0');
    if (neg) v->i = -v->i;
    return true;
  }

  std::string_view t_;
  size_t p_ = 0;
};

const Json& RedisFacts() {
  static const Json facts = [] {
    std::filesystem::path path = std::filesystem::path(__FILE__).parent_path() / ".." / ".." /
                                 ".." / "tools" / "redis-commands.json";
    std::ifstream in(path);
    EXPECT_TRUE(in.good()) << "cannot open " << path;
    std::stringstream buf;
    buf << in.rdbuf();
    std::string text = buf.str();
    Json j;
    EXPECT_TRUE(JsonReader(text).Parse(&j)) << "cannot parse " << path;
    return j;
  }();
  return facts;
}

// The RESP3 bytes of a COMMAND DOCS value in the JSON's natural form: the
// generator's rules ("doc_flags" and "flags" are sets of simple strings,
// "history" a set, other lists arrays, strings bulk strings).
void EncodeDocs(const Json& v, std::string_view key, bool simple, std::string* out) {
  switch (v.type) {
    case Json::Type::kObject:
      *out += "%" + std::to_string(v.object.size()) + "\r\n";
      for (const auto& [k, val] : v.object) {
        *out += "$" + std::to_string(k.size()) + "\r\n" + k + "\r\n";
        EncodeDocs(val, k, false, out);
      }
      break;
    case Json::Type::kArray: {
      bool is_set = key == "doc_flags" || key == "flags" || key == "history";
      *out += (is_set ? "~" : "*") + std::to_string(v.array.size()) + "\r\n";
      for (const Json& e : v.array) EncodeDocs(e, "", key == "doc_flags" || key == "flags", out);
      break;
    }
    case Json::Type::kString:
      if (simple) {
        *out += "+" + v.s + "\r\n";
      } else {
        *out += "$" + std::to_string(v.s.size()) + "\r\n" + v.s + "\r\n";
      }
      break;
    case Json::Type::kInt:
      *out += ":" + std::to_string(v.i) + "\r\n";
      break;
    default:
      ADD_FAILURE() << "unexpected JSON value in docs";
  }
}

uint64_t Bits(const Json& names, const std::map<std::string, uint64_t>& table) {
  uint64_t bits = 0;
  for (const Json& n : names.array) {
    auto it = table.find(n.s);
    EXPECT_NE(it, table.end()) << "unknown name " << n.s;
    if (it != table.end()) bits |= it->second;
  }
  return bits;
}

const std::map<std::string, uint64_t> kFlagBits = {
    {"write", kCmdWrite},
    {"readonly", kCmdReadonly},
    {"denyoom", kCmdDenyOom},
    {"module", kCmdModule},
    {"admin", kCmdAdmin},
    {"pubsub", kCmdPubsub},
    {"noscript", kCmdNoscript},
    {"blocking", kCmdBlocking},
    {"loading", kCmdLoading},
    {"stale", kCmdStale},
    {"skip_monitor", kCmdSkipMonitor},
    {"skip_slowlog", kCmdSkipSlowlog},
    {"asking", 1ULL << 23},  // no CommandFlag name yet
    {"fast", kCmdFast},
    {"no_auth", kCmdNoAuth},
    {"may_replicate", kCmdMayReplicate},
    {"sentinel", kCmdSentinel},
    {"only_sentinel", kCmdOnlySentinel},
    {"no_mandatory_keys", kCmdNoMandatoryKeys},
    {"protected", kCmdProtected},
    {"no_async_loading", kCmdNoAsyncLoading},
    {"no_multi", kCmdNoMulti},
    {"movablekeys", kCmdMovableKeys},
    {"allow_busy", kCmdAllowBusy},
};

const std::map<std::string, uint64_t> kAclBits = {
    {"@keyspace", kAclKeyspace},
    {"@read", kAclRead},
    {"@write", kAclWrite},
    {"@set", kAclSet},
    {"@sortedset", kAclSortedSet},
    {"@list", kAclList},
    {"@hash", kAclHash},
    {"@string", kAclString},
    {"@bitmap", kAclBitmap},
    {"@hyperloglog", kAclHyperLogLog},
    {"@geo", kAclGeo},
    {"@stream", kAclStream},
    {"@pubsub", kAclPubsub},
    {"@admin", kAclAdmin},
    {"@fast", kAclFast},
    {"@slow", kAclSlow},
    {"@blocking", kAclBlocking},
    {"@dangerous", kAclDangerous},
    {"@connection", kAclConnection},
    {"@transaction", kAclTransaction},
    {"@scripting", kAclScripting},
};

const std::map<std::string, uint64_t> kKeySpecBits = {
    {"RO", kKsRO},
    {"RW", kKsRW},
    {"OW", kKsOW},
    {"RM", kKsRM},
    {"access", kKsAccess},
    {"update", kKsUpdate},
    {"insert", kKsInsert},
    {"delete", kKsDelete},
    {"not_key", kKsNotKey},
    {"incomplete", kKsIncomplete},
    {"variable_flags", kKsVariableFlags},
};

const CommandSpec* SpecNamed(std::string_view name) {
  for (const CommandSpec& s : RedisCommandSpecs()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

void Dummy(CommandContext&) {}

bool IsContainer(std::string_view name) {
  for (const CommandSpec& s : RedisCommandSpecs()) {
    if (s.name.size() > name.size() && s.name.starts_with(name) && s.name[name.size()] == '|') {
      return true;
    }
  }
  return false;
}

// Serves every Redis command (a dummy handler) and the COMMAND family.
void RegisterEverything(CommandTable* table) {
  for (const CommandSpec& s : RedisCommandSpecs()) {
    if (s.name == "command" || s.name.starts_with("command|") || IsContainer(s.name)) continue;
    table->Register(s.name, Dummy);
  }
  RegisterCommandCommands(*table);
}

// --- Specs against the JSON facts ------------------------------------------

TEST(CommandSpecsTest, SortedAndUnique) {
  std::span<const CommandSpec> specs = RedisCommandSpecs();
  ASSERT_GT(specs.size(), 300u);
  for (size_t i = 1; i < specs.size(); ++i) {
    EXPECT_LT(specs[i - 1].name, specs[i].name) << "at " << i;
  }
}

TEST(CommandSpecsTest, MatchRedisCommandInfo) {
  const Json& facts = RedisFacts();
  ASSERT_EQ(facts["redis_version"].s, "7.0.15");
  const Json& commands = facts["commands"];
  ASSERT_EQ(commands.array.size(), RedisCommandSpecs().size());
  for (const Json& c : commands.array) {
    SCOPED_TRACE(c["name"].s);
    const CommandSpec* spec = SpecNamed(c["name"].s);
    ASSERT_NE(spec, nullptr);
    EXPECT_EQ(spec->arity, c["arity"].i);
    EXPECT_EQ(spec->first_key, c["first_key"].i);
    EXPECT_EQ(spec->last_key, c["last_key"].i);
    EXPECT_EQ(spec->key_step, c["step"].i);
    EXPECT_EQ(spec->flags, Bits(c["flags"], kFlagBits) | Bits(c["hidden_flags"], kFlagBits));
    EXPECT_EQ(spec->acl_categories, Bits(c["acl_categories"], kAclBits));
    EXPECT_EQ(spec->group, c["group"].s);
    ASSERT_EQ(spec->tips.size(), c["tips"].array.size());
    for (size_t i = 0; i < spec->tips.size(); ++i) EXPECT_EQ(spec->tips[i], c["tips"].array[i].s);

    const Json& specs = c["key_specs"];
    ASSERT_EQ(spec->key_specs.size(), specs.array.size());
    for (size_t i = 0; i < specs.array.size(); ++i) {
      const Json& j = specs.array[i];
      const KeySpec& ks = spec->key_specs[i];
      EXPECT_EQ(ks.flags, Bits(j["flags"], kKeySpecBits));
      EXPECT_EQ(KeySpecNotes(ks), j["notes"].s);
      const Json& bs = j["begin_search"];
      if (bs["type"].s == "index") {
        EXPECT_EQ(ks.begin_search, KeySpec::BeginSearch::kIndex);
        EXPECT_EQ(ks.bs_index, bs["spec"]["index"].i);
      } else if (bs["type"].s == "keyword") {
        EXPECT_EQ(ks.begin_search, KeySpec::BeginSearch::kKeyword);
        EXPECT_EQ(ks.bs_keyword, bs["spec"]["keyword"].s);
        EXPECT_EQ(ks.bs_startfrom, bs["spec"]["startfrom"].i);
      } else {
        EXPECT_EQ(ks.begin_search, KeySpec::BeginSearch::kUnknown);
      }
      const Json& fk = j["find_keys"];
      if (fk["type"].s == "range") {
        EXPECT_EQ(ks.find_keys, KeySpec::FindKeys::kRange);
        EXPECT_EQ(ks.fk_lastkey, fk["spec"]["lastkey"].i);
        EXPECT_EQ(ks.fk_keystep, fk["spec"]["keystep"].i);
        EXPECT_EQ(ks.fk_limit, fk["spec"]["limit"].i);
      } else if (fk["type"].s == "keynum") {
        EXPECT_EQ(ks.find_keys, KeySpec::FindKeys::kKeynum);
        EXPECT_EQ(ks.fk_keynumidx, fk["spec"]["keynumidx"].i);
        EXPECT_EQ(ks.fk_firstkey, fk["spec"]["firstkey"].i);
        EXPECT_EQ(ks.fk_keystep, fk["spec"]["keystep"].i);
      } else {
        EXPECT_EQ(ks.find_keys, KeySpec::FindKeys::kUnknown);
      }
    }

    std::string docs;
    EncodeDocs(c["docs"], "", false, &docs);
    EXPECT_EQ(spec->docs_resp3, docs);
  }
}

TEST(CommandSpecsTest, DocsTranscodeToResp2) {
  for (const CommandSpec& s : RedisCommandSpecs()) {
    std::string out;
    ASSERT_TRUE(TranscodeResp3ToResp2(s.docs_resp3, &out)) << s.name;
    EXPECT_EQ(out.front(), '*') << s.name;
    EXPECT_EQ(out.find('%'), out.npos) << s.name;
  }
}

TEST(Resp3TranscodeTest, Types) {
  auto t = [](std::string_view in) {
    std::string out;
    EXPECT_TRUE(TranscodeResp3ToResp2(in, &out)) << in;
    return out;
  };
  EXPECT_EQ(t("%1\r\n+a\r\n:1\r\n"), "*2\r\n+a\r\n:1\r\n");
  EXPECT_EQ(t("~2\r\n$1\r\nx\r\n_\r\n"), "*2\r\n$1\r\nx\r\n$-1\r\n");
  EXPECT_EQ(t("#t\r\n#f\r\n,1.5\r\n(123\r\n"), ":1\r\n:0\r\n$3\r\n1.5\r\n$3\r\n123\r\n");
  EXPECT_EQ(t("=7\r\ntxt:abc\r\n"), "$3\r\nabc\r\n");
  EXPECT_EQ(t("!5\r\nERR x\r\n"), "-ERR x\r\n");
  EXPECT_EQ(t("|1\r\n+k\r\n+v\r\n:5\r\n"), ":5\r\n");
  EXPECT_EQ(t(">2\r\n$1\r\na\r\n*-1\r\n"), "*2\r\n$1\r\na\r\n*-1\r\n");
  EXPECT_EQ(t("$-1\r\n-ERR e\r\n"), "$-1\r\n-ERR e\r\n");
  std::string out = "keep";
  EXPECT_FALSE(TranscodeResp3ToResp2("*2\r\n:1\r\n", &out));
  EXPECT_FALSE(TranscodeResp3ToResp2("$5\r\nab\r\n", &out));
  EXPECT_FALSE(TranscodeResp3ToResp2("?x\r\n", &out));
  EXPECT_EQ(out, "keep");
}

// --- CommandTable ------------------------------------------------------------

TEST(CommandTableTest, FindIsCaseInsensitive) {
  CommandTable table;
  table.Register("get", Dummy);
  table.Register("GEORADIUSBYMEMBER_RO", Dummy);
  table.Register("config|get", Dummy);
  table.Register("config|set", Dummy);

  const CommandEntry* get = table.Find("get");
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(get->name(), "get");
  EXPECT_EQ(table.Find("GET"), get);
  EXPECT_EQ(table.Find("gEt"), get);
  EXPECT_NE(table.Find("georadiusbymember_ro"), nullptr);
  EXPECT_NE(table.Find("GeoRadiusByMember_RO"), nullptr);
  EXPECT_EQ(table.Find("set"), nullptr);  // has a spec, not served
  EXPECT_EQ(table.Find("gett"), nullptr);
  EXPECT_EQ(table.Find("ge"), nullptr);
  EXPECT_EQ(table.Find(""), nullptr);
  EXPECT_EQ(table.Find("config|get"), nullptr);  // subcommands are not top-level

  const CommandEntry* config = table.Find("CONFIG");
  ASSERT_NE(config, nullptr);
  EXPECT_EQ(config->handler, nullptr);  // a pure container
  ASSERT_EQ(config->subcommands.size(), 2u);
  const CommandEntry* config_get = table.FindSubcommand(*config, "GeT");
  ASSERT_NE(config_get, nullptr);
  EXPECT_EQ(config_get->name(), "config|get");
  EXPECT_EQ(config_get->parent, config);
  EXPECT_EQ(table.FindSubcommand(*config, "SET")->name(), "config|set");
  EXPECT_EQ(table.FindSubcommand(*config, "rewrite"), nullptr);  // not served
  EXPECT_EQ(table.FindSubcommand(*config, "config|get"), nullptr);
  EXPECT_EQ(table.FindSubcommand(*get, "x"), nullptr);
  EXPECT_EQ(table.commands().size(), 3u);  // config, georadiusbymember_ro, get
}

TEST(CommandTableTest, ContainerWithOwnHandler) {
  CommandTable table;
  table.Register("command|count", Dummy);
  const CommandEntry* command = table.Find("command");
  ASSERT_NE(command, nullptr);
  EXPECT_EQ(command->handler, nullptr);
  table.Register("command", Dummy);
  EXPECT_EQ(table.Find("command"), command);
  EXPECT_NE(command->handler, nullptr);
  EXPECT_EQ(command->subcommands.size(), 1u);
}

TEST(CommandTableDeathTest, RegisterUnknownAborts) {
  EXPECT_DEATH(
      {
        CommandTable table;
        table.Register("nosuchcommand", Dummy);
      },
      "nosuchcommand.*no such command");
  EXPECT_DEATH(
      {
        CommandTable table;
        table.Register("config|nosuch", Dummy);
      },
      "no such command");
  EXPECT_DEATH(
      {
        CommandTable table;
        table.Register("get", Dummy);
        table.Register("GET", Dummy);
      },
      "registered twice");
}

// --- Key extraction, against real Redis's COMMAND GETKEYSANDFLAGS ------------

enum Outcome { kValid, kNoKeys, kInvalidArgs, kBadArity, kUnknownCommand };

struct GetKeysCase {
  std::vector<std::string_view> argv;
  Outcome outcome;
  std::vector<KeyReference> keys;
};

// Captured from redis-server 7.0.15 (tools/gen_command_specs.py --getkeys-golden).
const GetKeysCase kGetKeysCases[] = {
    // clang-format off
    {{"get", "k"}, kValid, {{1, kKsRO | kKsAccess}}},
    {{"set", "k", "v"}, kValid, {{1, kKsOW | kKsUpdate}}},
    {{"set", "k", "v", "get"}, kValid, {{1, kKsRW | kKsAccess | kKsUpdate}}},
    {{"set", "k", "v", "EX", "10", "GET"}, kValid, {{1, kKsRW | kKsAccess | kKsUpdate}}},
    {{"getex", "k", "PERSIST"}, kValid, {{1, kKsRW | kKsAccess | kKsUpdate}}},
    {{"mget", "a", "b", "c"}, kValid, {{1, kKsRO | kKsAccess}, {2, kKsRO | kKsAccess}, {3, kKsRO | kKsAccess}}},
    {{"mset", "a", "1", "b", "2", "c", "3"}, kValid, {{1, kKsOW | kKsUpdate}, {3, kKsOW | kKsUpdate}, {5, kKsOW | kKsUpdate}}},
    {{"msetnx", "a", "1", "b", "2"}, kValid, {{1, kKsOW | kKsInsert}, {3, kKsOW | kKsInsert}}},
    {{"del", "a", "b", "c"}, kValid, {{1, kKsRM | kKsDelete}, {2, kKsRM | kKsDelete}, {3, kKsRM | kKsDelete}}},
    {{"exists", "a", "b"}, kValid, {{1, kKsRO}, {2, kKsRO}}},
    {{"unlink", "a", "b"}, kValid, {{1, kKsRM | kKsDelete}, {2, kKsRM | kKsDelete}}},
    {{"touch", "a"}, kValid, {{1, kKsRO}}},
    {{"rename", "a", "b"}, kValid, {{1, kKsRW | kKsAccess | kKsDelete}, {2, kKsOW | kKsUpdate}}},
    {{"renamenx", "a", "b"}, kValid, {{1, kKsRW | kKsAccess | kKsDelete}, {2, kKsOW | kKsInsert}}},
    {{"copy", "a", "b"}, kValid, {{1, kKsRO | kKsAccess}, {2, kKsOW | kKsUpdate}}},
    {{"copy", "a", "b", "DB", "1", "REPLACE"}, kValid, {{1, kKsRO | kKsAccess}, {2, kKsOW | kKsUpdate}}},
    {{"smove", "a", "b", "m"}, kValid, {{1, kKsRW | kKsAccess | kKsDelete}, {2, kKsRW | kKsInsert}}},
    {{"lmove", "a", "b", "LEFT", "RIGHT"}, kValid, {{1, kKsRW | kKsAccess | kKsDelete}, {2, kKsRW | kKsInsert}}},
    {{"blmove", "a", "b", "LEFT", "RIGHT", "0"}, kValid, {{1, kKsRW | kKsAccess | kKsDelete}, {2, kKsRW | kKsInsert}}},
    {{"rpoplpush", "a", "b"}, kValid, {{1, kKsRW | kKsAccess | kKsDelete}, {2, kKsRW | kKsInsert}}},
    {{"brpoplpush", "a", "b", "0"}, kValid, {{1, kKsRW | kKsAccess | kKsDelete}, {2, kKsRW | kKsInsert}}},
    {{"blpop", "a", "b", "c", "0"}, kValid, {{1, kKsRW | kKsAccess | kKsDelete}, {2, kKsRW | kKsAccess | kKsDelete}, {3, kKsRW | kKsAccess | kKsDelete}}},
    {{"brpop", "a", "0"}, kValid, {{1, kKsRW | kKsAccess | kKsDelete}}},
    {{"bzpopmin", "a", "b", "0"}, kValid, {{1, kKsRW | kKsAccess | kKsDelete}, {2, kKsRW | kKsAccess | kKsDelete}}},
    {{"sinterstore", "d", "a", "b"}, kValid, {{1, kKsRW | kKsUpdate}, {2, kKsRO | kKsAccess}, {3, kKsRO | kKsAccess}}},
    {{"sunionstore", "d", "a"}, kValid, {{1, kKsOW | kKsUpdate}, {2, kKsRO | kKsAccess}}},
    {{"sdiff", "a", "b", "c"}, kValid, {{1, kKsRO | kKsAccess}, {2, kKsRO | kKsAccess}, {3, kKsRO | kKsAccess}}},
    {{"sintercard", "2", "a", "b"}, kValid, {{2, kKsRO | kKsAccess}, {3, kKsRO | kKsAccess}}},
    {{"sintercard", "2", "a", "b", "LIMIT", "5"}, kValid, {{2, kKsRO | kKsAccess}, {3, kKsRO | kKsAccess}}},
    {{"zunionstore", "d", "2", "a", "b"}, kValid, {{1, kKsOW | kKsUpdate}, {3, kKsRO | kKsAccess}, {4, kKsRO | kKsAccess}}},
    {{"zunionstore", "d", "2", "a", "b", "WEIGHTS", "1", "2"}, kValid, {{1, kKsOW | kKsUpdate}, {3, kKsRO | kKsAccess}, {4, kKsRO | kKsAccess}}},
    {{"zinterstore", "d", "3", "a", "b", "c", "AGGREGATE", "MAX"}, kValid, {{1, kKsOW | kKsUpdate}, {3, kKsRO | kKsAccess}, {4, kKsRO | kKsAccess}, {5, kKsRO | kKsAccess}}},
    {{"zdiffstore", "d", "1", "a"}, kValid, {{1, kKsOW | kKsUpdate}, {3, kKsRO | kKsAccess}}},
    {{"zunion", "2", "a", "b"}, kValid, {{2, kKsRO | kKsAccess}, {3, kKsRO | kKsAccess}}},
    {{"zinter", "2", "a", "b", "WITHSCORES"}, kValid, {{2, kKsRO | kKsAccess}, {3, kKsRO | kKsAccess}}},
    {{"zdiff", "2", "a", "b"}, kValid, {{2, kKsRO | kKsAccess}, {3, kKsRO | kKsAccess}}},
    {{"zintercard", "3", "a", "b", "c"}, kValid, {{2, kKsRO | kKsAccess}, {3, kKsRO | kKsAccess}, {4, kKsRO | kKsAccess}}},
    {{"zrangestore", "d", "s", "0", "-1"}, kValid, {{1, kKsOW | kKsUpdate}, {2, kKsRO | kKsAccess}}},
    {{"zmpop", "2", "a", "b", "MIN"}, kValid, {{2, kKsRW | kKsAccess | kKsDelete}, {3, kKsRW | kKsAccess | kKsDelete}}},
    {{"bzmpop", "0", "2", "a", "b", "MAX", "COUNT", "2"}, kValid, {{3, kKsRW | kKsAccess | kKsDelete}, {4, kKsRW | kKsAccess | kKsDelete}}},
    {{"lmpop", "2", "a", "b", "LEFT"}, kValid, {{2, kKsRW | kKsAccess | kKsDelete}, {3, kKsRW | kKsAccess | kKsDelete}}},
    {{"blmpop", "0", "3", "a", "b", "c", "RIGHT"}, kValid, {{3, kKsRW | kKsAccess | kKsDelete}, {4, kKsRW | kKsAccess | kKsDelete}, {5, kKsRW | kKsAccess | kKsDelete}}},
    {{"eval", "return 1", "0"}, kValid, {}},
    {{"eval", "return 1", "2", "a", "b", "x", "y"}, kValid, {{3, kKsRW | kKsAccess | kKsUpdate}, {4, kKsRW | kKsAccess | kKsUpdate}}},
    {{"evalsha", "abc", "1", "a"}, kValid, {{3, kKsRW | kKsAccess | kKsUpdate}}},
    {{"eval_ro", "s", "1", "a"}, kValid, {{3, kKsRO | kKsAccess}}},
    {{"fcall", "f", "2", "a", "b", "c"}, kValid, {{3, kKsRW | kKsAccess | kKsUpdate}, {4, kKsRW | kKsAccess | kKsUpdate}}},
    {{"fcall_ro", "f", "1", "a"}, kValid, {{3, kKsRO | kKsAccess}}},
    {{"sort", "k"}, kValid, {{1, kKsRO | kKsAccess}}},
    {{"sort", "k", "STORE", "d"}, kValid, {{1, kKsRO | kKsAccess}, {3, kKsOW | kKsUpdate}}},
    {{"sort", "k", "BY", "w", "GET", "x", "LIMIT", "0", "1", "STORE", "d"}, kValid, {{1, kKsRO | kKsAccess}, {10, kKsOW | kKsUpdate}}},
    {{"sort", "k", "STORE", "a", "STORE", "b"}, kValid, {{1, kKsRO | kKsAccess}, {5, kKsOW | kKsUpdate}}},
    {{"sort_ro", "k", "BY", "w", "GET", "x"}, kValid, {{1, kKsRO | kKsAccess}}},
    {{"migrate", "h", "6379", "k", "0", "100"}, kValid, {{3, kKsRW | kKsAccess | kKsDelete}}},
    {{"migrate", "h", "6379", "", "0", "100", "KEYS", "a", "b", "c"}, kValid, {{7, kKsRW | kKsAccess | kKsDelete}, {8, kKsRW | kKsAccess | kKsDelete}, {9, kKsRW | kKsAccess | kKsDelete}}},
    {{"migrate", "h", "6379", "", "0", "100", "COPY", "REPLACE", "KEYS", "a", "b"}, kValid, {{9, kKsRW | kKsAccess | kKsDelete}, {10, kKsRW | kKsAccess | kKsDelete}}},
    {{"migrate", "h", "6379", "", "0", "100", "AUTH", "p", "KEYS", "a"}, kValid, {{9, kKsRW | kKsAccess | kKsDelete}}},
    {{"migrate", "h", "6379", "", "0", "100", "AUTH2", "u", "p", "KEYS", "a", "b"}, kValid, {{10, kKsRW | kKsAccess | kKsDelete}, {11, kKsRW | kKsAccess | kKsDelete}}},
    {{"georadius", "k", "1", "2", "3", "m"}, kValid, {{1, kKsRO | kKsAccess}}},
    {{"georadius", "k", "1", "2", "3", "m", "STORE", "d"}, kValid, {{1, kKsRO | kKsAccess}, {7, kKsOW | kKsUpdate}}},
    {{"georadius", "k", "1", "2", "3", "m", "STOREDIST", "d"}, kValid, {{1, kKsRO | kKsAccess}, {7, kKsOW | kKsUpdate}}},
    {{"georadius", "k", "1", "2", "3", "m", "STORE", "d", "STOREDIST", "e"}, kValid, {{1, kKsRO | kKsAccess}, {7, kKsOW | kKsUpdate}, {9, kKsOW | kKsUpdate}}},
    {{"georadiusbymember", "k", "m", "3", "km", "STORE", "d"}, kValid, {{1, kKsRO | kKsAccess}, {6, kKsOW | kKsUpdate}}},
    {{"georadius_ro", "k", "1", "2", "3", "m"}, kValid, {{1, kKsRO | kKsAccess}}},
    {{"geosearchstore", "d", "s", "FROMMEMBER", "m", "BYRADIUS", "1", "km"}, kValid, {{1, kKsOW | kKsUpdate}, {2, kKsRO | kKsAccess}}},
    {{"xread", "STREAMS", "a", "0"}, kValid, {{2, kKsRO | kKsAccess}}},
    {{"xread", "COUNT", "2", "STREAMS", "a", "b", "0", "0"}, kValid, {{4, kKsRO | kKsAccess}, {5, kKsRO | kKsAccess}}},
    {{"xread", "BLOCK", "0", "STREAMS", "a", "b", "c", "1", "2", "3"}, kValid, {{4, kKsRO | kKsAccess}, {5, kKsRO | kKsAccess}, {6, kKsRO | kKsAccess}}},
    {{"xreadgroup", "GROUP", "g", "c", "STREAMS", "a", "b", "0", "0"}, kValid, {{5, kKsRO | kKsAccess}, {6, kKsRO | kKsAccess}}},
    {{"xreadgroup", "GROUP", "g", "c", "COUNT", "1", "NOACK", "STREAMS", "a", ">"}, kValid, {{8, kKsRO | kKsAccess}}},
    {{"xadd", "s", "*", "f", "v"}, kValid, {{1, kKsRW | kKsUpdate}}},
    {{"xgroup", "create", "s", "g", "$"}, kValid, {{2, kKsRW | kKsInsert}}},
    {{"xinfo", "stream", "s"}, kValid, {{2, kKsRO | kKsAccess}}},
    {{"xinfo", "groups", "s"}, kValid, {{2, kKsRO | kKsAccess}}},
    {{"object", "encoding", "k"}, kValid, {{2, kKsRO}}},
    {{"object", "freq", "k"}, kValid, {{2, kKsRO}}},
    {{"memory", "usage", "k"}, kValid, {{2, kKsRO}}},
    {{"memory", "usage", "k", "SAMPLES", "5"}, kValid, {{2, kKsRO}}},
    {{"bitop", "AND", "d", "a", "b", "c"}, kValid, {{2, kKsOW | kKsUpdate}, {3, kKsRO | kKsAccess}, {4, kKsRO | kKsAccess}, {5, kKsRO | kKsAccess}}},
    {{"bitfield", "k", "GET", "u8", "0"}, kValid, {{1, kKsRO | kKsAccess}}},
    {{"bitfield", "k", "SET", "u8", "0", "1"}, kValid, {{1, kKsRW | kKsAccess | kKsUpdate}}},
    {{"bitfield_ro", "k", "GET", "u8", "0"}, kValid, {{1, kKsRO | kKsAccess}}},
    {{"pfmerge", "d", "a", "b"}, kValid, {{1, kKsRW | kKsAccess | kKsInsert}, {2, kKsRO | kKsAccess}, {3, kKsRO | kKsAccess}}},
    {{"pfcount", "a", "b", "c"}, kValid, {{1, kKsRW | kKsAccess}, {2, kKsRW | kKsAccess}, {3, kKsRW | kKsAccess}}},
    {{"watch", "a", "b"}, kValid, {{1, kKsRO}, {2, kKsRO}}},
    {{"lcs", "a", "b"}, kValid, {{1, kKsRO | kKsAccess}, {2, kKsRO | kKsAccess}}},
    {{"lpos", "k", "e", "RANK", "1"}, kValid, {{1, kKsRO | kKsAccess}}},
    {{"hset", "h", "f", "v", "f2", "v2"}, kValid, {{1, kKsRW | kKsUpdate}}},
    {{"linsert", "k", "BEFORE", "p", "e"}, kValid, {{1, kKsRW | kKsInsert}}},
    {{"restore", "k", "0", "payload"}, kValid, {{1, kKsOW | kKsUpdate}}},
    {{"dump", "k"}, kValid, {{1, kKsRO | kKsAccess}}},
    {{"spublish", "ch", "msg"}, kNoKeys, {}},
    {{"ssubscribe", "a", "b"}, kNoKeys, {}},
    {{"sunsubscribe", "a"}, kNoKeys, {}},
    {{"geoadd", "k", "1", "2", "m"}, kValid, {{1, kKsRW | kKsUpdate}}},
    {{"config", "get", "maxmemory"}, kNoKeys, {}},
    {{"get", "a", "b"}, kBadArity, {}},
    {{"nosuchcommand", "a"}, kUnknownCommand, {}},
    {{"zunionstore", "d", "5", "a", "b"}, kInvalidArgs, {}},
    {{"zunionstore", "d", "2x", "a", "b"}, kValid, {{3, 0}, {4, 0}, {1, 0}}},
    {{"zunionstore", "d", "4294967297", "a"}, kValid, {{1, kKsOW | kKsUpdate}, {3, kKsRO | kKsAccess}}},
    {{"eval", "s", "-1"}, kValid, {}},
    {{"eval", "s", "3", "a"}, kValid, {}},
    {{"xread", "STREAMS", "a"}, kBadArity, {}},
    {{"xread", "STREAMS", "a", "b", "c"}, kValid, {{2, kKsRO | kKsAccess}}},
    {{"migrate", "h", "6379", "k", "0", "100", "KEYS", "a"}, kInvalidArgs, {}},
    {{"georadius", "k", "1", "2", "3", "m", "STORE"}, kValid, {{1, kKsRO | kKsAccess}}},
    {{"sort", "k", "STORE"}, kValid, {{1, kKsRO | kKsAccess}}},
    {{"set", "k", "v", "GeT"}, kValid, {{1, kKsRW | kKsAccess | kKsUpdate}}},
    {{"bitfield", "k", "GET", "u8"}, kValid, {{1, kKsRW | kKsAccess | kKsUpdate}}},
    {{"bitfield", "k", "OVERFLOW", "SAT", "GET", "u8", "0"}, kValid, {{1, kKsRO | kKsAccess}}},
    // clang-format on
};

std::string Describe(const std::vector<KeyReference>& keys) {
  std::string s;
  for (const KeyReference& k : keys)
    s += std::to_string(k.pos) + "/" + std::to_string(k.flags) + " ";
  return s;
}

TEST(CommandTableTest, ExtractKeysMatchesRedisGetKeys) {
  CommandTable table;
  RegisterEverything(&table);
  std::set<std::string_view> commands;
  for (const GetKeysCase& c : kGetKeysCases) {
    std::string trace;
    for (std::string_view a : c.argv) trace += std::string(a) + " ";
    SCOPED_TRACE(trace);
    std::span<const std::string_view> argv = c.argv;
    // COMMAND GETKEYS's lookup: argv[1] names a subcommand of a container.
    const CommandEntry* cmd = table.Find(argv[0]);
    if (cmd != nullptr && argv.size() > 1 && !cmd->subcommands.empty()) {
      cmd = table.FindSubcommand(*cmd, argv[1]);
    }
    if (c.outcome == kUnknownCommand) {
      EXPECT_EQ(cmd, nullptr);
      continue;
    }
    ASSERT_NE(cmd, nullptr);
    commands.insert(cmd->name());
    if (c.outcome == kNoKeys) {
      EXPECT_FALSE(CommandHasKeys(*cmd));
      continue;
    }
    EXPECT_TRUE(CommandHasKeys(*cmd));
    if (c.outcome == kBadArity) {
      EXPECT_FALSE(cmd->ArityOk(argv.size()));
      continue;
    }
    EXPECT_TRUE(cmd->ArityOk(argv.size()));
    std::vector<KeyReference> keys = {{99, 99}};  // cleared by ExtractKeys
    std::vector<int> positions = {99};
    bool ok = ExtractKeys(*cmd, argv, &keys);
    EXPECT_EQ(ExtractKeyPositions(*cmd, argv, &positions), ok);
    EXPECT_EQ(ok, c.outcome == kValid);
    if (c.outcome != kValid) continue;
    EXPECT_EQ(Describe(keys), Describe(c.keys));
    ASSERT_EQ(positions.size(), c.keys.size());
    for (size_t i = 0; i < positions.size(); ++i) EXPECT_EQ(positions[i], c.keys[i].pos);
  }
  EXPECT_GE(commands.size(), 40u);
}

TEST(CommandTableTest, CommandsWithoutKeys) {
  CommandTable table;
  RegisterEverything(&table);
  std::vector<std::string_view> ping = {"ping"};
  std::vector<int> positions = {1};
  EXPECT_FALSE(CommandHasKeys(*table.Find("ping")));
  EXPECT_TRUE(ExtractKeyPositions(*table.Find("ping"), ping, &positions));
  EXPECT_TRUE(positions.empty());
}

// --- The COMMAND replies -------------------------------------------------------

class CommandCmdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterEverything(&table_);
    SetCommandTableForIntrospection(&table_);
  }
  void TearDown() override { SetCommandTableForIntrospection(nullptr); }

  // Runs argv as the dispatcher would: container, subcommand, arity, handler.
  std::string Run(int protocol, std::vector<std::string_view> argv) {
    std::string out;
    ReplyBuilder reply(&out);
    reply.set_protocol(protocol);
    CommandContext ctx;
    ctx.argv = argv;
    ctx.reply = &reply;
    const CommandEntry* cmd = table_.Find(argv[0]);
    if (cmd == nullptr) return "unknown";
    if (!cmd->subcommands.empty() && argv.size() >= 2) {
      if (const CommandEntry* sub = table_.FindSubcommand(*cmd, argv[1])) cmd = sub;
    }
    if (!cmd->ArityOk(argv.size())) return "arity";
    ctx.command = cmd;
    cmd->handler(ctx);
    return out;
  }

  CommandTable table_;
};

TEST_F(CommandCmdTest, InfoMatchesRedisBytes) {
  EXPECT_EQ(Run(3, {"command", "info", "GET"}),
            "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n"
            ":1\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n"
            "%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n"
            "%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\n"
            "index\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n"
            "$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n"
            "$5\r\nlimit\r\n:0\r\n~0\r\n");
  EXPECT_EQ(
      Run(2, {"command", "info", "sort"}),
      "*1\r\n*10\r\n$4\r\nsort\r\n:-2\r\n*3\r\n+write\r\n+denyoom\r\n"
      "+movablekeys\r\n:1\r\n:1\r\n:1\r\n*6\r\n+@write\r\n+@set\r\n+@sortedset\r\n"
      "+@list\r\n+@slow\r\n+@dangerous\r\n*0\r\n*3\r\n*6\r\n$5\r\nflags\r\n"
      "*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n"
      "$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\n"
      "find_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
      "*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n"
      ":0\r\n*8\r\n$5\r\nnotes\r\n$120\r\nFor the optional BY/GET keyword. It is marked 'unkno"
      "wn' because the key names derive from the content of the key we sort\r\n"
      "$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n"
      "*4\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$4\r\nspec\r\n*0\r\n$9\r\n"
      "find_keys\r\n*4\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$4\r\nspec\r\n"
      "*0\r\n*8\r\n$5\r\nnotes\r\n$116\r\nFor the optional STORE keyword. It is marked 'unknow"
      "n' because the keyword can appear anywhere in the argument array\r\n"
      "$5\r\nflags\r\n*2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n"
      "*4\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$4\r\nspec\r\n*0\r\n$9\r\n"
      "find_keys\r\n*4\r\n$4\r\ntype\r\n$7\r\nunknown\r\n$4\r\nspec\r\n"
      "*0\r\n*0\r\n");
  EXPECT_EQ(Run(2, {"command", "info", "get|x", "nosuch"}), "*2\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(Run(3, {"command", "info", "nosuch"}), "*1\r\n_\r\n");
}

TEST_F(CommandCmdTest, DocsMatchRedisBytes) {
  EXPECT_EQ(Run(2, {"command", "docs", "get"}),
            "*2\r\n$3\r\nget\r\n*10\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n"
            "$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n"
            "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n*1\r\n*6\r\n"
            "$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\n"
            "key_spec_index\r\n:0\r\n");
  EXPECT_EQ(Run(3, {"command", "docs", "nosuch", "get|x"}), "%0\r\n");
}

TEST(CommandCmdContainerTest, DocsOfAContainerListServedSubcommands) {
  CommandTable table;
  table.Register("config|set", Dummy);
  table.Register("config|get", Dummy);
  RegisterCommandCommands(table);
  SetCommandTableForIntrospection(&table);
  std::string out;
  ReplyBuilder reply(&out);
  reply.set_protocol(3);
  std::vector<std::string_view> argv = {"command", "docs", "config"};
  CommandContext ctx;
  ctx.argv = argv;
  ctx.reply = &reply;
  table.FindSubcommand(*table.Find("command"), "docs")->handler(ctx);
  SetCommandTableForIntrospection(nullptr);

  std::string_view config = SpecNamed("config")->docs_resp3;
  ASSERT_TRUE(config.starts_with("%4\r\n"));
  std::string expected = "%1\r\n$6\r\nconfig\r\n%5\r\n";
  expected += config.substr(4);
  expected += "$11\r\nsubcommands\r\n%2\r\n$10\r\nconfig|get\r\n";
  expected += SpecNamed("config|get")->docs_resp3;
  expected += "$10\r\nconfig|set\r\n";
  expected += SpecNamed("config|set")->docs_resp3;
  EXPECT_EQ(out, expected);
}

TEST_F(CommandCmdTest, GetKeysReplies) {
  EXPECT_EQ(Run(3, {"command", "getkeysandflags", "set", "k", "v", "get"}),
            "*1\r\n*2\r\n$1\r\nk\r\n~3\r\n+RW\r\n+access\r\n+update\r\n");
  EXPECT_EQ(Run(2, {"command", "getkeys", "zunionstore", "d", "2x", "a", "b"}),
            "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nd\r\n");
  EXPECT_EQ(Run(2, {"command", "getkeys", "eval", "x", "0"}), "*0\r\n");
  EXPECT_EQ(Run(2, {"command", "getkeys", "ping", "x"}),
            "-ERR The command has no key arguments\r\n");
  EXPECT_EQ(Run(2, {"command", "getkeys", "nosuch", "x"}), "-ERR Invalid command specified\r\n");
  EXPECT_EQ(Run(2, {"command", "getkeys", "config", "nosuch"}),
            "-ERR Invalid command specified\r\n");
  EXPECT_EQ(Run(2, {"command", "getkeys", "get", "a", "b"}),
            "-ERR Invalid number of arguments specified for command\r\n");
  EXPECT_EQ(Run(2, {"command", "getkeys", "zunionstore", "d", "5", "a", "b"}),
            "-ERR Invalid arguments specified for command\r\n");
}

TEST_F(CommandCmdTest, CountListHelpAndErrors) {
  EXPECT_EQ(Run(2, {"command", "count"}), ":240\r\n");  // as Redis 7.0.15
  std::string list = Run(2, {"command", "list", "filterby", "pattern", "CONFIG|[gs]et"});
  EXPECT_EQ(list, "*2\r\n$10\r\nconfig|get\r\n$10\r\nconfig|set\r\n");
  EXPECT_EQ(Run(2, {"command", "list", "filterby", "aclcat", "@read"}), "*0\r\n");
  EXPECT_EQ(Run(2, {"command", "list", "filterby", "module", "x"}), "*0\r\n");
  EXPECT_EQ(Run(2, {"command", "list", "filterby", "bad", "x"}), "-ERR syntax error\r\n");
  EXPECT_EQ(Run(2, {"command", "list", "x"}), "-ERR syntax error\r\n");
  EXPECT_EQ(Run(2, {"command", "foo"}), "-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n");
  std::string help = Run(3, {"command", "help"});
  EXPECT_TRUE(
      help.starts_with("*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. "
                       "Subcommands are:\r\n"));
  EXPECT_TRUE(help.ends_with("+HELP\r\n+    Prints this help.\r\n"));
}

}  // namespace
}  // namespace strata::server
