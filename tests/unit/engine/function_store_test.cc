// The function libraries' server record: written durably, read back after a
// reopen, deleted when the last library goes.
#include "engine/function_store.h"

#include <gtest/gtest.h>

#include "tests/unit/engine/engine_fixture.h"

namespace strata::engine {
namespace {

class FunctionStoreTest : public EngineFixture {};

TEST_F(FunctionStoreTest, EmptyUntilSaved) {
  auto loaded = LoadFunctionLibraries(*engine_);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, "");
}

TEST_F(FunctionStoreTest, SurvivesReopenAndEmptyDeletes) {
  std::string payload("\xf5\x01x\x0a\x00", 5);
  payload += std::string(8, '\0');
  ASSERT_TRUE(SaveFunctionLibraries(*engine_, payload).ok());
  Reopen();
  auto loaded = LoadFunctionLibraries(*engine_);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, payload);
  ASSERT_TRUE(SaveFunctionLibraries(*engine_, "").ok());
  Reopen();
  loaded = LoadFunctionLibraries(*engine_);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, "");
}

}  // namespace
}  // namespace strata::engine
