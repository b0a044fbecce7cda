#include "hft/report/html_page.hpp"

namespace hft::report {

std::string escape_html(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string script_safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i + 1 < s.size() && s[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

void fill(std::string& page, std::string_view key, std::string_view value) {
  for (std::size_t p = page.find(key); p != std::string::npos;
       p = page.find(key, p + value.size())) {
    page.replace(p, key.size(), value);
  }
}

std::string html_page(std::string_view title, std::string_view css, std::string_view body) {
  std::string page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>";
  page += escape_html(title);
  page += "</title>\n<style>\n";
  page += css;
  page += "</style></head>\n<body>\n";
  page += body;
  page += "</body></html>\n";
  return page;
}

}  // namespace hft::report
