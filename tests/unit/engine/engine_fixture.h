// EngineFixture: the engine's unit tests run on a real RocksDB in a fresh
// temporary data directory. SetUp opens the engine with `options_` (a test's
// constructor may change them first), Reopen() closes and opens it again on
// the same directory (a restart), TearDown closes it and removes the
// directory. Op() is the context of one command that may block.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "engine/engine.h"
#include "engine/engine_impl.h"
#include "engine/op_context.h"

namespace strata::engine {

class EngineFixture : public ::testing::Test {
 protected:
  EngineFixture() { options_.databases = 4; }

  void SetUp() override {
    char tmpl[] = "/tmp/strata-engine-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
    Reopen();
  }
  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    engine_.reset();
    options_.dir = dir_;
    auto e = Engine::Open(options_);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(*e);
  }
  // Restarts with a hot tier of `bytes` (0: derived from the budget).
  void ReopenWithTier(uint64_t bytes) {
    options_.hot_tier_bytes = bytes;
    Reopen();
  }
  OpContext Op(int db = 0) const { return OpAt(NowMs(), db); }
  // A command whose clock reads `now_ms` (expiry tests).
  OpContext OpAt(uint64_t now_ms, int db = 0) const {
    OpContext op;
    op.db = db;
    op.may_block = true;
    op.now_ms = now_ms;
    return op;
  }
  EngineImpl& impl() { return engine_->impl(); }

  EngineOptions options_;
  std::string dir_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace strata::engine
