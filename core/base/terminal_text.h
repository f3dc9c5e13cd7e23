#pragma once

#include <string>

namespace msup {

// Text that came from files (file names, class names, CSV fields, JSON strings, error messages that
// quote them) made safe to print on a terminal: every control character, C0 (U+0000..U+001F, ESC
// included), DEL (U+007F) and C1 (U+0080..U+009F, e.g. the one-byte CSI U+009B), is written as the
// six characters \u00XX, so an escape sequence hidden in a name cannot move the cursor, recolour or
// retitle the terminal. The same escape is valid inside a JSON string and means the same character
// there. Bytes that are not valid UTF-8 become \xNN. With keepNewlines, '\n' and '\t' pass (for
// whole messages and tables; a single name is printed with keepNewlines = false).
inline std::string terminalSafe(const std::string& utf8, bool keepNewlines = true)
{
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(utf8.size());
    const auto escape = [&](unsigned v, bool unicode) {
        out += unicode ? "\\u00" : "\\x";
        out += hex[(v >> 4) & 15];
        out += hex[v & 15];
    };
    const std::size_t n = utf8.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned char c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x80) {
            if ((c < 0x20 || c == 0x7f) && !(keepNewlines && (c == '\n' || c == '\t')))
                escape(c, true);
            else
                out += static_cast<char>(c);
            ++i;
            continue;
        }
        // A UTF-8 sequence: its length, and the code point for the C1 check.
        const std::size_t len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 0;
        bool valid = len > 0 && c < 0xf5 && i + len <= n;
        unsigned cp = len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
        for (std::size_t k = 1; valid && k < len; ++k) {
            const unsigned char cc = static_cast<unsigned char>(utf8[i + k]);
            valid = (cc & 0xc0) == 0x80;
            cp = (cp << 6) | (cc & 0x3f);
        }
        if (valid)
            valid = (len == 3 && cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff))
                || (len == 4 && cp >= 0x10000 && cp <= 0x10ffff) || len == 2;
        if (!valid) {
            escape(c, false);
            ++i;
            continue;
        }
        if (cp >= 0x80 && cp <= 0x9f)
            escape(cp, true);
        else
            out.append(utf8, i, len);
        i += len;
    }
    return out;
}

} // namespace msup
