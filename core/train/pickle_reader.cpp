#include "core/train/pickle_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <unordered_map>

namespace msup::pickle {

namespace {

    std::string globalName(const Object& g)
    {
        return g.text + "." + g.name;
    }

    bool checkedMul(std::int64_t a, std::int64_t b, std::int64_t* out)
    {
        return !__builtin_mul_overflow(a, b, out);
    }
    bool checkedAdd(std::int64_t a, std::int64_t b, std::int64_t* out)
    {
        return !__builtin_add_overflow(a, b, out);
    }

    class Unpickler {
    public:
        Unpickler(const char* data, std::size_t size, const Limits& limits)
            : m_data(data)
            , m_size(size)
            , m_limits(limits)
        {
        }

        Pickle load()
        {
            for (;;) {
                const std::uint8_t op = byte();
                if (op == '.') // STOP
                    return stop();
                if (!stackOp(op) && !numberOp(op) && !stringOp(op) && !containerOp(op) && !memoOp(op)
                    && !objectOp(op))
                    unsupported(op);
            }
        }

    private:
        Pickle stop()
        {
            if (m_stack.empty())
                throw PickleError("empty stack at STOP");
            m_out.root = m_stack.back();
            checkTensorBytes();
            return std::move(m_out);
        }

        [[noreturn]] void unsupported(std::uint8_t op) const
        {
            char buf[64];
            std::snprintf(
                buf, sizeof buf, "unsupported pickle opcode 0x%02x at byte %zu", unsigned(op), m_pos - 1);
            throw UnsupportedPickle(buf);
        }

        // The opcode groups: each returns false for an opcode that is not its own.

        // Framing, MARK and the plain stack operations.
        bool stackOp(std::uint8_t op)
        {
            switch (op) {
            case 0x80: // PROTO
                byte();
                return true;
            case 0x95: // FRAME
                take(8);
                return true;
            case '(': // MARK
                if (m_marks.size() >= m_limits.maxDepth)
                    throw PickleError("nested deeper than " + std::to_string(m_limits.maxDepth) + " levels");
                m_marks.push_back(m_stack.size());
                return true;
            case '0': // POP
                pop();
                return true;
            case '1': // POP_MARK
                popMark();
                return true;
            case '2': // DUP
                push(top());
                return true;
            default:
                return false;
            }
        }

        // None, booleans, integers and floats.
        bool numberOp(std::uint8_t op)
        {
            switch (op) {
            case 'N':
                push(make(Kind::None));
                return true;
            case 0x88: // NEWTRUE
            case 0x89: // NEWFALSE
                push(boolean(op == 0x88));
                return true;
            case 'K': // BININT1
                push(integer(byte()));
                return true;
            case 'M': // BININT2
                push(integer(little(2, false)));
                return true;
            case 'J': // BININT
                push(integer(little(4, true)));
                return true;
            case 0x8a: // LONG1
                push(integer(little(byte(), true)));
                return true;
            case 0x8b: // LONG4
                push(integer(little(std::size_t(little(4, false)), true)));
                return true;
            case 'I': { // INT (protocol 0; "01"/"00" are True/False)
                const std::string s = line();
                if (s == "01" || s == "00")
                    push(boolean(s == "01"));
                else
                    push(integer(parseInt(s)));
                return true;
            }
            case 'L': { // LONG (protocol 0)
                std::string s = line();
                if (!s.empty() && s.back() == 'L')
                    s.pop_back();
                push(integer(parseInt(s)));
                return true;
            }
            case 'G': { // BINFLOAT, big-endian
                const char* p = take(8);
                std::uint64_t bits = 0;
                for (int i = 0; i < 8; ++i)
                    bits = (bits << 8) | std::uint8_t(p[i]);
                Object* o = make(Kind::Float);
                std::memcpy(&o->real, &bits, 8);
                push(o);
                return true;
            }
            case 'F': { // FLOAT (protocol 0)
                Object* o = make(Kind::Float);
                o->real = std::strtod(line().c_str(), nullptr);
                push(o);
                return true;
            }
            default:
                return false;
            }
        }

        // Text and byte strings.
        bool stringOp(std::uint8_t op)
        {
            switch (op) {
            case 'X': // BINUNICODE
            case 'T': // BINSTRING
                push(string(Kind::Str, std::uint64_t(little(4, false))));
                return true;
            case 0x8c: // SHORT_BINUNICODE
            case 'U': // SHORT_BINSTRING
                push(string(Kind::Str, byte()));
                return true;
            case 0x8d: // BINUNICODE8
                push(string(Kind::Str, std::uint64_t(little(8, false))));
                return true;
            case 'B': // BINBYTES
                push(string(Kind::Bytes, std::uint64_t(little(4, false))));
                return true;
            case 'C': // SHORT_BINBYTES
                push(string(Kind::Bytes, byte()));
                return true;
            case 0x8e: // BINBYTES8
                push(string(Kind::Bytes, std::uint64_t(little(8, false))));
                return true;
            default:
                return false;
            }
        }

        // Tuples, lists, sets and dicts: building them and adding to them.
        bool containerOp(std::uint8_t op)
        {
            switch (op) {
            case ')': // EMPTY_TUPLE
                push(make(Kind::Tuple));
                return true;
            case ']': // EMPTY_LIST
            case 0x8f: // EMPTY_SET (kept as a list)
                push(make(Kind::List));
                return true;
            case '}': // EMPTY_DICT
                push(make(Kind::Dict));
                return true;
            case 't': // TUPLE
            case 'l': // LIST
            case 0x91: { // FROZENSET
                Object* o = make(op == 't' ? Kind::Tuple : Kind::List);
                std::vector<const Object*> items = popMark();
                for (const Object* item : items)
                    adopt(o, item);
                o->items = std::move(items);
                push(o);
                return true;
            }
            case 0x85: // TUPLE1
            case 0x86: // TUPLE2
            case 0x87: { // TUPLE3
                const std::size_t n = op - 0x84;
                if (m_stack.size() < n + base())
                    throw PickleError("stack underflow in TUPLE" + std::to_string(n));
                Object* o = make(Kind::Tuple);
                o->items.assign(m_stack.end() - long(n), m_stack.end());
                for (const Object* item : o->items)
                    adopt(o, item);
                m_stack.resize(m_stack.size() - n);
                push(o);
                return true;
            }
            case 'd': { // DICT
                Object* o = make(Kind::Dict);
                setItems(o, popMark());
                push(o);
                return true;
            }
            case 's': { // SETITEM
                const Object* value = pop();
                const Object* key = pop();
                setItems(mutableTop(), { key, value });
                return true;
            }
            case 'u': { // SETITEMS
                std::vector<const Object*> items = popMark();
                setItems(mutableTop(), items);
                return true;
            }
            case 'a': { // APPEND
                const Object* value = pop();
                append(mutableTop(), { value });
                return true;
            }
            case 'e': // APPENDS
            case 0x90: { // ADDITEMS
                std::vector<const Object*> items = popMark();
                append(mutableTop(), items);
                return true;
            }
            default:
                return false;
            }
        }

        // The memo: PUT and GET in their three encodings, MEMOIZE.
        bool memoOp(std::uint8_t op)
        {
            switch (op) {
            case 'q': // BINPUT
                put(byte());
                return true;
            case 'r': // LONG_BINPUT
                put(std::uint64_t(little(4, false)));
                return true;
            case 'p': // PUT
                put(std::uint64_t(parseInt(line())));
                return true;
            case 0x94: // MEMOIZE
                put(m_memo.size());
                return true;
            case 'h': // BINGET
                push(memo(byte()));
                return true;
            case 'j': // LONG_BINGET
                push(memo(std::uint64_t(little(4, false))));
                return true;
            case 'g': // GET
                push(memo(std::uint64_t(parseInt(line()))));
                return true;
            default:
                return false;
            }
        }

        // Globals, persistent ids, calls and object construction (none of it executed).
        bool objectOp(std::uint8_t op)
        {
            switch (op) {
            case 'c': { // GLOBAL
                Object* o = make(Kind::Global);
                o->text = line();
                o->name = line();
                countText(o->text.size() + o->name.size());
                push(o);
                return true;
            }
            case 0x93: { // STACK_GLOBAL
                const Object* name = pop();
                const Object* module = pop();
                if (name->kind != Kind::Str || module->kind != Kind::Str)
                    throw PickleError("STACK_GLOBAL expects two strings");
                countText(module->text.size() + name->text.size());
                Object* o = make(Kind::Global);
                o->text = module->text;
                o->name = name->text;
                push(o);
                return true;
            }
            case 'Q': { // BINPERSID
                const Object* pid = pop();
                push(persistentLoad(pid));
                return true;
            }
            case 'R': { // REDUCE
                const Object* args = pop();
                const Object* callable = pop();
                push(call(callable, args));
                return true;
            }
            case 0x81: { // NEWOBJ
                const Object* args = pop();
                const Object* cls = pop();
                push(object(cls, args));
                return true;
            }
            case 0x92: { // NEWOBJ_EX
                pop(); // kwargs
                const Object* args = pop();
                const Object* cls = pop();
                push(object(cls, args));
                return true;
            }
            case 'b': // BUILD: the object's __setstate__ (an OrderedDict's _metadata): ignored
                pop();
                if (m_stack.size() <= base())
                    throw PickleError("stack underflow in BUILD");
                return true;
            default:
                return false;
            }
        }
        std::uint8_t byte() { return std::uint8_t(*take(1)); }
        const char* take(std::uint64_t n)
        {
            if (n > m_size - m_pos)
                throw PickleError("the pickle ends unexpectedly (" + std::to_string(n)
                    + " bytes wanted at byte " + std::to_string(m_pos) + " of " + std::to_string(m_size)
                    + ")");
            const char* p = m_data + m_pos;
            m_pos += std::size_t(n);
            return p;
        }
        std::int64_t little(std::size_t n, bool isSigned)
        {
            if (n > 8)
                throw PickleError("integer of " + std::to_string(n) + " bytes is too large");
            const char* p = take(n);
            std::uint64_t v = 0;
            for (std::size_t i = 0; i < n; ++i)
                v |= std::uint64_t(std::uint8_t(p[i])) << (8 * i);
            if (isSigned && n > 0 && n < 8 && (std::uint8_t(p[n - 1]) & 0x80))
                v |= ~std::uint64_t(0) << (8 * n);
            return std::int64_t(v);
        }
        std::string line()
        {
            const char* start = m_data + m_pos;
            const void* nl = std::memchr(start, '\n', m_size - m_pos);
            if (!nl)
                throw PickleError("the pickle ends unexpectedly (no end of line)");
            const std::size_t n = std::size_t(static_cast<const char*>(nl) - start);
            m_pos += n + 1;
            return std::string(start, n);
        }
        static std::int64_t parseInt(const std::string& s)
        {
            if (s.empty() || s.size() > 40)
                throw PickleError("bad integer '" + s.substr(0, 40) + "'");
            char* end = nullptr;
            errno = 0;
            const long long v = std::strtoll(s.c_str(), &end, 10);
            if (*end != '\0' || errno == ERANGE)
                throw PickleError("bad integer '" + s + "'");
            return v;
        }
        void countText(std::size_t n)
        {
            if (n > m_limits.maxTextBytes - m_textBytes)
                throw PickleError(
                    "holds more than " + std::to_string(m_limits.maxTextBytes >> 20) + " MiB of strings");
            m_textBytes += n;
        }

        Object* make(Kind kind)
        {
            if (m_out.arena.size() >= m_limits.maxObjects)
                throw PickleError("holds more than " + std::to_string(m_limits.maxObjects) + " objects");
            m_out.arena.push_back(std::make_unique<Object>());
            Object* o = m_out.arena.back().get();
            o->kind = kind;
            return o;
        }
        Object* boolean(bool b)
        {
            Object* o = make(Kind::Bool);
            o->boolean = b;
            return o;
        }
        Object* integer(std::int64_t v)
        {
            Object* o = make(Kind::Int);
            o->integer = v;
            return o;
        }
        Object* string(Kind kind, std::uint64_t n)
        {
            const char* p = take(n); // n is at most what is left of the data
            countText(std::size_t(n));
            Object* o = make(kind);
            o->text.assign(p, std::size_t(n));
            return o;
        }

        // Records that `item` now sits inside `container` (nesting depth).
        void adopt(Object* container, const Object* item)
        {
            if (++m_items > m_limits.maxItems)
                throw PickleError(
                    "its containers hold more than " + std::to_string(m_limits.maxItems) + " items");
            const std::size_t d = item->depth + 1;
            if (d > m_limits.maxDepth)
                throw PickleError("nested deeper than " + std::to_string(m_limits.maxDepth) + " levels");
            if (d > container->depth)
                container->depth = d;
        }

        std::size_t base() const { return m_marks.empty() ? 0 : m_marks.back(); }
        void push(const Object* o)
        {
            if (m_stack.size() >= m_limits.maxStack)
                throw PickleError("stack grows beyond " + std::to_string(m_limits.maxStack) + " values");
            m_stack.push_back(o);
        }
        const Object* pop()
        {
            if (m_stack.size() <= base())
                throw PickleError("stack underflow");
            const Object* o = m_stack.back();
            m_stack.pop_back();
            return o;
        }
        const Object* top() const
        {
            if (m_stack.size() <= base())
                throw PickleError("stack underflow");
            return m_stack.back();
        }
        // Objects on the stack were made here, so modifying them is legitimate.
        Object* mutableTop() { return const_cast<Object*>(top()); }
        std::vector<const Object*> popMark()
        {
            if (m_marks.empty())
                throw PickleError("no MARK on the stack");
            const std::size_t at = m_marks.back();
            m_marks.pop_back();
            std::vector<const Object*> items(m_stack.begin() + long(at), m_stack.end());
            m_stack.resize(at);
            return items;
        }
        void put(std::uint64_t key)
        {
            const Object* value = top();
            auto it = m_memo.find(key);
            if (it != m_memo.end()) {
                it->second = value;
                return;
            }
            if (m_memo.size() >= m_limits.maxMemo)
                throw PickleError("memo grows beyond " + std::to_string(m_limits.maxMemo) + " entries");
            m_memo.emplace(key, value);
        }
        const Object* memo(std::uint64_t key) const
        {
            auto it = m_memo.find(key);
            if (it == m_memo.end())
                throw PickleError("memo key " + std::to_string(key) + " not defined");
            return it->second;
        }
        void setItems(Object* target, const std::vector<const Object*>& items)
        {
            if (target->kind != Kind::Dict)
                throw PickleError("SETITEM on " + describe(target));
            if (items.size() % 2)
                throw PickleError("odd number of dict items");
            for (std::size_t i = 0; i < items.size(); i += 2) {
                adopt(target, items[i]);
                adopt(target, items[i + 1]);
                target->entries.emplace_back(items[i], items[i + 1]);
            }
        }
        void append(Object* target, const std::vector<const Object*>& items)
        {
            if (target->kind != Kind::List)
                throw PickleError("APPEND on " + describe(target));
            for (const Object* item : items)
                adopt(target, item);
            target->items.insert(target->items.end(), items.begin(), items.end());
        }
        const Object* object(const Object* callable, const Object* args)
        {
            Object* o = make(Kind::Object);
            adopt(o, callable);
            adopt(o, args);
            o->items = { callable, args };
            return o;
        }

        // ('storage', torch.<Type>Storage, key, location, numel)
        const Object* persistentLoad(const Object* pid)
        {
            if (pid->kind != Kind::Tuple || pid->items.size() < 5 || pid->items[0]->kind != Kind::Str
                || pid->items[0]->text != "storage" || pid->items[1]->kind != Kind::Global
                || pid->items[2]->kind != Kind::Str || pid->items[4]->kind != Kind::Int)
                throw UnsupportedPickle("unsupported persistent id (" + describe(pid) + ")");
            const std::string& type = pid->items[1]->name;
            const int elementSize = storageElementSize(type);
            if (!elementSize)
                throw UnsupportedPickle("unsupported storage type " + globalName(*pid->items[1]));
            const std::string& key = pid->items[2]->text;
            const std::int64_t numel = pid->items[4]->integer;
            std::int64_t bytes = 0;
            if (numel < 0 || !checkedMul(numel, elementSize, &bytes))
                throw PickleError("storage '" + key + "' declares an impossible size ("
                    + std::to_string(numel) + " elements)");
            std::size_t index = 0;
            auto it = m_storageIndex.find(key);
            if (it != m_storageIndex.end()) {
                index = it->second;
                const StorageRef& s = m_out.storages[index];
                if (s.type != type || s.numel != numel)
                    throw PickleError(
                        "storage '" + key + "' is declared twice with different types or sizes");
            } else {
                StorageRef s;
                s.key = key;
                s.type = type;
                s.location = pid->items[3]->kind == Kind::Str ? pid->items[3]->text : std::string();
                s.numel = numel;
                s.elementSize = elementSize;
                s.bytes = std::uint64_t(bytes);
                index = m_out.storages.size();
                m_out.storages.push_back(std::move(s));
                m_storageIndex.emplace(key, index);
                if (__builtin_add_overflow(m_storageBytes, std::uint64_t(bytes), &m_storageBytes))
                    m_storageBytes = std::uint64_t(-1);
            }
            Object* o = make(Kind::Storage);
            o->integer = std::int64_t(index);
            return o;
        }

        static std::int64_t intArg(const Object* args, std::size_t i, const char* what)
        {
            if (args->items.size() <= i || args->items[i]->kind != Kind::Int)
                throw PickleError(std::string("tensor ") + what + " is not an int");
            return args->items[i]->integer;
        }
        std::vector<std::int64_t> intsArg(const Object* args, std::size_t i, const char* what) const
        {
            if (args->items.size() <= i
                || (args->items[i]->kind != Kind::Tuple && args->items[i]->kind != Kind::List))
                throw PickleError(std::string("tensor ") + what + " is not a tuple");
            if (args->items[i]->items.size() > m_limits.maxDims)
                throw PickleError(
                    std::string("tensor has more than ") + std::to_string(m_limits.maxDims) + " dimensions");
            std::vector<std::int64_t> out;
            for (const Object* v : args->items[i]->items) {
                if (v->kind != Kind::Int)
                    throw PickleError(std::string("tensor ") + what + " holds a non-integer");
                out.push_back(v->integer);
            }
            return out;
        }

        // torch._utils._rebuild_tensor(_v2)(storage, storage_offset, size, stride, ...)
        const Object* rebuildTensor(const Object* args)
        {
            if (args->items.empty() || args->items[0]->kind != Kind::Storage)
                throw PickleError("tensor without a storage");
            TensorRef t;
            t.storage = std::size_t(args->items[0]->integer);
            const StorageRef& storage = m_out.storages[t.storage];
            t.offset = intArg(args, 1, "offset");
            t.sizes = intsArg(args, 2, "size");
            t.strides = intsArg(args, 3, "stride");
            if (t.sizes.size() != t.strides.size())
                throw PickleError("tensor size and stride differ in length");
            if (t.offset < 0)
                throw PickleError("tensor has a negative storage offset");
            const std::string where = "tensor in storage '" + storage.key + "'";
            std::int64_t last = t.offset, numel = 1;
            for (std::size_t d = 0; d < t.sizes.size(); ++d) {
                if (t.sizes[d] < 0 || t.strides[d] < 0)
                    throw PickleError(where + " has a negative size or stride");
                if (!checkedMul(numel, t.sizes[d], &numel))
                    throw PickleError(where + " has more elements than can be counted");
            }
            if (numel > 0) {
                for (std::size_t d = 0; d < t.sizes.size(); ++d) {
                    std::int64_t step = 0;
                    if (!checkedMul(t.sizes[d] - 1, t.strides[d], &step) || !checkedAdd(last, step, &last))
                        throw PickleError(where + " reaches past the end of its storage");
                }
                if (last >= storage.numel)
                    throw PickleError(where + " reaches past the end of its storage (element "
                        + std::to_string(last) + " of " + std::to_string(storage.numel) + ")");
            }
            t.numel = numel;
            std::uint64_t bytes = 0;
            if (__builtin_mul_overflow(std::uint64_t(numel), std::uint64_t(storage.elementSize), &bytes)
                || __builtin_add_overflow(m_tensorBytes, bytes, &m_tensorBytes))
                throw PickleError(where + " is too large");
            checkTensorBytes();
            Object* o = make(Kind::Tensor);
            o->integer = std::int64_t(m_out.tensors.size());
            m_out.tensors.push_back(std::move(t));
            return o;
        }

        // Tensors may be views (several of one storage), but all of them together must stay near
        // the storages' size: a stride of 0 would otherwise make a huge tensor of one element.
        void checkTensorBytes()
        {
            const std::uint64_t storageBytes = m_storageBytes;
            const std::uint64_t cap = std::max(m_limits.maxTensorBytes,
                storageBytes > (std::uint64_t(1) << 60) ? std::uint64_t(-1) : storageBytes * 4);
            if (m_tensorBytes > cap)
                throw PickleError("its tensors hold " + std::to_string(m_tensorBytes)
                    + " bytes, more than 4 × " + "their storages (" + std::to_string(storageBytes)
                    + " bytes)");
        }

        const Object* call(const Object* callable, const Object* args)
        {
            if (callable->kind != Kind::Global || args->kind != Kind::Tuple)
                return object(callable, args);
            const std::string& module = callable->text;
            const std::string& name = callable->name;
            if ((module == "collections" && name == "OrderedDict") || (module == "builtins" && name == "dict")
                || (module == "__builtin__" && name == "dict")) {
                Object* d = make(Kind::Dict);
                if (!args->items.empty()) {
                    const Object* pairs = args->items[0];
                    if (pairs->kind == Kind::Tuple || pairs->kind == Kind::List)
                        for (const Object* p : pairs->items)
                            if ((p->kind == Kind::Tuple || p->kind == Kind::List) && p->items.size() == 2) {
                                adopt(d, p->items[0]);
                                adopt(d, p->items[1]);
                                d->entries.emplace_back(p->items[0], p->items[1]);
                            }
                }
                return d;
            }
            if (module == "torch._utils" && (name == "_rebuild_tensor_v2" || name == "_rebuild_tensor"))
                return rebuildTensor(args);
            if (module == "torch._utils"
                && (name == "_rebuild_parameter" || name == "_rebuild_parameter_with_state")
                && !args->items.empty())
                return args->items[0];
            // LibTorch's pickler (torch::pickle_save) tags typed containers.
            if (module == "torch.jit._pickle" && !args->items.empty())
                return args->items[0];
            return object(callable, args);
        }

        const char* m_data;
        std::size_t m_size;
        std::size_t m_pos = 0;
        Limits m_limits;
        Pickle m_out;
        std::vector<const Object*> m_stack;
        std::vector<std::size_t> m_marks;
        std::unordered_map<std::uint64_t, const Object*> m_memo;
        std::map<std::string, std::size_t> m_storageIndex;
        std::size_t m_textBytes = 0;
        std::size_t m_items = 0;
        std::uint64_t m_tensorBytes = 0;
        std::uint64_t m_storageBytes = 0; // saturating
    };

} // namespace

int storageElementSize(const std::string& name)
{
    static const std::map<std::string, int> sizes = {
        { "FloatStorage", 4 },
        { "DoubleStorage", 8 },
        { "HalfStorage", 2 },
        { "BFloat16Storage", 2 },
        { "LongStorage", 8 },
        { "IntStorage", 4 },
        { "ShortStorage", 2 },
        { "CharStorage", 1 },
        { "ByteStorage", 1 },
        { "BoolStorage", 1 },
        { "UntypedStorage", 1 },
    };
    auto it = sizes.find(name);
    return it == sizes.end() ? 0 : it->second;
}

Pickle unpickle(const char* data, std::size_t size, const Limits& limits)
{
    return Unpickler(data, size, limits).load();
}

std::string describe(const Object* o)
{
    switch (o->kind) {
    case Kind::None:
        return "None";
    case Kind::Bool:
        return "a bool";
    case Kind::Int:
        return "an int";
    case Kind::Float:
        return "a float";
    case Kind::Str:
        return "a string";
    case Kind::Bytes:
        return "bytes";
    case Kind::Tuple:
        return "a tuple";
    case Kind::List:
        return "a list";
    case Kind::Dict:
        return "a dict";
    case Kind::Global:
        return "the global " + globalName(*o);
    case Kind::Object:
        return o->items[0]->kind == Kind::Global ? "an object of class " + globalName(*o->items[0])
                                                 : "an object";
    case Kind::Tensor:
        return "a tensor";
    case Kind::Storage:
        return "a storage";
    }
    return "something else";
}

const Object* dictValue(const Object* dict, const std::string& key)
{
    for (const auto& kv : dict->entries)
        if (kv.first->kind == Kind::Str && kv.first->text == key)
            return kv.second;
    return nullptr;
}

} // namespace msup::pickle
