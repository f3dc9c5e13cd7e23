#include "core/data/nyu_metadata.h"

#include "core/base/error.h"
#include "core/data/nyu_mat.h"

#include <QDir>
#include <QFileInfo>

#include <matio.h>

#include <memory>

namespace msup {

namespace {

    struct MatCloser {
        void operator()(mat_t* m) const { Mat_Close(m); }
    };
    struct VarFreer {
        void operator()(matvar_t* v) const { Mat_VarFree(v); }
    };
    using MatFile = std::unique_ptr<mat_t, MatCloser>;
    using MatVar = std::unique_ptr<matvar_t, VarFreer>;

    MatFile openMat(const QString& path)
    {
        if (!QFileInfo::exists(path))
            throw Error("file not found", path.toStdString(),
                "Download the NYUDv2 metadata (classMapping40.mat, class13Mapping.mat, splits.mat) next to "
                "the dataset.");
        MatFile f(Mat_Open(path.toLocal8Bit().constData(), MAT_ACC_RDONLY));
        if (!f)
            throw Error("cannot be read as a MATLAB file", path.toStdString(), "Re-download it.");
        return f;
    }

    MatVar readVar(mat_t* file, const char* name, const QString& path)
    {
        MatVar v(Mat_VarRead(file, name));
        if (!v)
            throw Error(std::string("has no variable '") + name + "'", path.toStdString(),
                "It is not the official NYUDv2 metadata file; re-download it.");
        return v;
    }

    // The metadata files hold a few thousand numbers: more than this is a damaged file.
    constexpr size_t kMaxElements = size_t(1) << 24;

    // Element count of a variable, or kMaxElements + 1 when its dims are absurd (or overflow).
    size_t elementCount(const matvar_t* v)
    {
        size_t n = 1;
        for (int i = 0; i < v->rank; ++i)
            if (!v->dims || __builtin_mul_overflow(n, v->dims[i], &n) || n > kMaxElements)
                return kMaxElements + 1;
        return n;
    }

    size_t elementSize(matio_classes c)
    {
        switch (c) {
        case MAT_C_UINT8:
        case MAT_C_INT8:
            return 1;
        case MAT_C_UINT16:
        case MAT_C_INT16:
            return 2;
        case MAT_C_UINT32:
        case MAT_C_INT32:
        case MAT_C_SINGLE:
            return 4;
        case MAT_C_DOUBLE:
            return 8;
        default:
            return 0;
        }
    }

    int toInt(double x, const char* name, const QString& path)
    {
        if (!(x >= -2147483648.0 && x <= 2147483647.0))
            throw Error(std::string("variable '") + name + "' holds a value that is not an index",
                path.toStdString(), "It is not the official NYUDv2 metadata file; re-download it.");
        return static_cast<int>(x);
    }

    // Numeric array of any integer or floating class, as ints.
    QVector<int> integers(const matvar_t* v, const char* name, const QString& path)
    {
        const size_t n = elementCount(v);
        const size_t size = elementSize(v->class_type);
        if (n > kMaxElements || (size && v->data && v->nbytes < n * size))
            throw Error(std::string("variable '") + name + "' declares more values than it holds",
                path.toStdString(), "The file is damaged; re-download it.");
        QVector<int> out(static_cast<int>(n));
        const void* d = v->data;
        if (!d)
            throw Error(std::string("variable '") + name + "' is empty", path.toStdString());
        for (size_t i = 0; i < n; ++i) {
            switch (v->class_type) {
            case MAT_C_UINT8:
                out[int(i)] = static_cast<const uint8_t*>(d)[i];
                break;
            case MAT_C_INT8:
                out[int(i)] = static_cast<const int8_t*>(d)[i];
                break;
            case MAT_C_UINT16:
                out[int(i)] = static_cast<const uint16_t*>(d)[i];
                break;
            case MAT_C_INT16:
                out[int(i)] = static_cast<const int16_t*>(d)[i];
                break;
            case MAT_C_UINT32:
                out[int(i)] = toInt(double(static_cast<const uint32_t*>(d)[i]), name, path);
                break;
            case MAT_C_INT32:
                out[int(i)] = static_cast<const int32_t*>(d)[i];
                break;
            case MAT_C_DOUBLE:
                out[int(i)] = toInt(static_cast<const double*>(d)[i], name, path);
                break;
            case MAT_C_SINGLE:
                out[int(i)] = toInt(double(static_cast<const float*>(d)[i]), name, path);
                break;
            default:
                throw Error(std::string("variable '") + name + "' is not numeric", path.toStdString());
            }
        }
        return out;
    }

    QString text(const matvar_t* v)
    {
        if (!v || v->class_type != MAT_C_CHAR || !v->data)
            return {};
        const size_t n = elementCount(v);
        const size_t unit = (v->data_type == MAT_T_UINT16 || v->data_type == MAT_T_UTF16) ? 2 : 1;
        if (n > kMaxElements || v->nbytes < n * unit)
            return {};
        if (v->data_type == MAT_T_UINT16 || v->data_type == MAT_T_UTF16)
            return QString::fromUtf16(static_cast<const char16_t*>(v->data), static_cast<qsizetype>(n));
        return QString::fromUtf8(static_cast<const char*>(v->data), static_cast<qsizetype>(n));
    }

    QStringList strings(matvar_t* cell, const char* name, const QString& path)
    {
        if (cell->class_type != MAT_C_CELL)
            throw Error(
                std::string("variable '") + name + "' is not a cell array of names", path.toStdString());
        QStringList out;
        const size_t n = elementCount(cell);
        if (n > 100000)
            throw Error(std::string("variable '") + name + "' declares " + std::to_string(n)
                    + " names or more, far more than the metadata holds",
                path.toStdString(), "The file is damaged; re-download it.");
        for (size_t i = 0; i < n; ++i)
            out << text(Mat_VarGetCell(cell, static_cast<int>(i)));
        return out;
    }

} // namespace

NyuMetadata readNyuMetadata(const QString& dir)
{
    std::lock_guard<std::mutex> lock(matioLock());
    NyuMetadata m;
    const QDir d(dir);
    {
        const QString path = d.filePath(QStringLiteral("classMapping40.mat"));
        MatFile f = openMat(path);
        MatVar names = readVar(f.get(), "className", path);
        m.classNames40 = strings(names.get(), "className", path);
        MatVar map = readVar(f.get(), "mapClass", path);
        m.map894To40 = integers(map.get(), "mapClass", path);
    }
    {
        const QString path = d.filePath(QStringLiteral("class13Mapping.mat"));
        MatFile f = openMat(path);
        MatVar s = readVar(f.get(), "classMapping13", path);
        if (s->class_type != MAT_C_STRUCT)
            throw Error("variable 'classMapping13' is not a struct", path.toStdString());
        matvar_t* labels = Mat_VarGetStructFieldByName(s.get(), "labels13", 0);
        matvar_t* names = Mat_VarGetStructFieldByName(s.get(), "classNames", 0);
        if (!labels || !names)
            throw Error("struct 'classMapping13' lacks labels13 or classNames", path.toStdString(),
                "Re-download the official file.");
        m.map40To13 = integers(labels, "labels13", path);
        m.classNames13 = strings(names, "classNames", path);
    }
    {
        const QString path = d.filePath(QStringLiteral("splits.mat"));
        MatFile f = openMat(path);
        MatVar train = readVar(f.get(), "trainNdxs", path);
        MatVar test = readVar(f.get(), "testNdxs", path);
        m.trainFrames = integers(train.get(), "trainNdxs", path);
        m.testFrames = integers(test.get(), "testNdxs", path);
    }
    return m;
}

cv::Mat remapLabels(const cv::Mat& labels, const QVector<int>& map)
{
    CV_Assert(labels.type() == CV_8UC1);
    uchar lut[256];
    for (int k = 0; k < 256; ++k)
        lut[k] = k == 0 ? 0 : k <= map.size() ? static_cast<uchar>(map[k - 1]) : 255;
    cv::Mat out(labels.size(), CV_8UC1);
    for (int y = 0; y < labels.rows; ++y) {
        const uchar* p = labels.ptr(y);
        uchar* q = out.ptr(y);
        for (int x = 0; x < labels.cols; ++x) {
            if (p[x] > map.size())
                throw Error("label " + std::to_string(p[x]) + " is outside the mapping (1.."
                    + std::to_string(map.size()) + ")");
            q[x] = lut[p[x]];
        }
    }
    return out;
}

} // namespace msup
