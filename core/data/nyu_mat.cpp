#include "core/data/nyu_mat.h"

#include "core/base/error.h"

#include <QDateTime>
#include <QFileInfo>

#include <matio.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <mutex>

namespace msup {

namespace {

    // The file opened last, kept open so that reading frame after frame does not re-open it.
    struct OpenFile {
        QString path;
        QDateTime modified;
        mat_t* mat = nullptr;
        matvar_t* images = nullptr;
        matvar_t* labels = nullptr;
        NyuMatInfo info;

        void close()
        {
            if (images)
                Mat_VarFree(images);
            if (labels)
                Mat_VarFree(labels);
            if (mat)
                Mat_Close(mat);
            images = labels = nullptr;
            mat = nullptr;
            path.clear();
        }
        // No destructor: HDF5 closes its files at exit itself, and closing them again from a static
        // destructor (which may run after HDF5's own exit handler) would crash.
    };

    OpenFile& openFile()
    {
        static OpenFile f;
        return f;
    }

    const char* kFix = "Use the official nyu_depth_v2_labeled.mat (MATLAB v7.3) from the NYU Depth V2 page; "
                       "re-download it if it was cut short.";

    // Dimensions in MATLAB order; trailing singleton dimensions are dropped by MATLAB, so a file with
    // one frame has rank 3 images and rank 2 labels.
    size_t dim(const matvar_t* v, int i)
    {
        return i < v->rank ? v->dims[i] : 1;
    }

    // Opens `path` (or reuses the open handle) with the lock held.
    OpenFile& openLocked(const QString& path)
    {
        OpenFile& f = openFile();
        const QFileInfo fi(path);
        if (!fi.exists())
            throw Error("file not found", path.toStdString(), kFix);
        if (f.mat && f.path == fi.absoluteFilePath() && f.modified == fi.lastModified())
            return f;
        f.close();
        mat_t* mat = Mat_Open(path.toLocal8Bit().constData(), MAT_ACC_RDONLY);
        if (!mat)
            throw Error("cannot be read as a MATLAB file", path.toStdString(), kFix);
        f.mat = mat;
        f.path = fi.absoluteFilePath();
        f.modified = fi.lastModified();
        if (Mat_GetVersion(mat) != MAT_FT_MAT73) {
            f.close();
            throw Error("is not a MATLAB v7.3 (HDF5) file", path.toStdString(), kFix);
        }
        f.images = Mat_VarReadInfo(mat, "images");
        f.labels = Mat_VarReadInfo(mat, "labels");
        if (!f.images || !f.labels) {
            const bool noImages = !f.images;
            f.close();
            throw Error(noImages ? "has no variable 'images'" : "has no variable 'labels'",
                path.toStdString(),
                "It is not the labelled NYUDv2 file: nyu_depth_v2_labeled.mat holds 'images' and 'labels'.");
        }
        const matvar_t* im = f.images;
        const matvar_t* lb = f.labels;
        const bool imagesOk
            = im->class_type == MAT_C_UINT8 && im->rank >= 3 && im->rank <= 4 && dim(im, 2) == 3;
        const bool labelsOk = (lb->class_type == MAT_C_UINT16 || lb->class_type == MAT_C_UINT8)
            && lb->rank >= 2 && lb->rank <= 3;
        if (!imagesOk || !labelsOk) {
            f.close();
            throw Error(!imagesOk ? "variable 'images' is not a uint8 H×W×3×N array"
                                  : "variable 'labels' is not a uint16 H×W×N array",
                path.toStdString(), kFix);
        }
        if (dim(im, 0) != dim(lb, 0) || dim(im, 1) != dim(lb, 1) || dim(im, 3) != dim(lb, 2)) {
            const std::string text = "'images' is " + std::to_string(dim(im, 0)) + "×"
                + std::to_string(dim(im, 1)) + "×3×" + std::to_string(dim(im, 3)) + " but 'labels' is "
                + std::to_string(dim(lb, 0)) + "×" + std::to_string(dim(lb, 1)) + "×"
                + std::to_string(dim(lb, 2));
            f.close();
            throw Error(text, path.toStdString(), kFix);
        }
        // The dims come from the file: check them against sane caps and the file's size before
        // anything is allocated or iterated (a 2 KB file can declare 100000² pixels per frame, or
        // millions of frames). HDF5 data may be deflated, which packs at most ~1032:1.
        const std::uint64_t h = dim(im, 0), w = dim(im, 1), n = dim(im, 3);
        const std::uint64_t fileBytes = std::uint64_t(std::max<qint64>(QFileInfo(path).size(), 0));
        const std::uint64_t kMaxSide = 16384, kMaxFrames = 100000, kMaxRatio = 1100;
        if (h < 1 || w < 1 || n < 1 || h > kMaxSide || w > kMaxSide || n > kMaxFrames) {
            f.close();
            throw Error("declares " + std::to_string(n) + " frames of " + std::to_string(h) + "×"
                    + std::to_string(w) + " pixels, beyond what it can hold (at most "
                    + std::to_string(kMaxFrames) + " frames of up to " + std::to_string(kMaxSide) + "×"
                    + std::to_string(kMaxSide) + ")",
                path.toStdString(), kFix);
        }
        const std::uint64_t declared = h * w * 5 * n; // uint8 RGB + uint16 labels; < 2^61 by the caps
        if (declared / kMaxRatio > fileBytes) {
            f.close();
            throw Error("declares " + std::to_string(n) + " frames of " + std::to_string(h) + "×"
                    + std::to_string(w) + " pixels (" + std::to_string(declared >> 20) + " MiB) in a file of "
                    + std::to_string(fileBytes) + " bytes: it is damaged or truncated",
                path.toStdString(), kFix);
        }
        f.info.height = static_cast<int>(dim(im, 0));
        f.info.width = static_cast<int>(dim(im, 1));
        f.info.frames = static_cast<int>(dim(im, 3));
        return f;
    }

    void checkFrame(const OpenFile& f, const QString& path, int frame)
    {
        if (frame < 1 || frame > f.info.frames)
            throw Error("has no frame " + std::to_string(frame) + " (it holds frames 1.."
                    + std::to_string(f.info.frames) + ")",
                path.toStdString(), "Check the split file lists frames of this file.");
    }

    std::string frameText(int frame)
    {
        return "frame " + std::to_string(frame) + " cannot be read";
    }

} // namespace

std::mutex& matioLock()
{
    // The HDF5 library Debian ships is not thread-safe, and training decodes samples on several
    // threads.
    static std::mutex m;
    return m;
}

NyuMatInfo readNyuMatInfo(const QString& path)
{
    std::lock_guard<std::mutex> lock(matioLock());
    return openLocked(path).info;
}

cv::Mat readNyuMatImage(const QString& path, int frame)
{
    std::lock_guard<std::mutex> lock(matioLock());
    OpenFile& f = openLocked(path);
    checkFrame(f, path, frame);
    const int h = f.info.height, w = f.info.width;
    std::vector<uint8_t> buffer(static_cast<size_t>(h) * w * 3);
    int start[4] = { 0, 0, 0, frame - 1 };
    int stride[4] = { 1, 1, 1, 1 };
    int edge[4] = { h, w, 3, 1 };
    // MATLAB files are column-major: the buffer runs down rows first, then columns, then channels.
    if (Mat_VarReadData(f.mat, f.images, buffer.data(), start, stride, edge) != 0)
        throw Error(frameText(frame), path.toStdString(), kFix);
    cv::Mat rgb(h, w, CV_8UC3);
    const size_t plane = static_cast<size_t>(h) * w;
    for (int y = 0; y < h; ++y) {
        uint8_t* out = rgb.ptr<uint8_t>(y);
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                out[3 * x + c] = buffer[static_cast<size_t>(y) + static_cast<size_t>(x) * h + c * plane];
    }
    return rgb;
}

cv::Mat readNyuMatLabels(const QString& path, int frame)
{
    std::lock_guard<std::mutex> lock(matioLock());
    OpenFile& f = openLocked(path);
    checkFrame(f, path, frame);
    const int h = f.info.height, w = f.info.width;
    const bool wide = f.labels->class_type == MAT_C_UINT16;
    std::vector<uint8_t> buffer(static_cast<size_t>(h) * w * (wide ? 2 : 1));
    int start[3] = { 0, 0, frame - 1 };
    int stride[3] = { 1, 1, 1 };
    int edge[3] = { h, w, 1 };
    if (Mat_VarReadData(f.mat, f.labels, buffer.data(), start, stride, edge) != 0)
        throw Error(frameText(frame), path.toStdString(), kFix);
    cv::Mat labels(h, w, CV_16UC1);
    for (int y = 0; y < h; ++y) {
        uint16_t* out = labels.ptr<uint16_t>(y);
        for (int x = 0; x < w; ++x) {
            const size_t i = static_cast<size_t>(y) + static_cast<size_t>(x) * h;
            if (wide) {
                uint16_t v;
                std::memcpy(&v, buffer.data() + 2 * i, 2);
                out[x] = v;
            } else {
                out[x] = buffer[i];
            }
        }
    }
    return labels;
}

void writeNyuMatFile(const QString& path, const std::vector<cv::Mat>& rgb, const std::vector<cv::Mat>& labels)
{
    if (rgb.empty() || rgb.size() != labels.size())
        throw Error("needs as many label maps as images, and at least one", path.toStdString());
    const int h = rgb[0].rows, w = rgb[0].cols;
    const size_t n = rgb.size(), plane = static_cast<size_t>(h) * w;
    std::vector<uint8_t> images(plane * 3 * n);
    std::vector<uint16_t> labelData(plane * n);
    for (size_t k = 0; k < n; ++k) {
        CV_Assert(rgb[k].type() == CV_8UC3 && labels[k].type() == CV_16UC1);
        CV_Assert(rgb[k].rows == h && rgb[k].cols == w && labels[k].rows == h && labels[k].cols == w);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const size_t i = static_cast<size_t>(y) + static_cast<size_t>(x) * h;
                for (int c = 0; c < 3; ++c)
                    images[i + c * plane + k * 3 * plane] = rgb[k].ptr<uint8_t>(y)[3 * x + c];
                labelData[i + k * plane] = labels[k].ptr<uint16_t>(y)[x];
            }
    }
    std::lock_guard<std::mutex> lock(matioLock());
    // Writing a file that is open for reading would corrupt the cached handle.
    if (openFile().path == QFileInfo(path).absoluteFilePath())
        openFile().close();
    mat_t* mat = Mat_CreateVer(path.toLocal8Bit().constData(), nullptr, MAT_FT_MAT73);
    if (!mat)
        throw Error("cannot be created", path.toStdString(), "Check the folder exists and is writable.");
    size_t imageDims[4] = { static_cast<size_t>(h), static_cast<size_t>(w), 3, n };
    size_t labelDims[3] = { static_cast<size_t>(h), static_cast<size_t>(w), n };
    matvar_t* vi = Mat_VarCreate(
        "images", MAT_C_UINT8, MAT_T_UINT8, 4, imageDims, images.data(), MAT_F_DONT_COPY_DATA);
    matvar_t* vl = Mat_VarCreate(
        "labels", MAT_C_UINT16, MAT_T_UINT16, 3, labelDims, labelData.data(), MAT_F_DONT_COPY_DATA);
    const bool ok = vi && vl && Mat_VarWrite(mat, vi, MAT_COMPRESSION_NONE) == 0
        && Mat_VarWrite(mat, vl, MAT_COMPRESSION_NONE) == 0;
    if (vi)
        Mat_VarFree(vi);
    if (vl)
        Mat_VarFree(vl);
    Mat_Close(mat);
    if (!ok)
        throw Error("cannot be written", path.toStdString(), "Check free disk space and permissions.");
}

} // namespace msup
