// strata-server: parses the configuration, daemonizes if asked, prints the
// start-up banner, and runs the server until SIGINT/SIGTERM.
#include <fcntl.h>
#include <unistd.h>

#include <clocale>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/log.h"
#include "engine/engine.h"
#include "scripting/functions.h"
#include "server/server.h"
#include "server/version.h"

namespace {

void Daemonize() {
  if (fork() != 0) std::exit(0);
  setsid();
  int fd = open("/dev/null", O_RDWR);
  if (fd >= 0) {
    dup2(fd, STDIN_FILENO);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    if (fd > STDERR_FILENO) close(fd);
  }
}

const char* FsyncName(strata::engine::FsyncPolicy p) {
  switch (p) {
    case strata::engine::FsyncPolicy::kAlways: return "always";
    case strata::engine::FsyncPolicy::kNo: return "no";
    default: return "everysec";
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace strata;
  if (argc == 2 && (std::string_view(argv[1]) == "--version" || std::string_view(argv[1]) == "-v")) {
    std::printf("Strata server v=%s (Redis %s compatible)\n", server::kStrataVersion,
                server::kRedisVersion);
    return 0;
  }
  // SORT ... ALPHA collates with strcoll under the environment's LC_COLLATE,
  // as redis-server sets it at start-up.
  std::setlocale(LC_COLLATE, "");
  auto config = server::Config::FromArgs(argc, argv);
  if (!config.ok()) {
    std::fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR ***\n%s\n", config.status().message().c_str());
    return 1;
  }
  log::Level level = log::Level::kNotice;
  (void)log::ParseLevel(config->loglevel, &level);
  log::SetLevel(level);
  if (!config->logfile.empty() && !log::SetFile(config->logfile)) {
    std::fprintf(stderr, "Can't open the log file: %s\n", config->logfile.c_str());
    return 1;
  }
  if (config->daemonize) Daemonize();
  std::string pidfile = config->pidfile;
  if (!pidfile.empty()) pidfile = std::filesystem::absolute(pidfile).string();

  // The banner follows Redis's start-up lines, so operators find what they look for.
  LOG_WARNING("oO0OoO0OoO0Oo Strata is starting oO0OoO0OoO0Oo");
  LOG_WARNING("Strata version={} (Redis {} compatible), bits={}, pid={}, just started",
              server::kStrataVersion, server::kRedisVersion, sizeof(void*) * 8, getpid());
  if (config->config_file.empty()) {
    LOG_WARNING(
        "No config file specified, using the default config. In order to specify a "
        "config file use strata-server /path/to/redis.conf");
  } else {
    LOG_WARNING("Configuration loaded from {}", config->config_file);
  }
  LOG_NOTICE("Running mode=standalone, port={}.", config->port);
  LOG_NOTICE("Data directory {}, appendfsync {}, {} databases, {} I/O threads, {} blocking workers",
             std::filesystem::absolute(config->dir).string(), FsyncName(config->appendfsync),
             config->databases, config->io_threads, config->blocking_workers);
  if (!config->requirepass.empty()) LOG_NOTICE("A password is required (requirepass)");
  server::Server server(std::move(*config));
  Status s = server.Start();
  if (!s.ok()) {
    LOG_WARNING("Fatal: {}", s.message().empty() ? s.ToString() : s.message());
    std::fprintf(stderr, "Fatal: %s\n", s.message().empty() ? s.ToString().c_str() : s.message().c_str());
    return 1;
  }
  // Before Run(): no command is served until the stored libraries are back.
  if (Status fs = scripting::LoadStoredFunctions(server.engine()); !fs.ok()) {
    LOG_WARNING("Fatal: {}", fs.ToString());
    std::fprintf(stderr, "Fatal: %s\n", fs.ToString().c_str());
    return 1;
  }
  if (!pidfile.empty()) std::ofstream(pidfile) << getpid() << "\n";
  LOG_NOTICE("{}", server.engine().Describe());
  LOG_NOTICE("Server initialized");
  LOG_NOTICE("Ready to accept connections tcp on port {}", server.listening_port());
  server.Run();
  if (!pidfile.empty()) {
    LOG_NOTICE("Removing the pid file.");
    std::error_code ec;
    std::filesystem::remove(pidfile, ec);
  }
  return 0;
}
