#pragma once
// A minimal JSON value for masksup-gpucheck's report (the tool links LibTorch only: no Qt JSON).
// Objects keep their insertion order, so the report reads in the order it was measured.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace msup::gpucheck {

class Json {
public:
    enum class Kind { Null, Bool, Number, String, Array, Object };

    Json() = default;
    Json(std::nullptr_t) { }
    Json(bool b)
        : m_kind(Kind::Bool)
        , m_bool(b)
    {
    }
    Json(double d)
        : m_kind(Kind::Number)
        , m_number(d)
    {
    }
    Json(int i)
        : Json(double(i))
    {
    }
    Json(std::int64_t i)
        : Json(double(i))
    {
    }
    Json(const char* s)
        : m_kind(Kind::String)
        , m_string(s)
    {
    }
    Json(std::string s)
        : m_kind(Kind::String)
        , m_string(std::move(s))
    {
    }

    static Json array() { return withKind(Kind::Array); }
    static Json object() { return withKind(Kind::Object); }

    // Object: sets (or replaces) a key. Returns *this for chaining.
    Json& set(const std::string& key, Json value)
    {
        m_kind = Kind::Object;
        for (auto& [k, v] : m_members)
            if (k == key) {
                v = std::move(value);
                return *this;
            }
        m_members.emplace_back(key, std::move(value));
        return *this;
    }
    // Array: appends.
    Json& push(Json value)
    {
        m_kind = Kind::Array;
        m_items.push_back(std::move(value));
        return *this;
    }
    std::size_t size() const { return m_kind == Kind::Array ? m_items.size() : m_members.size(); }

    std::string dump(int indent = 2) const
    {
        std::string out;
        write(out, indent, 0);
        out += '\n';
        return out;
    }

private:
    static Json withKind(Kind k)
    {
        Json j;
        j.m_kind = k;
        return j;
    }

    static void quote(std::string& out, const std::string& s)
    {
        out += '"';
        for (const unsigned char c : s) {
            switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += char(c);
                }
            }
        }
        out += '"';
    }

    void write(std::string& out, int indent, int depth) const
    {
        const std::string pad(std::size_t(indent * (depth + 1)), ' ');
        const std::string padEnd(std::size_t(indent * depth), ' ');
        switch (m_kind) {
        case Kind::Null:
            out += "null";
            break;
        case Kind::Bool:
            out += m_bool ? "true" : "false";
            break;
        case Kind::Number:
            if (!std::isfinite(m_number)) {
                out += "null"; // JSON has no NaN or infinity
            } else {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.10g", m_number);
                out += buf;
            }
            break;
        case Kind::String:
            quote(out, m_string);
            break;
        case Kind::Array:
            writeList(out, '[', ']', m_items.size(), pad, padEnd,
                [&](std::size_t i) { m_items[i].write(out, indent, depth + 1); });
            break;
        case Kind::Object:
            writeList(out, '{', '}', m_members.size(), pad, padEnd, [&](std::size_t i) {
                quote(out, m_members[i].first);
                out += ": ";
                m_members[i].second.write(out, indent, depth + 1);
            });
            break;
        }
    }

    // `open`, then each of `count` elements on a line of its own (writeElement(i) writes the i-th
    // after the indentation), then `close`; "[]" or "{}" when there are none.
    template <typename WriteElement>
    static void writeList(std::string& out, char open, char close, std::size_t count, const std::string& pad,
        const std::string& padEnd, WriteElement writeElement)
    {
        out += open;
        if (count > 0) {
            out += '\n';
            for (std::size_t i = 0; i < count; ++i) {
                out += pad;
                writeElement(i);
                out += i + 1 < count ? ",\n" : "\n";
            }
            out += padEnd;
        }
        out += close;
    }

    Kind m_kind = Kind::Null;
    bool m_bool = false;
    double m_number = 0;
    std::string m_string;
    std::vector<Json> m_items;
    std::vector<std::pair<std::string, Json>> m_members;
};

} // namespace msup::gpucheck
