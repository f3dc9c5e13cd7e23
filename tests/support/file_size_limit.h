#pragma once
// Test support: make this process's writes fail as on a full disk, without LD_PRELOAD.

#include <csignal>
#include <sys/resource.h>

namespace msup::test {

// While it lives, this process cannot make a file larger than `bytes` (as if the disk were full):
// RLIMIT_FSIZE with SIGXFSZ ignored, so a write past the limit fails with EFBIG instead of killing
// the process. Child processes started meanwhile inherit the limit.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        getrlimit(RLIMIT_FSIZE, &m_old);
        m_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit l = m_old;
        l.rlim_cur = bytes;
        setrlimit(RLIMIT_FSIZE, &l);
    }
    ~FileSizeLimit()
    {
        setrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, m_handler);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

private:
    rlimit m_old {};
    void (*m_handler)(int) = nullptr;
};

} // namespace msup::test
