#pragma once

#include <cmath>
#include <cstdint>
#include <initializer_list>

namespace msup {

// A small, fully specified random generator (xoshiro256** seeded through SplitMix64). Unlike the
// standard distributions, every conversion here is our own, so the same seed gives the same
// numbers with every compiler and standard library we build on.
class Rng {
public:
    explicit Rng(std::uint64_t seed = 0) { reseed(seed); }

    void reseed(std::uint64_t seed)
    {
        std::uint64_t x = seed;
        for (auto& s : m_s)
            s = splitMix64(x);
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Uniform integer in [lo, hi] (inclusive); the tiny modulo bias is irrelevant here.
    int uniformInt(int lo, int hi)
    {
        if (hi <= lo)
            return lo;
        const std::uint64_t span = static_cast<std::uint64_t>(hi - lo) + 1;
        return lo + static_cast<int>(next() % span);
    }
    bool chance(double p) { return uniform() < p; }
    // Standard normal by Box-Muller (one value per call, the pair's second is dropped).
    double normal()
    {
        double u1 = uniform();
        if (u1 < 1e-300)
            u1 = 1e-300;
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

    // Derives an independent stream seed from a base seed and up to three indices (epoch, batch,
    // sample), so that any element of a run can be regenerated on its own.
    static std::uint64_t derive(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0, std::uint64_t c = 0)
    {
        std::uint64_t x = seed ^ 0x6a09e667f3bcc909ULL;
        std::uint64_t h = splitMix64(x);
        for (std::uint64_t v : { a, b, c }) {
            x = h ^ (v + 0x9e3779b97f4a7c15ULL);
            h = splitMix64(x);
        }
        return h;
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitMix64(std::uint64_t& x)
    {
        std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::uint64_t m_s[4];
};

} // namespace msup
