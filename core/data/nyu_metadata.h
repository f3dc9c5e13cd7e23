#pragma once

#include <QString>
#include <QStringList>
#include <QVector>
#include <opencv2/core.hpp>

namespace msup {

// The NYUDv2 metadata files as distributed (MATLAB v5, read with libmatio):
//   classMapping40.mat  className (1×40 cell), mapClass (1×894: 894-class label -> 1..40)
//   class13Mapping.mat  struct classMapping13 with labels13 (1×40: 40-class label -> 1..13) and
//                       classNames (1×13 cell)
//   splits.mat          trainNdxs (795×1), testNdxs (654×1): 1-based indices of the 1449 frames
struct NyuMetadata {
    QStringList classNames40;
    QVector<int> map894To40; // index k-1 holds the 40-class label of 894-class label k
    QStringList classNames13;
    QVector<int> map40To13; // index k-1 holds the 13-class label of 40-class label k
    QVector<int> trainFrames;
    QVector<int> testFrames;
};

// Reads the three files from `dir`. Throws msup::Error naming the file (missing, unreadable, or
// without the expected variable) and what to do.
NyuMetadata readNyuMetadata(const QString& dir);

// Maps 1-based labels through `map` (label k -> map[k-1]); 0 (unlabelled) stays 0. Throws
// msup::Error for a label outside the map.
cv::Mat remapLabels(const cv::Mat& labels, const QVector<int>& map);

} // namespace msup
