#include "hft/report/html_page.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hft::report {
namespace {

TEST(HtmlPage, EscapesMarkupCharacters) {
  EXPECT_EQ(escape_html("a<b>&\"c\"'"), "a&lt;b&gt;&amp;&quot;c&quot;'");
  EXPECT_EQ(escape_html(""), "");
}

TEST(HtmlPage, ScriptDataCannotCloseTheElement) {
  EXPECT_EQ(script_safe("{\"s\":\"</script>\"}"), "{\"s\":\"<\\/script>\"}");
  EXPECT_EQ(script_safe("a < b / c"), "a < b / c");
  EXPECT_EQ(script_safe("<"), "<");
}

TEST(HtmlPage, FillReplacesEveryKeyButNotInsideInsertedText) {
  std::string page = "@A@ and @A@";
  fill(page, "@A@", "x@A@");
  EXPECT_EQ(page, "x@A@ and x@A@");
  fill(page, "@missing@", "y");
  EXPECT_EQ(page, "x@A@ and x@A@");
}

TEST(HtmlPage, SkeletonHasTheEscapedTitleStyleAndBody) {
  const std::string page = html_page("a <b>", "p{color:red}\n", "<p>hi</p>\n");
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(page.find("<title>a &lt;b&gt;</title>"), std::string::npos);
  EXPECT_NE(page.find("<style>\np{color:red}\n</style></head>\n<body>\n<p>hi</p>\n</body></html>"),
            std::string::npos)
      << page;
}

}  // namespace
}  // namespace hft::report
