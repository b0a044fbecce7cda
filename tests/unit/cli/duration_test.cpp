// Specification of cli::parse_duration_seconds: human durations for --duration and friends.
#include "hft/cli/duration.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hft::cli {
namespace {

TEST(ParseDuration, SecondsSuffix) { EXPECT_EQ(parse_duration_seconds("30s"), 30.0); }
TEST(ParseDuration, Milliseconds) { EXPECT_EQ(parse_duration_seconds("500ms"), 0.5); }
TEST(ParseDuration, Microseconds) { EXPECT_EQ(parse_duration_seconds("250us"), 250e-6); }
TEST(ParseDuration, Minutes) { EXPECT_EQ(parse_duration_seconds("2m"), 120.0); }
TEST(ParseDuration, Hours) { EXPECT_EQ(parse_duration_seconds("1h"), 3600.0); }
TEST(ParseDuration, FractionalSeconds) { EXPECT_EQ(parse_duration_seconds("1.5s"), 1.5); }
TEST(ParseDuration, PlainNumberIsSeconds) { EXPECT_EQ(parse_duration_seconds("10"), 10.0); }
TEST(ParseDuration, ZeroIsAllowed) { EXPECT_EQ(parse_duration_seconds("0"), 0.0); }

TEST(ParseDuration, RejectsEmpty) { EXPECT_FALSE(parse_duration_seconds("")); }
TEST(ParseDuration, RejectsNegative) { EXPECT_FALSE(parse_duration_seconds("-1s")); }
TEST(ParseDuration, RejectsWords) { EXPECT_FALSE(parse_duration_seconds("abc")); }
TEST(ParseDuration, RejectsUnknownUnit) { EXPECT_FALSE(parse_duration_seconds("5x")); }
TEST(ParseDuration, RejectsNan) { EXPECT_FALSE(parse_duration_seconds("nan")); }
TEST(ParseDuration, RejectsInfinity) {
  EXPECT_FALSE(parse_duration_seconds("inf"));
  EXPECT_FALSE(parse_duration_seconds("infinity"));
}
TEST(ParseDuration, RejectsUnitWithoutNumber) { EXPECT_FALSE(parse_duration_seconds("s")); }
TEST(ParseDuration, RejectsSpaceBeforeUnit) { EXPECT_FALSE(parse_duration_seconds("5 s")); }
TEST(ParseDuration, RejectsTrailingGarbageAfterUnit) {
  EXPECT_FALSE(parse_duration_seconds("5ss"));
  EXPECT_FALSE(parse_duration_seconds("5s "));
}

TEST(ParseDuration, ReadsOnlyTheGivenCharacters) {
  // A view into a longer buffer: the parser must stop at the view's end.
  const std::string buffer = "20s-and-more";
  EXPECT_EQ(parse_duration_seconds(std::string_view(buffer).substr(0, 3)), 20.0);
}

}  // namespace
}  // namespace hft::cli
