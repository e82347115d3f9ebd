#include "backend/weights/gguf.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/weights/float_codec.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

namespace vietllm::weights {

namespace {

constexpr std::uint32_t kGgufMagic = 0x46554747;  // "GGUF" read as a little-endian uint32
constexpr std::uint32_t kGgufVersion = 3;
constexpr std::uint64_t kDefaultAlignment = 32;
constexpr std::size_t kMaxDims = 4;
constexpr int kMaxArrayDepth = 4;

struct TypeLayout {
    GgmlType type;
    const char* name;
    std::size_t block_size;
    std::size_t block_bytes;
};

// Block layouts of the types this reader can size (ggml's type_traits table).
constexpr TypeLayout kLayouts[] = {
    {GgmlType::F32, "F32", 1, 4},       {GgmlType::F16, "F16", 1, 2},
    {GgmlType::Q4_0, "Q4_0", 32, 18},   {GgmlType::Q4_1, "Q4_1", 32, 20},
    {GgmlType::Q5_0, "Q5_0", 32, 22},   {GgmlType::Q5_1, "Q5_1", 32, 24},
    {GgmlType::Q8_0, "Q8_0", 32, 34},   {GgmlType::Q8_1, "Q8_1", 32, 36},
    {GgmlType::Q2_K, "Q2_K", 256, 84},  {GgmlType::Q3_K, "Q3_K", 256, 110},
    {GgmlType::Q4_K, "Q4_K", 256, 144}, {GgmlType::Q5_K, "Q5_K", 256, 176},
    {GgmlType::Q6_K, "Q6_K", 256, 210}, {GgmlType::Q8_K, "Q8_K", 256, 292},
    {GgmlType::I8, "I8", 1, 1},         {GgmlType::I16, "I16", 1, 2},
    {GgmlType::I32, "I32", 1, 4},       {GgmlType::I64, "I64", 1, 8},
    {GgmlType::F64, "F64", 1, 8},       {GgmlType::BF16, "BF16", 1, 2},
};

const TypeLayout& layoutOf(GgmlType type) {
    for (const TypeLayout& layout : kLayouts) {
        if (layout.type == type) {
            return layout;
        }
    }
    throw UserError("ggml type " + std::to_string(static_cast<std::uint32_t>(type)) + " is not supported");
}

std::uint64_t alignUp(std::uint64_t value, std::uint64_t alignment) {
    return (value + alignment - 1) / alignment * alignment;
}

// Little-endian serialisation of the header parts (x86-64 and aarch64 are little-endian, as GGUF's
// default byte order is).
template <typename T>
void appendRaw(std::string& out, T value) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    out.append(bytes, sizeof(T));
}

void appendString(std::string& out, const std::string& text) {
    appendRaw<std::uint64_t>(out, text.size());
    out += text;
}

void appendScalar(std::string& out, GgufValueType type, const nlohmann::json& value) {
    switch (type) {
        case GgufValueType::Uint8:
            appendRaw(out, value.get<std::uint8_t>());
            return;
        case GgufValueType::Int8:
            appendRaw(out, value.get<std::int8_t>());
            return;
        case GgufValueType::Uint16:
            appendRaw(out, value.get<std::uint16_t>());
            return;
        case GgufValueType::Int16:
            appendRaw(out, value.get<std::int16_t>());
            return;
        case GgufValueType::Uint32:
            appendRaw(out, value.get<std::uint32_t>());
            return;
        case GgufValueType::Int32:
            appendRaw(out, value.get<std::int32_t>());
            return;
        case GgufValueType::Float32:
            appendRaw(out, value.get<float>());
            return;
        case GgufValueType::Bool:
            appendRaw<std::uint8_t>(out, value.get<bool>() ? 1 : 0);
            return;
        case GgufValueType::String:
            appendString(out, value.get<std::string>());
            return;
        case GgufValueType::Uint64:
            appendRaw(out, value.get<std::uint64_t>());
            return;
        case GgufValueType::Int64:
            appendRaw(out, value.get<std::int64_t>());
            return;
        case GgufValueType::Float64:
            appendRaw(out, value.get<double>());
            return;
        case GgufValueType::Array:
            break;
    }
    throw UserError("GGUF writer: nested arrays are not written");
}

void appendValue(std::string& out, const GgufValue& value) {
    appendRaw(out, static_cast<std::uint32_t>(value.type));
    if (value.type != GgufValueType::Array) {
        appendScalar(out, value.type, value.value);
        return;
    }
    appendRaw(out, static_cast<std::uint32_t>(value.element_type));
    appendRaw<std::uint64_t>(out, value.value.size());
    for (const nlohmann::json& element : value.value) {
        appendScalar(out, value.element_type, element);
    }
}

// Bounds-checked reading of a GGUF image; every failure names the file, the byte offset and what
// was being read.
class Cursor {
public:
    Cursor(const std::uint8_t* data, std::size_t size, const std::string& source)
        : m_data(data), m_size(size), m_source(source) {}

    std::size_t position() const { return m_position; }
    std::size_t remaining() const { return m_size - m_position; }

    [[noreturn]] void fail(const std::string& what) const {
        throw UserError(m_source + ": byte " + std::to_string(m_position) + ": " + what);
    }

    template <typename T>
    T read(const char* what) {
        if (remaining() < sizeof(T)) {
            fail(std::string("truncated while reading ") + what);
        }
        T value;
        std::memcpy(&value, m_data + m_position, sizeof(T));
        m_position += sizeof(T);
        return value;
    }

    std::string readString(const char* what) {
        const auto length = read<std::uint64_t>(what);
        if (length > remaining()) {
            fail(std::string("truncated while reading ") + what + " (length " + std::to_string(length) + ")");
        }
        std::string text(reinterpret_cast<const char*>(m_data + m_position),
                         static_cast<std::size_t>(length));
        m_position += static_cast<std::size_t>(length);
        return text;
    }

private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    const std::string& m_source;
    std::size_t m_position = 0;
};

bool knownValueType(std::uint32_t id) {
    return id <= static_cast<std::uint32_t>(GgufValueType::Float64);
}

nlohmann::json readScalar(Cursor& cursor, GgufValueType type, const std::string& key, int depth);

nlohmann::json readArray(Cursor& cursor, const std::string& key, int depth, GgufValueType* element_type) {
    if (depth >= kMaxArrayDepth) {
        cursor.fail("key '" + key + "': arrays nested too deeply");
    }
    const auto element_id = cursor.read<std::uint32_t>("an array element type");
    if (!knownValueType(element_id)) {
        cursor.fail("key '" + key + "': unknown array element type " + std::to_string(element_id));
    }
    *element_type = static_cast<GgufValueType>(element_id);
    const auto count = cursor.read<std::uint64_t>("an array length");
    // Every element takes at least one byte, so a count past the bytes left is a corrupt length.
    if (count > cursor.remaining()) {
        cursor.fail("key '" + key + "': array length " + std::to_string(count) + " exceeds the file");
    }
    nlohmann::json values = nlohmann::json::array();
    for (std::uint64_t index = 0; index < count; ++index) {
        values.push_back(readScalar(cursor, *element_type, key, depth + 1));
    }
    return values;
}

nlohmann::json readScalar(Cursor& cursor, GgufValueType type, const std::string& key, int depth) {
    switch (type) {
        case GgufValueType::Uint8:
            return cursor.read<std::uint8_t>("a uint8");
        case GgufValueType::Int8:
            return cursor.read<std::int8_t>("an int8");
        case GgufValueType::Uint16:
            return cursor.read<std::uint16_t>("a uint16");
        case GgufValueType::Int16:
            return cursor.read<std::int16_t>("an int16");
        case GgufValueType::Uint32:
            return cursor.read<std::uint32_t>("a uint32");
        case GgufValueType::Int32:
            return cursor.read<std::int32_t>("an int32");
        case GgufValueType::Float32:
            return cursor.read<float>("a float32");
        case GgufValueType::Bool: {
            const auto byte = cursor.read<std::uint8_t>("a bool");
            if (byte > 1) {
                cursor.fail("key '" + key + "': bool value " + std::to_string(byte));
            }
            return byte == 1;
        }
        case GgufValueType::String:
            return cursor.readString("a string");
        case GgufValueType::Uint64:
            return cursor.read<std::uint64_t>("a uint64");
        case GgufValueType::Int64:
            return cursor.read<std::int64_t>("an int64");
        case GgufValueType::Float64:
            return cursor.read<double>("a float64");
        case GgufValueType::Array: {
            GgufValueType inner = GgufValueType::Uint8;
            return readArray(cursor, key, depth, &inner);
        }
    }
    cursor.fail("key '" + key + "': unknown value type");
}

void readMetadata(Cursor& cursor, std::uint64_t count, GgufContents& contents) {
    for (std::uint64_t index = 0; index < count; ++index) {
        const std::string key = cursor.readString("a metadata key");
        if (key.empty()) {
            cursor.fail("metadata key " + std::to_string(index) + " is empty");
        }
        if (contents.metadata.count(key) != 0) {
            cursor.fail("metadata key '" + key + "' appears twice");
        }
        const auto type_id = cursor.read<std::uint32_t>("a value type");
        if (!knownValueType(type_id)) {
            cursor.fail("key '" + key + "': unknown value type " + std::to_string(type_id));
        }
        GgufValue value;
        value.type = static_cast<GgufValueType>(type_id);
        value.value = value.type == GgufValueType::Array ? readArray(cursor, key, 0, &value.element_type)
                                                         : readScalar(cursor, value.type, key, 0);
        contents.metadata_order.push_back(key);
        contents.metadata.emplace(key, std::move(value));
    }
}

std::uint64_t alignmentOf(const GgufContents& contents, const std::string& source) {
    const auto found = contents.metadata.find("general.alignment");
    if (found == contents.metadata.end()) {
        return kDefaultAlignment;
    }
    if (found->second.type != GgufValueType::Uint32) {
        throw UserError(source + ": general.alignment is not a uint32");
    }
    const auto alignment = found->second.value.get<std::uint64_t>();
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
        throw UserError(source + ": general.alignment " + std::to_string(alignment) +
                        " is not a power of two");
    }
    return alignment;
}

GgufTensorInfo readTensorInfo(Cursor& cursor) {
    GgufTensorInfo tensor;
    tensor.name = cursor.readString("a tensor name");
    const auto dims = cursor.read<std::uint32_t>("a tensor's dimension count");
    if (dims == 0 || dims > kMaxDims) {
        cursor.fail("tensor '" + tensor.name + "': " + std::to_string(dims) + " dimensions (1 to 4 allowed)");
    }
    std::uint64_t elements = 1;
    for (std::uint32_t index = 0; index < dims; ++index) {
        const auto extent = cursor.read<std::uint64_t>("a tensor extent");
        if (extent == 0 || extent > (std::uint64_t{1} << 40) ||
            elements > (std::uint64_t{1} << 62) / extent) {
            cursor.fail("tensor '" + tensor.name + "': extent " + std::to_string(extent) + " is impossible");
        }
        elements *= extent;
        tensor.dims.push_back(static_cast<std::int64_t>(extent));
    }
    const auto type_id = cursor.read<std::uint32_t>("a tensor type");
    if (!ggmlTypeFromId(type_id, &tensor.type)) {
        cursor.fail("tensor '" + tensor.name + "': unsupported ggml type " + std::to_string(type_id));
    }
    if (static_cast<std::uint64_t>(tensor.dims[0]) % ggmlBlockSize(tensor.type) != 0) {
        cursor.fail("tensor '" + tensor.name + "': row length " + std::to_string(tensor.dims[0]) +
                    " is not a multiple of the " + ggmlTypeName(tensor.type) + " block");
    }
    tensor.offset = cursor.read<std::uint64_t>("a tensor offset");
    tensor.byte_size = ggmlByteSize(tensor.type, elements);
    return tensor;
}

// Places every tensor in the data section: aligned offsets, inside the file, no two overlapping.
void placeTensors(GgufContents& contents, const std::uint8_t* data, std::size_t size,
                  const std::string& source) {
    const std::uint64_t data_bytes = size - contents.data_offset;
    std::vector<const GgufTensorInfo*> by_offset;
    for (GgufTensorInfo& tensor : contents.tensors) {
        if (tensor.offset % contents.alignment != 0) {
            throw UserError(source + ": tensor '" + tensor.name + "': offset " +
                            std::to_string(tensor.offset) + " is not aligned to " +
                            std::to_string(contents.alignment));
        }
        if (tensor.offset > data_bytes || tensor.byte_size > data_bytes - tensor.offset) {
            throw UserError(source + ": tensor '" + tensor.name + "': data (" +
                            std::to_string(tensor.byte_size) + " bytes at offset " +
                            std::to_string(tensor.offset) + ") runs past the end of the file (truncated?)");
        }
        tensor.data = data + contents.data_offset + tensor.offset;
        by_offset.push_back(&tensor);
    }
    std::sort(by_offset.begin(), by_offset.end(),
              [](const GgufTensorInfo* a, const GgufTensorInfo* b) { return a->offset < b->offset; });
    for (std::size_t index = 1; index < by_offset.size(); ++index) {
        const GgufTensorInfo& before = *by_offset[index - 1];
        if (before.offset + before.byte_size > by_offset[index]->offset) {
            throw UserError(source + ": tensors '" + before.name + "' and '" + by_offset[index]->name +
                            "' overlap");
        }
    }
}

float halfAt(const std::uint8_t* bytes) {
    std::uint16_t bits = 0;
    std::memcpy(&bits, bytes, sizeof bits);
    return f16ToFloat(bits);
}

void storeHalf(std::uint8_t* bytes, float value) {
    const std::uint16_t bits = floatToF16(value);
    std::memcpy(bytes, &bits, sizeof bits);
}

void requireWholeBlocks(std::size_t count, const char* type) {
    if (count % 32 != 0) {
        throw UserError(std::string(type) + " needs a multiple of 32 values, got " + std::to_string(count));
    }
}

}  // namespace

bool ggmlTypeFromId(std::uint32_t id, GgmlType* type) {
    for (const TypeLayout& layout : kLayouts) {
        if (static_cast<std::uint32_t>(layout.type) == id) {
            *type = layout.type;
            return true;
        }
    }
    return false;
}

std::string ggmlTypeName(GgmlType type) {
    return layoutOf(type).name;
}
std::size_t ggmlBlockSize(GgmlType type) {
    return layoutOf(type).block_size;
}
std::size_t ggmlBlockBytes(GgmlType type) {
    return layoutOf(type).block_bytes;
}

std::uint64_t ggmlByteSize(GgmlType type, std::uint64_t elements) {
    const TypeLayout& layout = layoutOf(type);
    return elements / layout.block_size * layout.block_bytes;
}

std::string ggufValueTypeName(GgufValueType type, GgufValueType element_type) {
    static const char* const kNames[] = {"uint8", "int8",   "uint16", "int16",  "uint32", "int32",  "float32",
                                         "bool",  "string", "array",  "uint64", "int64",  "float64"};
    const std::string name = kNames[static_cast<std::uint32_t>(type)];
    if (type != GgufValueType::Array) {
        return name;
    }
    return name + "[" + kNames[static_cast<std::uint32_t>(element_type)] + "]";
}

void GgufWriter::addValue(const std::string& key, GgufValue value) {
    for (const auto& entry : m_metadata) {
        if (entry.first == key) {
            throw UserError("GGUF writer: metadata key '" + key + "' added twice");
        }
    }
    m_metadata.emplace_back(key, std::move(value));
}

void GgufWriter::addUint32(const std::string& key, std::uint32_t value) {
    addValue(key, {GgufValueType::Uint32, GgufValueType::Uint8, value});
}

void GgufWriter::addInt32(const std::string& key, std::int32_t value) {
    addValue(key, {GgufValueType::Int32, GgufValueType::Uint8, value});
}

void GgufWriter::addUint64(const std::string& key, std::uint64_t value) {
    addValue(key, {GgufValueType::Uint64, GgufValueType::Uint8, value});
}

void GgufWriter::addFloat32(const std::string& key, float value) {
    addValue(key, {GgufValueType::Float32, GgufValueType::Uint8, value});
}

void GgufWriter::addBool(const std::string& key, bool value) {
    addValue(key, {GgufValueType::Bool, GgufValueType::Uint8, value});
}

void GgufWriter::addString(const std::string& key, const std::string& value) {
    addValue(key, {GgufValueType::String, GgufValueType::Uint8, value});
}

void GgufWriter::addStringArray(const std::string& key, const std::vector<std::string>& values) {
    addValue(key, {GgufValueType::Array, GgufValueType::String, values});
}

void GgufWriter::addFloat32Array(const std::string& key, const std::vector<float>& values) {
    addValue(key, {GgufValueType::Array, GgufValueType::Float32, values});
}

void GgufWriter::addInt32Array(const std::string& key, const std::vector<std::int32_t>& values) {
    addValue(key, {GgufValueType::Array, GgufValueType::Int32, values});
}

void GgufWriter::addTensor(const std::string& name, const std::vector<std::int64_t>& shape, GgmlType type,
                           Encoder encode) {
    for (const PendingTensor& tensor : m_tensors) {
        if (tensor.name == name) {
            throw UserError("GGUF writer: tensor '" + name + "' added twice");
        }
    }
    if (shape.empty() || shape.size() > kMaxDims) {
        throw UserError("GGUF writer: tensor '" + name + "' has " + std::to_string(shape.size()) +
                        " dimensions");
    }
    std::uint64_t elements = 1;
    for (const std::int64_t extent : shape) {
        if (extent <= 0) {
            throw UserError("GGUF writer: tensor '" + name + "' has an empty dimension");
        }
        elements *= static_cast<std::uint64_t>(extent);
    }
    if (static_cast<std::uint64_t>(shape.back()) % ggmlBlockSize(type) != 0) {
        throw UserError("GGUF writer: tensor '" + name + "': row length " + std::to_string(shape.back()) +
                        " is not a multiple of the " + ggmlTypeName(type) + " block");
    }
    m_tensors.push_back({name, shape, type, ggmlByteSize(type, elements), std::move(encode)});
}

void GgufWriter::write(const std::string& path,
                       const std::function<void(std::size_t, std::size_t)>& on_tensor) const {
    std::string header;
    appendRaw(header, kGgufMagic);
    appendRaw(header, kGgufVersion);
    appendRaw<std::uint64_t>(header, m_tensors.size());
    appendRaw<std::uint64_t>(header, m_metadata.size());
    for (const auto& [key, value] : m_metadata) {
        appendString(header, key);
        appendValue(header, value);
    }
    std::uint64_t offset = 0;
    for (const PendingTensor& tensor : m_tensors) {
        appendString(header, tensor.name);
        appendRaw<std::uint32_t>(header, static_cast<std::uint32_t>(tensor.shape.size()));
        for (auto extent = tensor.shape.rbegin(); extent != tensor.shape.rend(); ++extent) {
            appendRaw<std::uint64_t>(header, static_cast<std::uint64_t>(*extent));
        }
        appendRaw(header, static_cast<std::uint32_t>(tensor.type));
        appendRaw(header, offset);
        offset = alignUp(offset + tensor.byte_size, kDefaultAlignment);
    }
    header.resize(alignUp(header.size(), kDefaultAlignment), '\0');

    AtomicFileWriter file(path);
    std::ofstream& out = file.stream();
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    const std::string padding(kDefaultAlignment, '\0');
    for (std::size_t index = 0; index < m_tensors.size(); ++index) {
        const PendingTensor& tensor = m_tensors[index];
        const std::vector<std::uint8_t> bytes = tensor.encode();
        if (bytes.size() != tensor.byte_size) {
            throw UserError("GGUF writer: tensor '" + tensor.name + "' encoded to " +
                            std::to_string(bytes.size()) + " bytes, expected " +
                            std::to_string(tensor.byte_size));
        }
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        const std::uint64_t pad = alignUp(tensor.byte_size, kDefaultAlignment) - tensor.byte_size;
        out.write(padding.data(), static_cast<std::streamsize>(pad));
        if (!out) {
            throw UserError(path + ": writing failed (disk full?)");
        }
        if (on_tensor) {
            on_tensor(index + 1, m_tensors.size());
        }
    }
    file.commit();
}

std::vector<std::int64_t> GgufTensorInfo::shape() const {
    return {dims.rbegin(), dims.rend()};
}

std::uint64_t GgufTensorInfo::elementCount() const {
    std::uint64_t count = 1;
    for (const std::int64_t extent : dims) {
        count *= static_cast<std::uint64_t>(extent);
    }
    return count;
}

GgufContents parseGguf(const std::uint8_t* data, std::size_t size, const std::string& source) {
    Cursor cursor(data, size, source);
    const auto magic = cursor.read<std::uint32_t>("the magic number");
    if (magic != kGgufMagic) {
        throw UserError(source + ": not a GGUF file (the first four bytes are not \"GGUF\")");
    }
    GgufContents contents;
    contents.version = cursor.read<std::uint32_t>("the version");
    if (contents.version != 2 && contents.version != 3) {
        throw UserError(source + ": GGUF version " + std::to_string(contents.version) +
                        " is not supported (2 and 3 are)");
    }
    const auto tensor_count = cursor.read<std::uint64_t>("the tensor count");
    const auto metadata_count = cursor.read<std::uint64_t>("the metadata count");
    // A key-value takes at least 13 bytes and a tensor info at least 28, so larger counts are corrupt.
    if (metadata_count > cursor.remaining() / 13 || tensor_count > cursor.remaining() / 28) {
        cursor.fail("tensor count " + std::to_string(tensor_count) + " or metadata count " +
                    std::to_string(metadata_count) + " exceeds the file");
    }
    readMetadata(cursor, metadata_count, contents);
    contents.alignment = alignmentOf(contents, source);
    std::set<std::string> names;
    for (std::uint64_t index = 0; index < tensor_count; ++index) {
        GgufTensorInfo tensor = readTensorInfo(cursor);
        if (!names.insert(tensor.name).second) {
            cursor.fail("tensor '" + tensor.name + "' appears twice");
        }
        contents.tensors.push_back(std::move(tensor));
    }
    contents.data_offset = alignUp(cursor.position(), contents.alignment);
    if (contents.data_offset > size) {
        if (!contents.tensors.empty()) {
            throw UserError(source + ": truncated before the tensor data");
        }
        contents.data_offset = size;
    }
    placeTensors(contents, data, size, source);
    return contents;
}

GgufFile::GgufFile(std::string path)
    : m_path(std::move(path)),
      m_file(m_path, "GGUF file"),
      m_contents(parseGguf(m_file.data(), m_file.size(), m_path)) {}

const GgufValue* GgufFile::find(const std::string& key) const {
    const auto found = m_contents.metadata.find(key);
    return found == m_contents.metadata.end() ? nullptr : &found->second;
}

const GgufTensorInfo* GgufFile::findTensor(const std::string& name) const {
    for (const GgufTensorInfo& tensor : m_contents.tensors) {
        if (tensor.name == name) {
            return &tensor;
        }
    }
    return nullptr;
}

std::vector<std::uint8_t> quantizeQ8_0(const float* values, std::size_t count) {
    requireWholeBlocks(count, "Q8_0");
    std::vector<std::uint8_t> out(count / 32 * 34);
    for (std::size_t block = 0; block < count / 32; ++block) {
        const float* x = values + block * 32;
        float max_abs = 0.0F;
        for (int index = 0; index < 32; ++index) {
            max_abs = std::max(max_abs, std::fabs(x[index]));
        }
        const float scale = max_abs / 127.0F;
        const float inverse = scale != 0.0F ? 1.0F / scale : 0.0F;
        std::uint8_t* target = out.data() + block * 34;
        storeHalf(target, scale);
        for (int index = 0; index < 32; ++index) {
            const auto quant = static_cast<std::int8_t>(std::lround(x[index] * inverse));
            std::memcpy(target + 2 + index, &quant, 1);
        }
    }
    return out;
}

std::vector<std::uint8_t> quantizeQ4_0(const float* values, std::size_t count) {
    requireWholeBlocks(count, "Q4_0");
    std::vector<std::uint8_t> out(count / 32 * 18);
    for (std::size_t block = 0; block < count / 32; ++block) {
        const float* x = values + block * 32;
        float max_abs = 0.0F;
        float extreme = 0.0F;  // the value of largest magnitude, sign kept
        for (int index = 0; index < 32; ++index) {
            if (std::fabs(x[index]) > max_abs) {
                max_abs = std::fabs(x[index]);
                extreme = x[index];
            }
        }
        const float scale = extreme / -8.0F;
        const float inverse = scale != 0.0F ? 1.0F / scale : 0.0F;
        std::uint8_t* target = out.data() + block * 18;
        storeHalf(target, scale);
        for (int index = 0; index < 16; ++index) {
            const auto low = static_cast<std::uint8_t>(
                std::min(15, static_cast<int>(static_cast<std::int8_t>(x[index] * inverse + 8.5F))));
            const auto high = static_cast<std::uint8_t>(
                std::min(15, static_cast<int>(static_cast<std::int8_t>(x[index + 16] * inverse + 8.5F))));
            target[2 + index] = static_cast<std::uint8_t>(low | (high << 4));
        }
    }
    return out;
}

std::vector<float> dequantizeTensor(const GgufTensorInfo& tensor) {
    const std::uint64_t count = tensor.elementCount();
    std::vector<float> out(static_cast<std::size_t>(count));
    const std::uint8_t* data = tensor.data;
    switch (tensor.type) {
        case GgmlType::F32:
            std::memcpy(out.data(), data, count * sizeof(float));
            return out;
        case GgmlType::F16:
        case GgmlType::BF16:
            for (std::uint64_t index = 0; index < count; ++index) {
                std::uint16_t bits = 0;
                std::memcpy(&bits, data + index * 2, 2);
                out[index] = tensor.type == GgmlType::F16 ? f16ToFloat(bits) : bf16ToFloat(bits);
            }
            return out;
        case GgmlType::Q8_0:
            for (std::uint64_t block = 0; block < count / 32; ++block) {
                const std::uint8_t* source = data + block * 34;
                const float scale = halfAt(source);
                for (int index = 0; index < 32; ++index) {
                    std::int8_t quant = 0;
                    std::memcpy(&quant, source + 2 + index, 1);
                    out[block * 32 + index] = scale * static_cast<float>(quant);
                }
            }
            return out;
        case GgmlType::Q4_0:
            for (std::uint64_t block = 0; block < count / 32; ++block) {
                const std::uint8_t* source = data + block * 18;
                const float scale = halfAt(source);
                for (int index = 0; index < 16; ++index) {
                    out[block * 32 + index] = scale * static_cast<float>((source[2 + index] & 0x0F) - 8);
                    out[block * 32 + index + 16] = scale * static_cast<float>((source[2 + index] >> 4) - 8);
                }
            }
            return out;
        default:
            break;
    }
    throw UserError("tensor '" + tensor.name + "': dequantizing " + ggmlTypeName(tensor.type) +
                    " is not supported (F32, F16, BF16, Q8_0, Q4_0 are)");
}

}  // namespace vietllm::weights
