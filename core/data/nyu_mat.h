#pragma once

#include <QString>
#include <opencv2/core.hpp>

#include <mutex>
#include <vector>

namespace msup {

// The official NYUDv2 file nyu_depth_v2_labeled.mat (MATLAB v7.3, i.e. HDF5), read one frame at a
// time through libmatio so that the 2.8 GB file is never loaded whole. In MATLAB's dimension order
// (column-major) it holds
//   images  uint8   H×W×3×N   (480×640×3×1449 in the official file)
//   labels  uint16  H×W×N     (894-class labels, 0 = unlabelled)
// All calls are serialised by one lock (HDF5 is not thread-safe); the last file opened stays open.
struct NyuMatInfo {
    int height = 0;
    int width = 0;
    int frames = 0;
};

// The lock every libmatio call of the application takes (v7.3 files go through HDF5, which is not
// thread-safe). Not recursive: the functions below take it themselves.
std::mutex& matioLock();

// Checks that `path` is such a file and returns its frame size and count. Throws msup::Error naming
// the file (not found, not a MATLAB file, missing or misshapen variable) and what to do.
NyuMatInfo readNyuMatInfo(const QString& path);

// Frame `frame` (1-based, as in splits.mat): RGB (CV_8UC3, R first) or the raw 894-class labels
// (CV_16UC1). Throws msup::Error naming the file and frame when it cannot be read.
cv::Mat readNyuMatImage(const QString& path, int frame);
cv::Mat readNyuMatLabels(const QString& path, int frame);

// Writes a file with the official variable names and layout (for fixtures and examples): rgb are
// CV_8UC3 images (R first) and labels CV_16UC1 maps, all of one size. Throws msup::Error.
void writeNyuMatFile(
    const QString& path, const std::vector<cv::Mat>& rgb, const std::vector<cv::Mat>& labels);

} // namespace msup
