#pragma once
// Writes the data.pkl of a state_dict the way Python's torch.save does (pickle protocol 2): an
// OrderedDict of parameter names to tensors, each tensor rebuilt by torch._utils._rebuild_tensor_v2
// from a storage named by a persistent id ('storage', torch.<Type>Storage, key, 'cpu', numel)
// whose bytes are the archive record data/<key>. Only globals torch.load(weights_only=True)
// allows are named, so any PyTorch reads the result as a plain state_dict. Plain C++ (no Qt, no
// Torch), like the reader it mirrors (pickle_reader.h).

#include <cstdint>
#include <string>
#include <vector>

namespace msup::pickle {

struct StateDictTensor {
    std::string name; // the state_dict key, e.g. "conv0_0.conv1.weight"
    std::string storageKey; // the record data/<storageKey>; tensors may share a storage
    std::string storageType; // "FloatStorage", "LongStorage", ... (torch.<type>)
    std::int64_t storageNumel = 0; // elements of the storage
    std::int64_t offset = 0; // storage offset, in elements
    std::vector<std::int64_t> sizes, strides; // empty for a 0-dimensional tensor
};

// The pickle bytes. Throws std::invalid_argument for a storage type the reader does not know
// (storageElementSize() == 0), negative sizes, offsets or strides, or an empty name.
std::string pickleStateDict(const std::vector<StateDictTensor>& tensors);

} // namespace msup::pickle
