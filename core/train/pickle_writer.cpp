#include "core/train/pickle_writer.h"

#include "core/train/pickle_reader.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <stdexcept>

namespace msup::pickle {

namespace {

    // The protocol-2 opcodes torch.save's pickler emits for a state_dict.
    constexpr char kProto = '\x80', kStop = '.', kMark = '(', kGlobal = 'c', kBinPut = 'q', kBinGet = 'h', kEmptyTuple = ')', kTuple = 't', kTuple1 = '\x85',
                   kTuple2 = '\x86', kTuple3 = '\x87', kReduce = 'R', kBinPersId = 'Q', kNewFalse = '\x89',
                   kBinInt1 = 'K', kBinInt2 = 'M', kBinInt = 'J', kLong1 = '\x8a', kBinUnicode = 'X',
                   kSetItem = 's', kSetItems = 'u';

    class Writer {
    public:
        std::string out;

        void raw(char c) { out.push_back(c); }
        void le(std::uint64_t v, int bytes)
        {
            for (int i = 0; i < bytes; ++i)
                out.push_back(char((v >> (8 * i)) & 0xff));
        }

        void integer(std::int64_t v)
        {
            if (v >= 0 && v < 0x100) {
                raw(kBinInt1);
                le(std::uint64_t(v), 1);
            } else if (v >= 0 && v < 0x10000) {
                raw(kBinInt2);
                le(std::uint64_t(v), 2);
            } else if (v >= INT32_MIN && v <= INT32_MAX) {
                raw(kBinInt);
                le(std::uint64_t(std::uint32_t(std::int32_t(v))), 4);
            } else {
                // LONG1: the shortest two's-complement little-endian bytes (8 always suffice).
                raw(kLong1);
                int n = 8;
                while (n > 1) {
                    const std::int64_t top = v >> (8 * (n - 1) - 1); // the sign-carrying bits
                    if (top != 0 && top != -1)
                        break;
                    --n;
                }
                raw(char(n));
                le(std::uint64_t(v), n);
            }
        }

        void text(const std::string& s)
        {
            raw(kBinUnicode);
            le(s.size(), 4);
            out += s;
        }

        // A global, memoised: the first use writes it and puts it in the memo, later ones get it.
        // The memo holds globals only (OrderedDict, _rebuild_tensor_v2, the ten storage types),
        // so one-byte indices (BINPUT, BINGET) always suffice.
        void global(const std::string& module, const std::string& name)
        {
            const std::string key = module + "\n" + name;
            const auto it = m_memo.find(key);
            if (it != m_memo.end()) {
                raw(kBinGet);
                le(it->second, 1);
                return;
            }
            raw(kGlobal);
            out += key + "\n";
            const auto index = std::uint32_t(m_memo.size());
            raw(kBinPut);
            le(index, 1);
            m_memo.emplace(key, index);
        }

        void tuple(const std::vector<std::int64_t>& values)
        {
            if (values.empty()) {
                raw(kEmptyTuple);
                return;
            }
            if (values.size() > 3)
                raw(kMark);
            for (std::int64_t v : values)
                integer(v);
            switch (values.size()) {
            case 1:
                raw(kTuple1);
                break;
            case 2:
                raw(kTuple2);
                break;
            case 3:
                raw(kTuple3);
                break;
            default:
                raw(kTuple);
            }
        }

    private:
        std::map<std::string, std::uint32_t> m_memo;
    };

    void check(const StateDictTensor& t)
    {
        if (t.name.empty())
            throw std::invalid_argument("a state_dict key is empty");
        if (storageElementSize(t.storageType) == 0)
            throw std::invalid_argument("unknown storage type '" + t.storageType + "' for '" + t.name + "'");
        if (t.storageKey.empty() || t.storageNumel < 0 || t.offset < 0 || t.sizes.size() != t.strides.size())
            throw std::invalid_argument("invalid storage or shape for '" + t.name + "'");
        for (size_t i = 0; i < t.sizes.size(); ++i)
            if (t.sizes[i] < 0 || t.strides[i] < 0)
                throw std::invalid_argument("negative size or stride for '" + t.name + "'");
    }

} // namespace

std::string pickleStateDict(const std::vector<StateDictTensor>& tensors)
{
    Writer w;
    w.raw(kProto);
    w.raw(2);
    // OrderedDict() then its items, as pickle writes OrderedDict.__reduce__: SETITEMS in batches
    // of up to 1,000 pairs (SETITEM for a batch of one).
    w.global("collections", "OrderedDict");
    w.raw(kEmptyTuple);
    w.raw(kReduce);
    for (size_t begin = 0; begin < tensors.size(); begin += 1000) {
        const size_t end = std::min(tensors.size(), begin + 1000);
        if (end - begin > 1)
            w.raw(kMark);
        for (size_t i = begin; i < end; ++i) {
            const StateDictTensor& t = tensors[i];
            check(t);
            w.text(t.name);
            // _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks)
            w.global("torch._utils", "_rebuild_tensor_v2");
            w.raw(kMark);
            w.raw(kMark);
            w.text("storage");
            w.global("torch", t.storageType);
            w.text(t.storageKey);
            w.text("cpu");
            w.integer(t.storageNumel);
            w.raw(kTuple);
            w.raw(kBinPersId);
            w.integer(t.offset);
            w.tuple(t.sizes);
            w.tuple(t.strides);
            w.raw(kNewFalse);
            w.global("collections", "OrderedDict");
            w.raw(kEmptyTuple);
            w.raw(kReduce);
            w.raw(kTuple);
            w.raw(kReduce);
        }
        w.raw(end - begin > 1 ? kSetItems : kSetItem);
    }
    w.raw(kStop);
    return w.out;
}

} // namespace msup::pickle
