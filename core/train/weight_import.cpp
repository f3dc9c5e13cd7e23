#include "core/train/weight_import.h"

#include "core/base/error.h"
#include "core/data/palette.h"
#include "core/nn/unet.h"
#include "core/train/checkpoint_io.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <ATen/CPUGeneratorImpl.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/torch.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

// torch::pickle_load cannot be used here: LibTorch 1.13's unpickler replaces every
// collections.OrderedDict by None (it only expects one as a tensor's empty backward hooks), and a
// state_dict is an OrderedDict. So the zip archive is read with LibTorch's PyTorchStreamReader and
// data.pkl with the small unpickler below, which knows the opcodes and globals torch.save emits
// and executes nothing.

namespace msup {

namespace {

    struct PickleError : std::runtime_error {
        using std::runtime_error::runtime_error;
    };

    struct PyObj;
    using PyRef = std::shared_ptr<PyObj>;

    struct PyObj {
        enum class Kind {
            None,
            Bool,
            Int,
            Float,
            Str,
            Bytes,
            Tuple,
            List,
            Dict,
            Global,
            Object,
            Tensor,
            Storage
        };
        Kind kind = Kind::None;
        bool boolean = false;
        std::int64_t integer = 0;
        double real = 0;
        std::string text; // Str, Bytes; Global: the module
        std::string name; // Global: the name within the module
        std::vector<PyRef> items; // Tuple, List; Object: { callable, arguments }
        std::vector<std::pair<PyRef, PyRef>> entries; // Dict, in insertion order
        torch::Tensor tensor; // Tensor; Storage: the storage as a 1-D tensor
    };
    using Kind = PyObj::Kind;

    PyRef make(Kind kind)
    {
        auto o = std::make_shared<PyObj>();
        o->kind = kind;
        return o;
    }

    std::string globalName(const PyObj& g)
    {
        return g.text + "." + g.name;
    }

    // What a value is, for error messages.
    std::string describe(const PyRef& o)
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

    // The subset of the pickle protocol (0–5) that torch.save writes: containers, numbers, strings,
    // globals (only the ones below are interpreted; others become opaque objects) and persistent
    // ids for the tensor storages.
    class Unpickler {
    public:
        using PersistentLoad = std::function<PyRef(const PyRef& pid)>;
        Unpickler(const char* data, size_t size, PersistentLoad persistentLoad)
            : m_data(data)
            , m_size(size)
            , m_persistentLoad(std::move(persistentLoad))
        {
        }

        PyRef load()
        {
            for (;;) {
                const std::uint8_t op = byte();
                switch (op) {
                case 0x80: // PROTO
                    byte();
                    break;
                case 0x95: // FRAME
                    take(8);
                    break;
                case '.': // STOP
                    if (m_stack.empty())
                        throw PickleError("empty stack at STOP");
                    return m_stack.back();
                case '(': // MARK
                    m_marks.push_back(m_stack.size());
                    break;
                case '0': // POP
                    pop();
                    break;
                case '1': // POP_MARK
                    popMark();
                    break;
                case '2': // DUP
                    push(top());
                    break;
                case 'N':
                    push(make(Kind::None));
                    break;
                case 0x88: // NEWTRUE
                case 0x89: // NEWFALSE
                    push(boolean(op == 0x88));
                    break;
                case 'K': // BININT1
                    push(integer(byte()));
                    break;
                case 'M': // BININT2
                    push(integer(little(2, false)));
                    break;
                case 'J': // BININT
                    push(integer(little(4, true)));
                    break;
                case 0x8a: // LONG1
                    push(integer(little(byte(), true)));
                    break;
                case 0x8b: // LONG4
                    push(integer(little(size_t(little(4, false)), true)));
                    break;
                case 'I': { // INT (protocol 0; "01"/"00" are True/False)
                    const std::string s = line();
                    if (s == "01" || s == "00")
                        push(boolean(s == "01"));
                    else
                        push(integer(parseInt(s)));
                    break;
                }
                case 'L': { // LONG (protocol 0)
                    std::string s = line();
                    if (!s.empty() && s.back() == 'L')
                        s.pop_back();
                    push(integer(parseInt(s)));
                    break;
                }
                case 'G': { // BINFLOAT, big-endian
                    const char* p = take(8);
                    std::uint64_t bits = 0;
                    for (int i = 0; i < 8; ++i)
                        bits = (bits << 8) | std::uint8_t(p[i]);
                    auto o = make(Kind::Float);
                    std::memcpy(&o->real, &bits, 8);
                    push(o);
                    break;
                }
                case 'F': { // FLOAT (protocol 0)
                    auto o = make(Kind::Float);
                    o->real = std::strtod(line().c_str(), nullptr);
                    push(o);
                    break;
                }
                case 'X': // BINUNICODE
                    push(string(Kind::Str, size_t(little(4, false))));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    push(string(Kind::Str, byte()));
                    break;
                case 0x8d: // BINUNICODE8
                    push(string(Kind::Str, size_t(little(8, false))));
                    break;
                case 'T': // BINSTRING
                    push(string(Kind::Str, size_t(little(4, false))));
                    break;
                case 'U': // SHORT_BINSTRING
                    push(string(Kind::Str, byte()));
                    break;
                case 'B': // BINBYTES
                    push(string(Kind::Bytes, size_t(little(4, false))));
                    break;
                case 'C': // SHORT_BINBYTES
                    push(string(Kind::Bytes, byte()));
                    break;
                case 0x8e: // BINBYTES8
                    push(string(Kind::Bytes, size_t(little(8, false))));
                    break;
                case ')': // EMPTY_TUPLE
                    push(make(Kind::Tuple));
                    break;
                case ']': // EMPTY_LIST
                case 0x8f: // EMPTY_SET (kept as a list)
                    push(make(Kind::List));
                    break;
                case '}': // EMPTY_DICT
                    push(make(Kind::Dict));
                    break;
                case 't': // TUPLE
                case 'l': // LIST
                case 0x91: { // FROZENSET
                    auto o = make(op == 't' ? Kind::Tuple : Kind::List);
                    o->items = popMark();
                    push(o);
                    break;
                }
                case 0x85: // TUPLE1
                case 0x86: // TUPLE2
                case 0x87: { // TUPLE3
                    const size_t n = op - 0x84;
                    if (m_stack.size() < n + base())
                        throw PickleError("stack underflow in TUPLE" + std::to_string(n));
                    auto o = make(Kind::Tuple);
                    o->items.assign(m_stack.end() - long(n), m_stack.end());
                    m_stack.resize(m_stack.size() - n);
                    push(o);
                    break;
                }
                case 'd': { // DICT
                    auto o = make(Kind::Dict);
                    setItems(o, popMark());
                    push(o);
                    break;
                }
                case 's': { // SETITEM
                    PyRef value = pop();
                    PyRef key = pop();
                    setItems(top(), { key, value });
                    break;
                }
                case 'u': { // SETITEMS
                    std::vector<PyRef> items = popMark();
                    setItems(top(), items);
                    break;
                }
                case 'a': { // APPEND
                    PyRef value = pop();
                    append(top(), { value });
                    break;
                }
                case 'e': // APPENDS
                case 0x90: { // ADDITEMS
                    std::vector<PyRef> items = popMark();
                    append(top(), items);
                    break;
                }
                case 'c': { // GLOBAL
                    auto o = make(Kind::Global);
                    o->text = line();
                    o->name = line();
                    push(o);
                    break;
                }
                case 0x93: { // STACK_GLOBAL
                    PyRef name = pop();
                    PyRef module = pop();
                    if (name->kind != Kind::Str || module->kind != Kind::Str)
                        throw PickleError("STACK_GLOBAL expects two strings");
                    auto o = make(Kind::Global);
                    o->text = module->text;
                    o->name = name->text;
                    push(o);
                    break;
                }
                case 'q': // BINPUT
                    m_memo[byte()] = top();
                    break;
                case 'r': // LONG_BINPUT
                    m_memo[std::uint64_t(little(4, false))] = top();
                    break;
                case 'p': // PUT
                    m_memo[std::uint64_t(parseInt(line()))] = top();
                    break;
                case 0x94: // MEMOIZE
                    m_memo[m_memo.size()] = top();
                    break;
                case 'h': // BINGET
                    push(memo(byte()));
                    break;
                case 'j': // LONG_BINGET
                    push(memo(std::uint64_t(little(4, false))));
                    break;
                case 'g': // GET
                    push(memo(std::uint64_t(parseInt(line()))));
                    break;
                case 'Q': { // BINPERSID
                    PyRef pid = pop();
                    push(m_persistentLoad(pid));
                    break;
                }
                case 'R': { // REDUCE
                    PyRef args = pop();
                    PyRef callable = pop();
                    push(call(callable, args));
                    break;
                }
                case 0x81: { // NEWOBJ
                    PyRef args = pop();
                    PyRef cls = pop();
                    push(object(cls, args));
                    break;
                }
                case 0x92: { // NEWOBJ_EX
                    pop(); // kwargs
                    PyRef args = pop();
                    PyRef cls = pop();
                    push(object(cls, args));
                    break;
                }
                case 'b': // BUILD: the object's __setstate__ (an OrderedDict's _metadata): ignored
                    pop();
                    if (m_stack.size() <= base())
                        throw PickleError("stack underflow in BUILD");
                    break;
                default: {
                    char buf[64];
                    std::snprintf(buf, sizeof buf, "unsupported pickle opcode 0x%02x at byte %zu",
                        unsigned(op), m_pos - 1);
                    throw PickleError(buf);
                }
                }
            }
        }

    private:
        std::uint8_t byte() { return std::uint8_t(*take(1)); }
        const char* take(size_t n)
        {
            if (n > m_size - m_pos)
                throw PickleError("data.pkl ends unexpectedly");
            const char* p = m_data + m_pos;
            m_pos += n;
            return p;
        }
        std::int64_t little(size_t n, bool isSigned)
        {
            if (n > 8)
                throw PickleError("integer of " + std::to_string(n) + " bytes is too large");
            const char* p = take(n);
            std::uint64_t v = 0;
            for (size_t i = 0; i < n; ++i)
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
                throw PickleError("data.pkl ends unexpectedly");
            const size_t n = static_cast<const char*>(nl) - start;
            m_pos += n + 1;
            return std::string(start, n);
        }
        static std::int64_t parseInt(const std::string& s)
        {
            char* end = nullptr;
            const long long v = std::strtoll(s.c_str(), &end, 10);
            if (s.empty() || *end != '\0')
                throw PickleError("bad integer '" + s + "'");
            return v;
        }

        static PyRef boolean(bool b)
        {
            auto o = make(Kind::Bool);
            o->boolean = b;
            return o;
        }
        static PyRef integer(std::int64_t v)
        {
            auto o = make(Kind::Int);
            o->integer = v;
            return o;
        }
        PyRef string(Kind kind, size_t n)
        {
            auto o = make(kind);
            const char* p = take(n);
            o->text.assign(p, n);
            return o;
        }

        size_t base() const { return m_marks.empty() ? 0 : m_marks.back(); }
        void push(PyRef o) { m_stack.push_back(std::move(o)); }
        PyRef pop()
        {
            if (m_stack.size() <= base())
                throw PickleError("stack underflow");
            PyRef o = std::move(m_stack.back());
            m_stack.pop_back();
            return o;
        }
        PyRef& top()
        {
            if (m_stack.size() <= base())
                throw PickleError("stack underflow");
            return m_stack.back();
        }
        std::vector<PyRef> popMark()
        {
            if (m_marks.empty())
                throw PickleError("no MARK on the stack");
            const size_t at = m_marks.back();
            m_marks.pop_back();
            std::vector<PyRef> items(m_stack.begin() + long(at), m_stack.end());
            m_stack.resize(at);
            return items;
        }
        PyRef memo(std::uint64_t key) const
        {
            auto it = m_memo.find(key);
            if (it == m_memo.end())
                throw PickleError("memo key " + std::to_string(key) + " not defined");
            return it->second;
        }
        static void setItems(const PyRef& target, const std::vector<PyRef>& items)
        {
            if (target->kind != Kind::Dict)
                throw PickleError("SETITEM on " + describe(target));
            if (items.size() % 2)
                throw PickleError("odd number of dict items");
            for (size_t i = 0; i < items.size(); i += 2)
                target->entries.emplace_back(items[i], items[i + 1]);
        }
        static void append(const PyRef& target, const std::vector<PyRef>& items)
        {
            if (target->kind != Kind::List)
                throw PickleError("APPEND on " + describe(target));
            target->items.insert(target->items.end(), items.begin(), items.end());
        }
        static PyRef object(const PyRef& callable, const PyRef& args)
        {
            auto o = make(Kind::Object);
            o->items = { callable, args };
            return o;
        }

        static std::int64_t intArg(const PyRef& args, size_t i, const char* what)
        {
            if (args->items.size() <= i || args->items[i]->kind != Kind::Int)
                throw PickleError(std::string("tensor ") + what + " is not an int");
            return args->items[i]->integer;
        }
        static std::vector<std::int64_t> intsArg(const PyRef& args, size_t i, const char* what)
        {
            if (args->items.size() <= i
                || (args->items[i]->kind != Kind::Tuple && args->items[i]->kind != Kind::List))
                throw PickleError(std::string("tensor ") + what + " is not a tuple");
            std::vector<std::int64_t> out;
            for (const PyRef& v : args->items[i]->items) {
                if (v->kind != Kind::Int)
                    throw PickleError(std::string("tensor ") + what + " holds a non-integer");
                out.push_back(v->integer);
            }
            return out;
        }

        // torch._utils._rebuild_tensor(_v2)(storage, storage_offset, size, stride, ...)
        static PyRef rebuildTensor(const PyRef& args)
        {
            if (args->items.empty() || args->items[0]->kind != Kind::Storage)
                throw PickleError("tensor without a storage");
            const torch::Tensor& storage = args->items[0]->tensor;
            const std::int64_t offset = intArg(args, 1, "offset");
            const std::vector<std::int64_t> size = intsArg(args, 2, "size");
            const std::vector<std::int64_t> stride = intsArg(args, 3, "stride");
            if (size.size() != stride.size())
                throw PickleError("tensor size and stride differ in length");
            std::int64_t last = offset, numel = 1;
            for (size_t d = 0; d < size.size(); ++d) {
                if (size[d] < 0 || stride[d] < 0)
                    throw PickleError("negative tensor size or stride");
                numel *= size[d];
                last += (size[d] - 1) * stride[d];
            }
            if (offset < 0 || (numel > 0 && last >= storage.numel()))
                throw PickleError("tensor reaches past the end of its storage");
            auto o = make(Kind::Tensor);
            o->tensor = numel == 0 ? torch::empty(size, storage.options())
                                   : storage.as_strided(size, stride, offset).clone();
            return o;
        }

        static PyRef call(const PyRef& callable, const PyRef& args)
        {
            if (callable->kind != Kind::Global || args->kind != Kind::Tuple)
                return object(callable, args);
            const std::string& module = callable->text;
            const std::string& name = callable->name;
            if ((module == "collections" && name == "OrderedDict") || (module == "builtins" && name == "dict")
                || (module == "__builtin__" && name == "dict")) {
                auto d = make(Kind::Dict);
                if (!args->items.empty()) {
                    const PyRef& pairs = args->items[0];
                    if (pairs->kind == Kind::Tuple || pairs->kind == Kind::List)
                        for (const PyRef& p : pairs->items)
                            if ((p->kind == Kind::Tuple || p->kind == Kind::List) && p->items.size() == 2)
                                d->entries.emplace_back(p->items[0], p->items[1]);
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
        size_t m_size;
        size_t m_pos = 0;
        PersistentLoad m_persistentLoad;
        std::vector<PyRef> m_stack;
        std::vector<size_t> m_marks;
        std::unordered_map<std::uint64_t, PyRef> m_memo;
    };

    bool storageType(const std::string& name, torch::ScalarType* type)
    {
        static const std::map<std::string, torch::ScalarType> types = {
            { "FloatStorage", torch::kFloat },
            { "DoubleStorage", torch::kDouble },
            { "HalfStorage", torch::kHalf },
            { "BFloat16Storage", torch::kBFloat16 },
            { "LongStorage", torch::kLong },
            { "IntStorage", torch::kInt },
            { "ShortStorage", torch::kShort },
            { "CharStorage", torch::kChar },
            { "ByteStorage", torch::kByte },
            { "BoolStorage", torch::kBool },
            { "UntypedStorage", torch::kByte },
        };
        auto it = types.find(name);
        if (it == types.end())
            return false;
        *type = it->second;
        return true;
    }

    std::string shapeText(torch::IntArrayRef sizes)
    {
        std::string s = "[";
        for (size_t i = 0; i < sizes.size(); ++i)
            s += (i ? ", " : "") + std::to_string(sizes[i]);
        return s + "]";
    }

    const char* kSaveHint = "Save the weights in Python with torch.save(model.state_dict(), path).";

    // Reads data.pkl of a torch.save zip archive, loading the tensors it refers to.
    PyRef readTorchZip(const QString& path)
    {
        const std::string file = path.toStdString();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            throw Error(
                "cannot be opened: " + f.errorString().toStdString(), file, "Check the file's permissions.");
        const QByteArray head = f.read(512);
        f.close();
        if (head.isEmpty())
            throw Error("is empty, not a PyTorch weights file", file, kSaveHint);
        if (!head.startsWith(QByteArray("PK\x03\x04", 4))) {
            // The legacy format is a pickle stream starting with the pickled magic number
            // 0x1950a86a20f9469cfc6c (protocol 2: 0x80 0x02 LONG1 …); older still were tar files.
            const bool legacy
                = head.startsWith(QByteArray("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 14))
                || (head.size() >= 262 && head.mid(257, 5) == "ustar");
            if (legacy)
                throw Error(
                    "is in the legacy torch.save format (before PyTorch 1.6, not a zip archive), which "
                    "LibTorch cannot read",
                    file,
                    "Re-save it in Python with torch.save(torch.load(path, map_location='cpu'), new_path, "
                    "_use_new_zipfile_serialization=True).");
            if (std::uint8_t(head[0]) == 0x80)
                throw Error("is a plain Python pickle, not a torch.save zip archive", file,
                    std::string(kSaveHint) + " (not pickle.dump)");
            throw Error("is not a PyTorch weights file (torch.save writes a zip archive holding data.pkl)",
                file, kSaveHint);
        }
        try {
            caffe2::serialize::PyTorchStreamReader reader(QFile::encodeName(path).toStdString());
            bool script = reader.hasRecord("constants.pkl");
            for (const std::string& r : reader.getAllRecords())
                script = script || r.rfind("code/", 0) == 0;
            if (script)
                throw Error("is a TorchScript module or a LibTorch archive (such as a MaskSup Studio "
                            "checkpoint), not a state_dict saved by torch.save",
                    file,
                    "A MaskSup Studio checkpoint needs no import; for a TorchScript model, save "
                    "model.state_dict() in Python instead.");
            if (!reader.hasRecord("data.pkl"))
                throw Error("is a zip archive without data.pkl, not a torch.save file", file, kSaveHint);
            if (reader.hasRecord("byteorder")) {
                at::DataPtr order;
                size_t n = 0;
                std::tie(order, n) = reader.getRecord("byteorder");
                if (std::string(static_cast<const char*>(order.get()), n) == "big")
                    throw Error("was saved on a big-endian machine, which is not supported", file,
                        "Re-save the state_dict on a little-endian machine (x86, ARM).");
            }
            at::DataPtr pickle;
            size_t pickleSize = 0;
            std::tie(pickle, pickleSize) = reader.getRecord("data.pkl");
            std::map<std::string, torch::Tensor> storages;
            auto persistentLoad = [&](const PyRef& pid) -> PyRef {
                if (pid->kind != Kind::Tuple || pid->items.size() < 5 || pid->items[0]->kind != Kind::Str
                    || pid->items[0]->text != "storage" || pid->items[1]->kind != Kind::Global
                    || pid->items[2]->kind != Kind::Str || pid->items[4]->kind != Kind::Int)
                    throw PickleError("unsupported persistent id (" + describe(pid) + ")");
                torch::ScalarType type;
                if (!storageType(pid->items[1]->name, &type))
                    throw PickleError("unsupported storage type " + globalName(*pid->items[1]));
                const std::string& key = pid->items[2]->text;
                auto o = make(Kind::Storage);
                auto it = storages.find(key);
                if (it != storages.end()) {
                    o->tensor = it->second;
                    return o;
                }
                const std::int64_t numel = pid->items[4]->integer;
                const std::string record = "data/" + key;
                if (numel < 0 || !reader.hasRecord(record))
                    throw PickleError("storage " + record + " is missing from the archive");
                at::DataPtr bytes;
                size_t size = 0;
                std::tie(bytes, size) = reader.getRecord(record);
                torch::Tensor t = torch::empty({ numel }, torch::TensorOptions().dtype(type));
                const size_t need = size_t(numel) * t.element_size();
                if (size < need)
                    throw PickleError("storage " + record + " holds " + std::to_string(size) + " bytes, "
                        + std::to_string(need) + " expected");
                if (need)
                    std::memcpy(t.data_ptr(), bytes.get(), need);
                storages[key] = t;
                o->tensor = t;
                return o;
            };
            Unpickler unpickler(static_cast<const char*>(pickle.get()), pickleSize, persistentLoad);
            return unpickler.load();
        } catch (const PickleError& e) {
            throw Error(std::string("could not be read as a torch.save file: ") + e.what(), file,
                "The file may be truncated or damaged. " + std::string(kSaveHint));
        } catch (const c10::Error& e) {
            throw Error(std::string("could not be read as a torch.save file: ") + e.what_without_backtrace(),
                file, "The file may be truncated or damaged. " + std::string(kSaveHint));
        }
    }

    PyRef dictValue(const PyRef& dict, const std::string& key)
    {
        for (const auto& kv : dict->entries)
            if (kv.first->kind == Kind::Str && kv.first->text == key)
                return kv.second;
        return nullptr;
    }

    struct StateDict {
        std::vector<std::pair<std::string, torch::Tensor>> tensors;
        std::string container;
        int strippedPrefixes = 0;
        QStringList warnings;
    };

    StateDict extractStateDict(const PyRef& root, const std::string& file)
    {
        StateDict sd;
        PyRef dict = root;
        if (root->kind == Kind::Dict) {
            for (const char* key : { "state_dict", "model", "model_state_dict", "net" }) {
                const PyRef v = dictValue(root, key);
                if (v && (v->kind == Kind::Dict || v->kind == Kind::Object)) {
                    dict = v;
                    sd.container = key;
                    break;
                }
            }
        }
        if (dict->kind == Kind::Object)
            throw Error("holds a whole pickled model (" + describe(dict) + ")"
                    + (sd.container.empty() ? std::string() : " under \"" + sd.container + "\"")
                    + ", not a state_dict",
                file, "In Python, save the weights only: torch.save(model.state_dict(), path).");
        if (dict->kind != Kind::Dict)
            throw Error(
                "holds " + describe(dict) + ", not a state_dict (a dict of parameter names to tensors)", file,
                kSaveHint);
        std::vector<std::string> otherKeys;
        for (const auto& kv : dict->entries) {
            if (kv.first->kind != Kind::Str) {
                sd.warnings << QStringLiteral("skipped an entry whose key is %1, not a string")
                                   .arg(QString::fromStdString(describe(kv.first)));
                continue;
            }
            std::string key = kv.first->text;
            if (kv.second->kind != Kind::Tensor) {
                otherKeys.push_back(key);
                continue;
            }
            if (key.rfind("module.", 0) == 0) {
                key.erase(0, 7);
                ++sd.strippedPrefixes;
            }
            sd.tensors.emplace_back(key, kv.second->tensor);
        }
        if (sd.tensors.empty()) {
            std::string keys;
            for (size_t i = 0; i < otherKeys.size() && i < 8; ++i)
                keys += (i ? ", " : "") + otherKeys[i];
            if (otherKeys.size() > 8)
                keys += ", …";
            throw Error("holds no tensors, so it is not a state_dict"
                    + (keys.empty() ? std::string(" (an empty dict)") : " (a dict with keys " + keys + ")"),
                file,
                std::string(kSaveHint)
                    + " A dict wrapping it is read when the state_dict is under \"state_dict\" or "
                      "\"model\".");
        }
        for (const std::string& k : otherKeys)
            sd.warnings << QStringLiteral("skipped '%1': not a tensor").arg(QString::fromStdString(k));
        return sd;
    }

    void checkOptions(const WeightImportOptions& o)
    {
        if (o.model != QLatin1String("unet") && o.model != QLatin1String("unetpp"))
            throw Error("cannot import weights for model '" + o.model.toStdString()
                + "': the reference code's networks are unet (UNet) and unetpp (NestedUNet)");
        if (o.classes < 1 || o.classes > 1000)
            throw Error("classes (output channels) must be between 1 and 1000 (got "
                + std::to_string(o.classes) + ")");
        if (o.width < 1 || o.width > 256)
            throw Error("width must be between 1 and 256 (got " + std::to_string(o.width) + ")");
        if (o.imageSize < 16 || o.imageSize > 4096 || o.imageSize % 16 != 0)
            throw Error("image size must be a multiple of 16 between 16 and 4096 (got "
                + std::to_string(o.imageSize) + ")");
        if (o.inputPath.isEmpty())
            throw Error("no PyTorch weights file given");
        if (o.outputPath.isEmpty())
            throw Error("no output checkpoint path given");
        if (!QFileInfo::exists(o.inputPath))
            throw Error("PyTorch weights file not found", o.inputPath.toStdString(),
                "Give the .pth file written by torch.save(model.state_dict(), path).");
        if (QFileInfo(o.inputPath).isDir())
            throw Error("is a folder, not a PyTorch weights file", o.inputPath.toStdString(),
                "Give the .pth file written by torch.save(model.state_dict(), path).");
        if (QFileInfo(o.inputPath).canonicalFilePath() == QFileInfo(o.outputPath).canonicalFilePath())
            throw Error("is both the input and the output of the import", o.outputPath.toStdString(),
                "Write the checkpoint to another file.");
    }

    // What the file's keys say about the network it came from, as advice for an error.
    std::string diagnose(const WeightImportOptions& o, const std::map<std::string, torch::Tensor>& file)
    {
        std::vector<std::string> advice;
        const bool nested = file.count("conv0_1.conv1.weight") > 0;
        const bool plain = !nested && file.count("conv0_4.conv1.weight") > 0;
        if (o.model == QLatin1String("unet") && nested)
            advice.push_back("The file holds U-Net++ nodes (conv0_1, …): import it as model unetpp.");
        if (o.model == QLatin1String("unetpp") && plain)
            advice.push_back("The file has no U-Net++ nodes (conv0_1, …): import it as model unet.");
        if (file.count("final4.weight") && !file.count("final.weight"))
            advice.push_back("The file is a NestedUNet with deep supervision (heads final1…final4), which is "
                             "not supported: train it with deep_supervision=False.");
        auto first = file.find("conv0_0.conv1.weight");
        if (first != file.end() && first->second.dim() == 4 && first->second.size(0) != o.width)
            advice.push_back("Its first convolution has " + std::to_string(first->second.size(0))
                + " channels: import it with width " + std::to_string(first->second.size(0)) + " (--width).");
        auto head = file.find("final.weight");
        if (head != file.end() && head->second.dim() == 4 && head->second.size(0) != o.classes)
            advice.push_back("Its head has " + std::to_string(head->second.size(0)) + " output channel"
                + (head->second.size(0) == 1 ? "" : "s") + ": import it with "
                + std::to_string(head->second.size(0)) + " class" + (head->second.size(0) == 1 ? "" : "es")
                + " (--classes).");
        advice.push_back("With --allow-partial the checkpoint is written anyway, the tensors that do not fit "
                         "keeping their initial values.");
        std::string s;
        for (const std::string& a : advice)
            s += (s.empty() ? "" : " ") + a;
        return s;
    }

    std::string listed(const QStringList& keys, int max = 6)
    {
        std::string s;
        for (int i = 0; i < keys.size() && i < max; ++i)
            s += (i ? ", " : "") + keys[i].toStdString();
        if (keys.size() > max)
            s += ", … (" + std::to_string(keys.size() - max) + " more)";
        return s;
    }

    // Keeps the global CPU generator's state: the model's initial values come from seed 0 (so a
    // partial import is reproducible) without disturbing the caller's random stream.
    class GeneratorStateGuard {
    public:
        GeneratorStateGuard()
        {
            auto gen = at::detail::getDefaultCPUGenerator();
            std::lock_guard<std::mutex> lock(gen.mutex());
            m_state = gen.get_state();
        }
        ~GeneratorStateGuard()
        {
            auto gen = at::detail::getDefaultCPUGenerator();
            std::lock_guard<std::mutex> lock(gen.mutex());
            gen.set_state(m_state);
        }

    private:
        at::Tensor m_state;
    };

} // namespace

WeightImportReport importPyTorchWeights(const WeightImportOptions& options)
{
    checkOptions(options);
    const std::string file = options.inputPath.toStdString();
    const StateDict sd = extractStateDict(readTorchZip(options.inputPath), file);

    WeightImportReport report;
    report.model = options.model;
    report.outputChannels = options.classes;
    report.width = options.width;
    report.reluLogits = options.model == QLatin1String("unetpp") && options.reluLogits;
    report.container = QString::fromStdString(sd.container);
    report.strippedPrefixes = sd.strippedPrefixes;
    report.fileTensors = int(sd.tensors.size());
    report.warnings = sd.warnings;
    report.outputPath = options.outputPath;

    nn::ModelSpec spec;
    spec.name = options.model.toStdString();
    spec.outChannels = options.classes;
    spec.width = options.width;
    spec.reluLogits = report.reluLogits;
    spec.imageSize = options.imageSize;
    std::shared_ptr<nn::SegmentationModelImpl> model;
    {
        GeneratorStateGuard keep;
        torch::manual_seed(0);
        model = nn::createModel(spec);
    }
    report.parameters = nn::parameterCount(*model);

    std::map<std::string, torch::Tensor> fileTensors;
    for (const auto& kv : sd.tensors) {
        if (fileTensors.count(kv.first))
            report.warnings << QStringLiteral(
                "'%1' appears twice (with and without \"module.\"); the last one "
                "is used")
                                   .arg(QString::fromStdString(kv.first));
        fileTensors[kv.first] = kv.second;
    }

    std::vector<std::pair<std::string, torch::Tensor>> targets;
    for (const auto& p : model->named_parameters())
        targets.emplace_back(p.key(), p.value());
    for (const auto& b : model->named_buffers())
        targets.emplace_back(b.key(), b.value());
    report.modelTensors = int(targets.size());

    torch::NoGradGuard noGrad;
    std::string firstMismatch;
    int missingCounters = 0;
    QStringList converted;
    for (auto& [key, target] : targets) {
        auto it = fileTensors.find(key);
        if (it == fileTensors.end()) {
            // Files from PyTorch < 0.4.1 lack the BatchNorm counters, which only training uses.
            const std::string counter = "num_batches_tracked";
            if (key.size() > counter.size()
                && key.compare(key.size() - counter.size(), counter.size(), counter) == 0)
                ++missingCounters;
            else
                report.missingKeys << QString::fromStdString(key);
            continue;
        }
        const torch::Tensor& source = it->second;
        if (source.sizes() != target.sizes()) {
            const std::string text = "'" + key + "': the model expects " + shapeText(target.sizes())
                + ", the file has " + shapeText(source.sizes());
            if (firstMismatch.empty())
                firstMismatch = text;
            report.shapeMismatches << QStringLiteral("%1: model %2, file %3")
                                          .arg(QString::fromStdString(key),
                                              QString::fromStdString(shapeText(target.sizes())),
                                              QString::fromStdString(shapeText(source.sizes())));
            continue;
        }
        if (source.scalar_type() != target.scalar_type() && source.is_floating_point())
            converted << QString::fromStdString(key);
        target.copy_(source.to(target.scalar_type()));
        ++report.loadedTensors;
        report.loadedValues += target.numel();
    }
    std::set<std::string> known;
    for (const auto& t : targets)
        known.insert(t.first);
    for (const auto& kv : sd.tensors)
        if (!known.count(kv.first) && !report.unexpectedKeys.contains(QString::fromStdString(kv.first)))
            report.unexpectedKeys << QString::fromStdString(kv.first);
    if (missingCounters)
        report.warnings << QStringLiteral(
            "%1 BatchNorm num_batches_tracked counters are not in the file (saved by "
            "PyTorch < 0.4.1?); they only matter for training and start at 0")
                               .arg(missingCounters);
    if (!converted.isEmpty())
        report.warnings << QStringLiteral("%1 tensors were converted to float32 (e.g. '%2')")
                               .arg(converted.size())
                               .arg(converted.first());

    const std::string what = options.model.toStdString() + ", " + std::to_string(options.classes)
        + " output channel" + (options.classes == 1 ? "" : "s") + ", width " + std::to_string(options.width);
    if (!report.shapeMismatches.isEmpty() && !options.allowPartial)
        throw Error("shape mismatch for " + firstMismatch + " (model " + what + ")"
                + (report.shapeMismatches.size() == 2 ? std::string("; 1 more tensor differs")
                        : report.shapeMismatches.size() > 2
                        ? "; " + std::to_string(report.shapeMismatches.size() - 1) + " more tensors differ"
                        : std::string()),
            file, diagnose(options, fileTensors));
    if (!report.missingKeys.isEmpty() && !options.allowPartial)
        throw Error(std::to_string(report.missingKeys.size()) + " of the model's "
                + std::to_string(targets.size()) + " tensors are missing from the file (model " + what
                + "): " + listed(report.missingKeys)
                + (report.unexpectedKeys.isEmpty()
                        ? std::string()
                        : "; the file has " + std::to_string(report.unexpectedKeys.size())
                            + " keys the model does not know: " + listed(report.unexpectedKeys)),
            file, diagnose(options, fileTensors));
    if (report.loadedTensors == 0)
        throw Error(
            "no tensor of the file fits the model (" + what + ")", file, diagnose(options, fileTensors));

    CheckpointInfo info;
    info.config.model = options.model;
    info.config.width = options.width;
    info.config.imageSize = options.imageSize;
    info.config.reluLogits = report.reluLogits;
    info.outputChannels = options.classes;
    if (options.classes == 1) {
        info.classNames = QStringList { QStringLiteral("background"), QStringLiteral("foreground") };
    } else {
        for (int k = 0; k < options.classes; ++k)
            info.classNames << QStringLiteral("class %1").arg(k);
    }
    info.classColors = defaultPalette(int(info.classNames.size()));
    info.epoch = 0;
    const QFileInfo out(options.outputPath);
    if (!out.absoluteDir().exists() && !QDir().mkpath(out.absolutePath()))
        throw Error("the checkpoint's folder cannot be created", options.outputPath.toStdString(),
            "Check that the parent folder is writable.");
    model->eval();
    saveCheckpoint(options.outputPath, *model, nullptr, info);
    return report;
}

} // namespace msup
