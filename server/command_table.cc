// CommandTable (served commands by name) and key extraction from argv, as
// Redis 7.0's getKeysFromCommandWithSpecs does it; see command_table.h.
//
// Lookups never allocate: RedisCommandSpecs() is sorted by full name, and
// the table keeps its top-level entries and each container's subcommands
// sorted too, so Find and FindSubcommand binary search them, comparing the
// (lower-case) spec names with the argument lower-cased on the fly.
//
// Key extraction follows Redis 7.0.15 exactly, quirks included: key specs
// first (index/keyword begin_search, range/keynum find_keys); when a spec is
// unknown, incomplete or fails, or when a spec has variable flags, the
// command's native getkeys function takes over (SORT, MIGRATE, SET,
// BITFIELD, EVAL/FCALL numkeys, Z*STORE, XREAD, GEORADIUS, *MPOP, ...).
#include "server/command_table.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "common/numbers.h"
#include "server/commands/command_cmd.h"

namespace strata::server {

namespace {

char LowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

// Three-way comparison of a lower-case `name` with `arg`, ignoring the case
// of `arg`; consistent with the byte order of lower-case names.
int CompareLowerName(std::string_view name, std::string_view arg) {
  size_t n = std::min(name.size(), arg.size());
  for (size_t i = 0; i < n; ++i) {
    unsigned char a = static_cast<unsigned char>(name[i]);
    unsigned char b = static_cast<unsigned char>(LowerAscii(arg[i]));
    if (a != b) return a < b ? -1 : 1;
  }
  if (name.size() == arg.size()) return 0;
  return name.size() < arg.size() ? -1 : 1;
}

bool EqualsIgnoreCaseAscii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

// Binary search of a vector of entries sorted by the part of their name
// after `skip` characters.
const CommandEntry* FindSorted(const std::vector<const CommandEntry*>& v, size_t skip,
                               std::string_view arg) {
  size_t lo = 0, hi = v.size();
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = CompareLowerName(v[mid]->name().substr(skip), arg);
    if (c == 0) return v[mid];
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return nullptr;
}

void InsertSorted(std::vector<const CommandEntry*>* v, const CommandEntry* e) {
  auto it = std::lower_bound(
      v->begin(), v->end(), e,
      [](const CommandEntry* a, const CommandEntry* b) { return a->name() < b->name(); });
  v->insert(it, e);
}

const CommandSpec* FindSpec(std::string_view lower_name) {
  std::span<const CommandSpec> specs = RedisCommandSpecs();
  auto it = std::lower_bound(specs.begin(), specs.end(), lower_name,
                             [](const CommandSpec& s, std::string_view n) { return s.name < n; });
  return (it != specs.end() && it->name == lower_name) ? &*it : nullptr;
}

[[noreturn]] void Die(const char* what, std::string_view name) {
  std::fprintf(stderr, "strata: CommandTable::Register(\"%.*s\"): %s\n",
               static_cast<int>(name.size()), name.data(), what);
  std::fflush(stderr);
  std::abort();
}

// --- Key extraction --------------------------------------------------------

// Collects (position, flags) pairs; positions only when `refs` is null.
class KeySink {
 public:
  KeySink(std::vector<int>* positions, std::vector<KeyReference>* refs)
      : positions_(positions), refs_(refs) {}
  void Add(int pos, uint32_t flags) {
    if (refs_ != nullptr) {
      refs_->push_back({pos, flags});
    } else {
      positions_->push_back(pos);
    }
  }
  size_t size() const { return refs_ != nullptr ? refs_->size() : positions_->size(); }
  void Clear() {
    if (refs_ != nullptr) refs_->clear();
    if (positions_ != nullptr) positions_->clear();
  }

 private:
  std::vector<int>* positions_;
  std::vector<KeyReference>* refs_;
};

using Argv = std::span<const std::string_view>;

// C's atoi() (what Redis's genericGetKeys uses): leading spaces, a sign,
// digits up to the first non-digit; strtol's saturation, then the cast to int.
int Atoi(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) ++i;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  int64_t v = 0;
  bool saturated = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    int d = s[i] - '0';
    if (v > (INT64_MAX - d) / 10) {
      saturated = true;
      break;
    }
    v = v * 10 + d;
  }
  if (saturated)
    v = neg ? INT64_MIN : INT64_MAX;
  else if (neg)
    v = -v;
  return static_cast<int>(static_cast<uint64_t>(v));  // modular, as the C cast on Linux
}

// genericGetKeys: [destkey] <numkeys> <key>...; flags are not reported.
void GenericGetKeys(int store_ofs, int count_ofs, int first_ofs, int step, Argv argv,
                    KeySink* out) {
  int argc = static_cast<int>(argv.size());
  if (count_ofs >= argc) return;
  int num = Atoi(argv[count_ofs]);
  if (num < 1 || num > (argc - first_ofs) / step) return;
  for (int i = 0; i < num; ++i) out->Add(first_ofs + i * step, 0);
  if (store_ofs != 0) out->Add(store_ofs, 0);
}

void SortRoGetKeys(Argv, KeySink* out) {
  out->Add(1, kKsRO | kKsAccess);
}

void SortGetKeys(Argv argv, KeySink* out) {
  struct Skip {
    std::string_view name;
    int skip;
  };
  static constexpr Skip kSkip[] = {{"limit", 2}, {"get", 1}, {"by", 1}};
  int argc = static_cast<int>(argv.size());
  int store = 0;
  for (int i = 2; i < argc; ++i) {
    for (const Skip& s : kSkip) {
      if (EqualsIgnoreCaseAscii(argv[i], s.name)) {
        i += s.skip;
        break;
      }
      if (EqualsIgnoreCaseAscii(argv[i], "store") && i + 1 < argc) {
        store = i + 1;  // the last STORE wins, as in SORT itself
        break;
      }
    }
  }
  out->Add(1, kKsRO | kKsAccess);
  if (store != 0) out->Add(store, kKsOW | kKsUpdate);
}

void MigrateGetKeys(Argv argv, KeySink* out) {
  struct Skip {
    std::string_view name;
    int skip;
  };
  static constexpr Skip kSkip[] = {{"copy", 0}, {"replace", 0}, {"auth", 1}, {"auth2", 2}};
  int argc = static_cast<int>(argv.size());
  int first = 3, num = 1;
  if (argc > 6) {
    for (int i = 6; i < argc; ++i) {
      if (EqualsIgnoreCaseAscii(argv[i], "keys")) {
        if (!argv[3].empty()) {
          num = 0;  // a syntax error MIGRATE itself reports
        } else {
          first = i + 1;
          num = argc - first;
        }
        break;
      }
      for (const Skip& s : kSkip) {
        if (EqualsIgnoreCaseAscii(argv[i], s.name)) {
          i += s.skip;
          break;
        }
      }
    }
  }
  for (int i = 0; i < num; ++i) out->Add(first + i, kKsRW | kKsAccess | kKsDelete);
}

void GeoradiusGetKeys(Argv argv, KeySink* out) {
  int argc = static_cast<int>(argv.size());
  int stored = -1;
  for (int i = 5; i < argc; ++i) {
    if ((EqualsIgnoreCaseAscii(argv[i], "store") || EqualsIgnoreCaseAscii(argv[i], "storedist")) &&
        i + 1 < argc) {
      stored = i + 1;
      ++i;
    }
  }
  out->Add(1, 0);
  if (stored != -1) out->Add(stored, 0);
}

void XreadGetKeys(Argv argv, KeySink* out) {
  int argc = static_cast<int>(argv.size());
  int streams = -1;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (EqualsIgnoreCaseAscii(a, "block") || EqualsIgnoreCaseAscii(a, "count")) {
      ++i;
    } else if (EqualsIgnoreCaseAscii(a, "group")) {
      i += 2;
    } else if (EqualsIgnoreCaseAscii(a, "noack")) {
      // no argument
    } else if (EqualsIgnoreCaseAscii(a, "streams")) {
      streams = i;
      break;
    } else {
      break;
    }
  }
  if (streams == -1) return;
  int num = argc - streams - 1;
  if (num == 0 || num % 2 != 0) return;
  num /= 2;
  for (int i = streams + 1; i < argc - num; ++i) out->Add(i, 0);
}

void SetGetKeys(Argv argv, KeySink* out) {
  for (size_t i = 3; i < argv.size(); ++i) {
    if (EqualsIgnoreCaseAscii(argv[i], "get")) {
      out->Add(1, kKsRW | kKsAccess | kKsUpdate);
      return;
    }
  }
  out->Add(1, kKsOW | kKsUpdate);
}

void BitfieldGetKeys(Argv argv, KeySink* out) {
  int argc = static_cast<int>(argv.size());
  bool readonly = true;
  for (int i = 2; i < argc; ++i) {
    int remaining = argc - i - 1;
    std::string_view a = argv[i];
    if (EqualsIgnoreCaseAscii(a, "get") && remaining >= 2) {
      i += 2;
    } else if ((EqualsIgnoreCaseAscii(a, "set") || EqualsIgnoreCaseAscii(a, "incrby")) &&
               remaining >= 3) {
      readonly = false;
      break;
    } else if (EqualsIgnoreCaseAscii(a, "overflow") && remaining >= 1) {
      i += 1;
    } else {
      readonly = false;  // a syntax error: assume a write, as Redis does
      break;
    }
  }
  out->Add(1, readonly ? (kKsRO | kKsAccess) : (kKsRW | kKsAccess | kKsUpdate));
}

// The native getkeys functions of Redis 7.0 (commands.c), by command name.
enum class Proc : uint8_t {
  kBitfield,
  kBlmpop,
  kEval,
  kGeoradius,
  kLmpop,
  kMigrate,
  kSet,
  kSintercard,
  kSort,
  kSortRo,
  kXread,
  kZStore,
  kZNoStore,
};
struct ProcEntry {
  std::string_view name;
  Proc proc;
};
constexpr ProcEntry kProcs[] = {
    {"bitfield", Proc::kBitfield},
    {"blmpop", Proc::kBlmpop},
    {"bzmpop", Proc::kBlmpop},
    {"eval", Proc::kEval},
    {"eval_ro", Proc::kEval},
    {"evalsha", Proc::kEval},
    {"evalsha_ro", Proc::kEval},
    {"fcall", Proc::kEval},
    {"fcall_ro", Proc::kEval},
    {"georadius", Proc::kGeoradius},
    {"georadiusbymember", Proc::kGeoradius},
    {"lmpop", Proc::kLmpop},
    {"migrate", Proc::kMigrate},
    {"set", Proc::kSet},
    {"sintercard", Proc::kSintercard},
    {"sort", Proc::kSort},
    {"sort_ro", Proc::kSortRo},
    {"xread", Proc::kXread},
    {"xreadgroup", Proc::kXread},
    {"zdiff", Proc::kZNoStore},
    {"zdiffstore", Proc::kZStore},
    {"zinter", Proc::kZNoStore},
    {"zintercard", Proc::kZNoStore},
    {"zinterstore", Proc::kZStore},
    {"zmpop", Proc::kLmpop},
    {"zunion", Proc::kZNoStore},
    {"zunionstore", Proc::kZStore},
};
static_assert(std::is_sorted(std::begin(kProcs), std::end(kProcs),
                             [](const ProcEntry& a, const ProcEntry& b) {
                               return a.name < b.name;
                             }));

const ProcEntry* FindProc(std::string_view name) {
  auto it = std::lower_bound(std::begin(kProcs), std::end(kProcs), name,
                             [](const ProcEntry& p, std::string_view n) { return p.name < n; });
  return (it != std::end(kProcs) && it->name == name) ? it : nullptr;
}

void RunProc(Proc proc, Argv argv, KeySink* out) {
  switch (proc) {
    case Proc::kBitfield:
      return BitfieldGetKeys(argv, out);
    case Proc::kBlmpop:
      return GenericGetKeys(0, 2, 3, 1, argv, out);
    case Proc::kEval:
      return GenericGetKeys(0, 2, 3, 1, argv, out);
    case Proc::kGeoradius:
      return GeoradiusGetKeys(argv, out);
    case Proc::kLmpop:
      return GenericGetKeys(0, 1, 2, 1, argv, out);
    case Proc::kMigrate:
      return MigrateGetKeys(argv, out);
    case Proc::kSet:
      return SetGetKeys(argv, out);
    case Proc::kSintercard:
      return GenericGetKeys(0, 1, 2, 1, argv, out);
    case Proc::kSort:
      return SortGetKeys(argv, out);
    case Proc::kSortRo:
      return SortRoGetKeys(argv, out);
    case Proc::kXread:
      return XreadGetKeys(argv, out);
    case Proc::kZStore:
      return GenericGetKeys(1, 2, 3, 1, argv, out);
    case Proc::kZNoStore:
      return GenericGetKeys(0, 1, 2, 1, argv, out);
  }
}

// getKeysUsingKeySpecs: false when a spec is unknown, incomplete or does not
// fit argv (Redis's -1), in which case `out` is left empty.
bool KeysFromSpecs(const CommandSpec& spec, Argv argv, KeySink* out) {
  int argc = static_cast<int>(argv.size());
  for (const KeySpec& ks : spec.key_specs) {
    if (ks.flags & kKsNotKey) continue;
    int first = 0;
    if (ks.begin_search == KeySpec::BeginSearch::kIndex) {
      first = ks.bs_index;
    } else if (ks.begin_search == KeySpec::BeginSearch::kKeyword) {
      int start = ks.bs_startfrom > 0 ? ks.bs_startfrom : argc + ks.bs_startfrom;
      int end = ks.bs_startfrom > 0 ? argc - 1 : 1;
      for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (EqualsIgnoreCaseAscii(argv[i], ks.bs_keyword)) {
          first = i + 1;
          break;
        }
      }
      if (first == 0) continue;  // keyword absent: this spec has no keys
    } else {
      out->Clear();
      return false;
    }

    int last = 0, step = 0;
    if (ks.find_keys == KeySpec::FindKeys::kRange) {
      step = ks.fk_keystep;
      if (ks.fk_lastkey >= 0) {
        last = first + ks.fk_lastkey;
      } else if (ks.fk_limit == 0) {
        last = argc + ks.fk_lastkey;
      } else {
        last = first + ((argc - first) / ks.fk_limit + ks.fk_lastkey);
      }
    } else if (ks.find_keys == KeySpec::FindKeys::kKeynum) {
      step = ks.fk_keystep;
      int64_t numkeys = 0;
      int at = first + ks.fk_keynumidx;
      if (at >= argc || !ParseInt64(argv[at], &numkeys) || numkeys < 0) {
        out->Clear();
        return false;
      }
      first += ks.fk_firstkey;
      last = first + static_cast<int>(numkeys) - 1;
    } else {
      out->Clear();
      return false;
    }

    if (last >= argc || last < first || first >= argc || step <= 0) {
      out->Clear();
      return false;
    }
    for (int i = first; i <= last; i += step) out->Add(i, ks.flags);
    if (ks.flags & kKsIncomplete) {
      out->Clear();
      return false;
    }
  }
  return true;
}

bool Extract(const CommandEntry& cmd, Argv argv, KeySink* out) {
  out->Clear();
  if (!CommandHasKeys(cmd)) return true;
  const CommandSpec& spec = *cmd.spec;
  uint32_t all = 0, missing = 0;
  for (const KeySpec& ks : spec.key_specs) {
    all |= ks.flags;
    missing |= ~ks.flags;
  }
  bool has_keyspec = (missing & kKsNotKey) != 0;
  bool has_varflags = (all & kKsVariableFlags) != 0;
  if (!(has_keyspec && !has_varflags && KeysFromSpecs(spec, argv, out))) {
    out->Clear();
    if (const ProcEntry* p = FindProc(spec.name)) RunProc(p->proc, argv, out);
  }
  return out->size() > 0 || cmd.has(kCmdNoMandatoryKeys);
}

}  // namespace

CommandTable::CommandTable() = default;

void CommandTable::Register(std::string_view name, CommandHandler handler, int arity) {
  std::string lower(name);
  for (char& c : lower) c = LowerAscii(c);
  if (FindSpec(lower) == nullptr) {
    Die("no such command in Redis 7.0's specs (server/command_specs_generated.cc)", name);
  }
  if (handler == nullptr) Die("null handler", name);
  CommandEntry* e = EntryFor(lower);
  if (e->handler != nullptr) Die("registered twice", name);
  e->handler = handler;
  e->arity = arity;
}

CommandEntry* CommandTable::EntryFor(std::string_view full_name) {
  auto it = entries_.find(std::string(full_name));
  if (it != entries_.end()) return it->second.get();
  const CommandSpec* spec = FindSpec(full_name);
  if (spec == nullptr) Die("no spec for this command or its container", full_name);
  auto owned = std::make_unique<CommandEntry>();
  CommandEntry* e = owned.get();
  e->spec = spec;
  entries_.emplace(std::string(full_name), std::move(owned));
  size_t bar = full_name.find('|');
  if (bar == std::string_view::npos) {
    InsertSorted(&top_level_, e);
  } else {
    CommandEntry* parent = EntryFor(full_name.substr(0, bar));
    e->parent = parent;
    InsertSorted(&parent->subcommands, e);
  }
  return e;
}

const CommandEntry* CommandTable::Find(std::string_view name) const {
  return FindSorted(top_level_, 0, name);
}

const CommandEntry* CommandTable::FindSubcommand(const CommandEntry& parent,
                                                 std::string_view sub) const {
  return FindSorted(parent.subcommands, parent.name().size() + 1, sub);
}

bool CommandHasKeys(const CommandEntry& cmd) {
  for (const KeySpec& ks : cmd.spec->key_specs) {
    if (!(ks.flags & kKsNotKey)) return true;
  }
  return FindProc(cmd.spec->name) != nullptr;
}

bool ExtractKeyPositions(const CommandEntry& cmd, std::span<const std::string_view> argv,
                         std::vector<int>* positions) {
  KeySink sink(positions, nullptr);
  return Extract(cmd, argv, &sink);
}

bool ExtractKeys(const CommandEntry& cmd, std::span<const std::string_view> argv,
                 std::vector<KeyReference>* keys) {
  KeySink sink(nullptr, keys);
  return Extract(cmd, argv, &sink);
}

}  // namespace strata::server
