#pragma once

#include <stdexcept>
#include <string>

namespace msup {

// The engine's error type. The message is written for a person: what went wrong, which file,
// and what to do about it. Layers above show it verbatim (CLI: stderr + non-zero exit; GUI: dialog).
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message)
        : std::runtime_error(message)
    {
    }
    Error(const std::string& message, const std::string& file, const std::string& hint = {})
        : std::runtime_error(compose(message, file, hint))
        , m_file(file)
        , m_hint(hint)
    {
    }
    const std::string& file() const { return m_file; }
    const std::string& hint() const { return m_hint; }

private:
    static std::string compose(const std::string& message, const std::string& file, const std::string& hint)
    {
        std::string s = file.empty() ? message : file + ": " + message;
        if (!hint.empty())
            s += " " + hint;
        return s;
    }
    std::string m_file;
    std::string m_hint;
};

} // namespace msup
