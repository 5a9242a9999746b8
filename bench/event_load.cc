// strata-event-load: a load generator for the workloads redis-benchmark
// cannot express — pub/sub fan-out, a LPUSH + BRPOP job queue, and MULTI/EXEC
// transactions. It speaks plain RESP over blocking sockets, one thread per
// connection, and prints one JSON line of results. bench/events.py runs it
// against strata-server and redis-server alternately and prints the ratios.
//
//   strata-event-load --port P --workload pubsub|queue|multi|xgroup [--seconds S]
//                     [--clients N]
//
// pubsub: N subscribers on one channel, one publisher sending PUBLISH in
//   pipelined batches of 16; result: messages delivered per second (sum
//   over subscribers).
// queue: N consumers looping BRPOP, one producer LPUSHing jobs in batches of
//   16 (at most 64 jobs waiting); each job carries its send time, so the
//   result is jobs per second and the push-to-pop latency percentiles.
// multi: N clients each looping MULTI, 10 x INCR of its own counter, EXEC;
//   result: transactions per second and their latency percentiles.
// xgroup: one stream with a consumer group; one producer XADDing entries in
//   batches of 16 (at most 64 unacknowledged), N consumers each looping
//   XREADGROUP COUNT 10 BLOCK 100 ">" then XACK of the IDs it got; result:
//   entries acknowledged per second and the XADD-to-XACK latency.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

uint64_t NowNs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
          .count());
}

[[noreturn]] void Die(const char* what) {
  std::perror(what);
  std::exit(1);
}

std::string Command(std::span<const std::string_view> args) {
  std::string out;
  out.append("*").append(std::to_string(args.size())).append("\r\n");
  for (std::string_view a : args) {
    out.append("$").append(std::to_string(a.size())).append("\r\n").append(a).append("\r\n");
  }
  return out;
}
std::string Command(std::initializer_list<std::string_view> args) {
  return Command(std::span<const std::string_view>(args.begin(), args.size()));
}

// One blocking connection with a buffered RESP reader.
class Conn {
 public:
  explicit Conn(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) Die("socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) Die("connect");
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~Conn() { close(fd_); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  void Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) Die("send");
      data.remove_prefix(static_cast<size_t>(n));
    }
  }

  // Reads one reply; returns its type byte. `text` gets a bulk/simple
  // string's bytes (the last one for an aggregate), `integer` an integer.
  // 0 when the connection was closed.
  char Read(std::string* text = nullptr, int64_t* integer = nullptr) {
    std::string line = Line();
    if (line.empty()) return 0;
    char type = line[0];
    switch (type) {
      case '+':
      case '-':
        if (text != nullptr) text->assign(line, 1);
        break;
      case ':':
        if (integer != nullptr) *integer = std::strtoll(line.c_str() + 1, nullptr, 10);
        break;
      case '$': {
        long len = std::strtol(line.c_str() + 1, nullptr, 10);
        if (len < 0) break;
        std::string body = Bytes(static_cast<size_t>(len) + 2);
        if (text != nullptr) text->assign(body, 0, static_cast<size_t>(len));
        break;
      }
      case '*':
      case '>': {
        long n = std::strtol(line.c_str() + 1, nullptr, 10);
        for (long i = 0; i < n; ++i) {
          if (Read(text, integer) == 0) return 0;
        }
        break;
      }
      default:
        std::fprintf(stderr, "unexpected reply: %s\n", line.c_str());
        std::exit(1);
    }
    return type;
  }

  void Expect(char type) {
    std::string text;
    char got = Read(&text);
    if (got != type) {
      std::fprintf(stderr, "expected '%c', got '%c' %s\n", type, got, text.c_str());
      std::exit(1);
    }
  }

  // Reads one reply, appending every string in it (depth first) to `out`.
  // 0 when the connection was closed.
  char ReadStrings(std::vector<std::string>* out) {
    std::string line = Line();
    if (line.empty()) return 0;
    char type = line[0];
    if (type == '*') {
      long n = std::strtol(line.c_str() + 1, nullptr, 10);
      for (long i = 0; i < n; ++i) {
        if (ReadStrings(out) == 0) return 0;
      }
    } else if (type == '$') {
      long len = std::strtol(line.c_str() + 1, nullptr, 10);
      if (len >= 0) out->push_back(Bytes(static_cast<size_t>(len) + 2).substr(0, len));
    } else if (type == '-') {
      std::fprintf(stderr, "error reply: %s\n", line.c_str());
      std::exit(1);
    }
    return type;
  }

  void Shutdown() { ::shutdown(fd_, SHUT_RDWR); }

 private:
  bool Fill() {
    if (start_ > 0 && start_ == buf_.size()) {
      buf_.clear();
      start_ = 0;
    }
    char chunk[65536];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  // A line without its CRLF; "" once the peer closed.
  std::string Line() {
    for (;;) {
      size_t end = buf_.find("\r\n", start_);
      if (end != std::string::npos) {
        std::string line = buf_.substr(start_, end - start_);
        start_ = end + 2;
        return line;
      }
      if (!Fill()) return {};
    }
  }
  std::string Bytes(size_t n) {
    while (buf_.size() - start_ < n) {
      if (!Fill()) return std::string(n, '\0');
    }
    std::string out = buf_.substr(start_, n);
    start_ += n;
    return out;
  }

  int fd_;
  std::string buf_;
  size_t start_ = 0;
};

struct Options {
  int port = 6379;
  std::string workload;
  double seconds = 5;
  int clients = 50;
};

struct Latencies {
  std::mutex mu;
  std::vector<uint64_t> ns;
  void Add(const std::vector<uint64_t>& v) {
    std::lock_guard lock(mu);
    ns.insert(ns.end(), v.begin(), v.end());
  }
  double PercentileUs(double p) {
    if (ns.empty()) return 0;
    std::sort(ns.begin(), ns.end());
    size_t i = std::min(ns.size() - 1, static_cast<size_t>(p / 100.0 * ns.size()));
    return static_cast<double>(ns[i]) / 1000.0;
  }
};

void PrintResult(const char* workload, double ops, Latencies* lat) {
  if (lat != nullptr) {
    std::printf(
        "{\"workload\": \"%s\", \"ops_per_sec\": %.1f, \"p50_us\": %.1f, \"p99_us\": %.1f}\n",
        workload, ops, lat->PercentileUs(50), lat->PercentileUs(99));
  } else {
    std::printf("{\"workload\": \"%s\", \"ops_per_sec\": %.1f}\n", workload, ops);
  }
}

void RunPubsub(const Options& o) {
  const std::string channel = "bench-channel";
  const std::string payload(16, 'x');
  std::atomic<uint64_t> delivered{0};
  std::atomic<bool> stop{false};
  std::vector<std::unique_ptr<Conn>> subs;
  for (int i = 0; i < o.clients; ++i) {
    subs.push_back(std::make_unique<Conn>(o.port));
    subs.back()->Send(Command({"SUBSCRIBE", channel}));
    subs.back()->Expect('*');
  }
  std::vector<std::thread> threads;
  for (auto& sub : subs) {
    threads.emplace_back([&, conn = sub.get()] {
      while (!stop.load(std::memory_order_relaxed)) {
        if (conn->Read() == 0) break;
        delivered.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  Conn pub(o.port);
  std::string batch;
  for (int i = 0; i < 16; ++i) batch += Command({"PUBLISH", channel, payload});
  uint64_t published = 0;
  uint64_t start = NowNs();
  uint64_t end = start + static_cast<uint64_t>(o.seconds * 1e9);
  while (NowNs() < end) {
    pub.Send(batch);
    for (int i = 0; i < 16; ++i) pub.Expect(':');
    published += 16;
  }
  // Wait (bounded) for the fan-out to drain, so what was published counts.
  uint64_t want = published * static_cast<uint64_t>(o.clients);
  uint64_t drain_end = NowNs() + 10'000'000'000ull;
  while (delivered.load() < want && NowNs() < drain_end)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  double secs = static_cast<double>(NowNs() - start) / 1e9;
  stop = true;
  for (auto& sub : subs) sub->Shutdown();
  for (auto& t : threads) t.join();
  PrintResult("pubsub", static_cast<double>(delivered.load()) / secs, nullptr);
}

// The producer of the queue and xgroup workloads: for `seconds`, sends
// batches of 16 commands made by `job(send_ns)`, each answered by a `reply`,
// keeping at most 64 jobs not yet `done`; then waits (at most 10 s) for all
// to be done. Returns the seconds from the start until then.
template <typename Job>
double Produce(Conn& producer, double seconds, const std::atomic<uint64_t>& done, char reply,
               Job job) {
  uint64_t produced = 0;
  uint64_t start = NowNs();
  uint64_t end = start + static_cast<uint64_t>(seconds * 1e9);
  while (NowNs() < end) {
    if (produced - done.load(std::memory_order_relaxed) > 64) {
      std::this_thread::yield();
      continue;
    }
    std::string batch;
    for (int i = 0; i < 16; ++i) batch += job(NowNs());
    producer.Send(batch);
    for (int i = 0; i < 16; ++i) producer.Expect(reply);
    produced += 16;
  }
  uint64_t drain_end = NowNs() + 10'000'000'000ull;
  while (done.load() < produced && NowNs() < drain_end)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return static_cast<double>(NowNs() - start) / 1e9;
}

void RunQueue(const Options& o) {
  const std::string queue = "bench-queue";
  Conn(o.port).Send(Command({"DEL", queue}));
  std::atomic<uint64_t> consumed{0};
  std::atomic<bool> stop{false};
  Latencies lat;
  std::vector<std::thread> threads;
  std::vector<std::unique_ptr<Conn>> consumers;
  for (int i = 0; i < o.clients; ++i) consumers.push_back(std::make_unique<Conn>(o.port));
  for (auto& c : consumers) {
    threads.emplace_back([&, conn = c.get()] {
      std::vector<uint64_t> mine;
      std::string brpop = Command({"BRPOP", queue, "0"});
      while (!stop.load(std::memory_order_relaxed)) {
        conn->Send(brpop);
        std::string job;
        if (conn->Read(&job) != '*') break;
        uint64_t sent = std::strtoull(job.c_str(), nullptr, 10);
        if (sent == 0) break;  // the stop sentinel
        mine.push_back(NowNs() - sent);
        consumed.fetch_add(1, std::memory_order_relaxed);
      }
      lat.Add(mine);
    });
  }
  Conn producer(o.port);
  double secs = Produce(producer, o.seconds, consumed, ':', [&](uint64_t ns) {
    return Command({"LPUSH", queue, std::to_string(ns)});
  });
  stop = true;
  std::string sentinels;
  for (int i = 0; i < o.clients; ++i) sentinels += Command({"LPUSH", queue, "0"});
  producer.Send(sentinels);
  for (int i = 0; i < o.clients; ++i) producer.Expect(':');
  for (auto& t : threads) t.join();
  PrintResult("queue", static_cast<double>(consumed.load()) / secs, &lat);
}

void RunMulti(const Options& o) {
  std::atomic<uint64_t> done{0};
  std::atomic<bool> stop{false};
  Latencies lat;
  std::vector<std::thread> threads;
  for (int i = 0; i < o.clients; ++i) {
    threads.emplace_back([&, i] {
      Conn conn(o.port);
      std::string key = std::string("bench-counter:").append(std::to_string(i));
      std::string tx = Command({"MULTI"});
      for (int j = 0; j < 10; ++j) tx += Command({"INCR", key});
      tx += Command({"EXEC"});
      std::vector<uint64_t> mine;
      while (!stop.load(std::memory_order_relaxed)) {
        uint64_t t0 = NowNs();
        conn.Send(tx);
        conn.Expect('+');
        for (int j = 0; j < 10; ++j) conn.Expect('+');
        conn.Expect('*');
        mine.push_back(NowNs() - t0);
        done.fetch_add(1, std::memory_order_relaxed);
      }
      lat.Add(mine);
    });
  }
  uint64_t start = NowNs();
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  stop = true;
  for (auto& t : threads) t.join();
  double secs = static_cast<double>(NowNs() - start) / 1e9;
  PrintResult("multi", static_cast<double>(done.load()) / secs, &lat);
}

void RunXGroup(const Options& o) {
  const std::string stream = "bench-stream";
  {
    Conn setup(o.port);
    setup.Send(Command({"DEL", stream}));
    setup.Expect(':');
    setup.Send(Command({"XGROUP", "CREATE", stream, "g", "$", "MKSTREAM"}));
    setup.Expect('+');
  }
  std::atomic<uint64_t> acked{0};
  std::atomic<bool> stop{false};
  Latencies lat;
  std::vector<std::thread> threads;
  for (int i = 0; i < o.clients; ++i) {
    threads.emplace_back([&, i] {
      Conn conn(o.port);
      std::string consumer = std::string("c").append(std::to_string(i));
      std::string read = Command({"XREADGROUP", "GROUP", "g", consumer, "COUNT", "10", "BLOCK",
                                  "100", "STREAMS", stream, ">"});
      std::vector<uint64_t> mine;
      std::vector<std::string> got;
      while (!stop.load(std::memory_order_relaxed)) {
        conn.Send(read);
        got.clear();
        if (conn.ReadStrings(&got) == 0) break;
        if (got.empty()) continue;  // timed out
        // [key, id, "t", sent-ns, id, "t", sent-ns, ...]
        std::vector<std::string_view> ack = {"XACK", stream, "g"};
        for (size_t j = 1; j < got.size(); j += 3) ack.push_back(got[j]);
        conn.Send(Command(ack));
        int64_t n = 0;
        if (conn.Read(nullptr, &n) != ':') break;
        uint64_t now = NowNs();
        for (size_t j = 3; j < got.size(); j += 3) {
          mine.push_back(now - std::strtoull(got[j].c_str(), nullptr, 10));
        }
        acked.fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
      }
      lat.Add(mine);
    });
  }
  Conn producer(o.port);
  double secs = Produce(producer, o.seconds, acked, '$', [&](uint64_t ns) {
    return Command({"XADD", stream, "*", "t", std::to_string(ns)});
  });
  stop = true;
  for (auto& t : threads) t.join();
  PrintResult("xgroup", static_cast<double>(acked.load()) / secs, &lat);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--port") {
      o.port = std::atoi(value);
    } else if (flag == "--workload") {
      o.workload = value;
    } else if (flag == "--seconds") {
      o.seconds = std::atof(value);
    } else if (flag == "--clients") {
      o.clients = std::atoi(value);
    } else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (o.workload == "pubsub") {
    RunPubsub(o);
  } else if (o.workload == "queue") {
    RunQueue(o);
  } else if (o.workload == "multi") {
    RunMulti(o);
  } else if (o.workload == "xgroup") {
    RunXGroup(o);
  } else {
    std::fprintf(stderr,
                 "usage: %s --port P --workload pubsub|queue|multi|xgroup [--seconds S] "
                 "[--clients N]\n",
                 argv[0]);
    return 2;
  }
  return 0;
}
