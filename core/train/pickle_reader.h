#pragma once
// A bounded reader for the subset of Python's pickle protocol (0–5) that torch.save and LibTorch's
// archives write. Plain C++ (no Qt, no Torch), so it builds alone for the fuzz targets
// (tests/fuzz/) and is shared by the .pth import and the checkpoint verification.
//
// It executes nothing: globals are names, REDUCE of a global it does not know yields an opaque
// object. Tensors are descriptions (storage, offset, sizes, strides) checked against the storage
// the persistent id declares; the caller loads the bytes. Every object lives in an arena owned
// by the Pickle, so destruction is linear whatever the nesting (no recursive destructors) and
// reference cycles cannot leak.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace msup::pickle {

struct PickleError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// Well-formed as far as read, but using an opcode, persistent id or storage type this reader
// does not know (a newer writer): not evidence of damage.
struct UnsupportedPickle : PickleError {
    using PickleError::PickleError;
};

struct Limits {
    std::size_t maxDepth = 1000; // nesting of containers and MARKs
    std::size_t maxStack = std::size_t(1) << 22; // values on the stack
    std::size_t maxMemo = std::size_t(1) << 21; // memo entries
    // Objects created in all (~170 bytes each; a state_dict of 1,000 tensors makes ~15,000) and
    // items put into containers in all (a reference copied is cheap in bytes of input: REDUCE of
    // OrderedDict over a memoised list of pairs copies the whole list).
    std::size_t maxObjects = std::size_t(1) << 21;
    std::size_t maxItems = std::size_t(1) << 23;
    std::size_t maxTextBytes = std::size_t(256) << 20; // bytes of strings copied in all
    std::size_t maxDims = 64; // dimensions of a tensor
    // Bytes of all tensors together (views of storages are copied by the caller): at most this
    // or 4 × the bytes of all storages, whichever is larger.
    std::uint64_t maxTensorBytes = std::uint64_t(256) << 20;
};

enum class Kind { None, Bool, Int, Float, Str, Bytes, Tuple, List, Dict, Global, Object, Tensor, Storage };

struct Object {
    Kind kind = Kind::None;
    bool boolean = false;
    std::int64_t integer = 0; // Int; Tensor/Storage: the index into Pickle::tensors/storages
    double real = 0;
    std::string text; // Str, Bytes; Global: the module
    std::string name; // Global: the name within the module
    std::vector<const Object*> items; // Tuple, List; Object: { callable, arguments }
    std::vector<std::pair<const Object*, const Object*>> entries; // Dict, in insertion order
    std::size_t depth = 0; // containers: 1 + the deepest item seen when it was added
};

// A storage named by a persistent id ('storage', torch.<Type>Storage, key, location, numel).
struct StorageRef {
    std::string key; // the record is data/<key>
    std::string type; // "FloatStorage", ...
    std::string location; // "cpu", "cuda:0"
    std::int64_t numel = 0;
    int elementSize = 0;
    std::uint64_t bytes = 0; // numel × elementSize (checked for overflow)
};

// torch._utils._rebuild_tensor(_v2)(storage, offset, size, stride, ...), checked: sizes and
// strides non-negative, every element inside the storage, no arithmetic overflow.
struct TensorRef {
    std::size_t storage = 0; // index into Pickle::storages
    std::int64_t offset = 0;
    std::vector<std::int64_t> sizes, strides;
    std::int64_t numel = 0;
};

struct Pickle {
    const Object* root = nullptr;
    std::vector<StorageRef> storages; // in order of first reference, one per key
    std::vector<TensorRef> tensors;
    std::vector<std::unique_ptr<Object>> arena; // owns every object
};

// The element size of a storage type name ("FloatStorage" -> 4), 0 when unknown.
int storageElementSize(const std::string& typeName);

// Reads one pickle. Throws PickleError (never anything else but std::bad_alloc) for malformed
// input or input beyond `limits`.
Pickle unpickle(const char* data, std::size_t size, const Limits& limits = {});

// What a value is, for error messages ("a dict", "the global os.system").
std::string describe(const Object* o);

// The value of a string key of a dict, or nullptr.
const Object* dictValue(const Object* dict, const std::string& key);

} // namespace msup::pickle
