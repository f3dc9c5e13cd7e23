#pragma once

#include "core/annot/label_delta.h"

#include <opencv2/core.hpp>

#include <vector>

namespace msup {

// Editing operations on a label map (CV_8UC1: class per pixel, 255 = void). Each one changes the
// map in place and returns the LabelDelta of what it changed (empty when nothing changed), so that
// undo, the crash journal and the "edited" state share it. Each touches only the bounding box of
// what it may change: a brush dab on a 4096×4096 map costs as much as on a 64×64 one.
//
// Coordinates are pixel indices: the point (x, y) is the pixel in column x, row y, whose centre
// lies at (x + 0.5, y + 0.5) in continuous image coordinates. Points outside the map are allowed
// (a stroke may leave the image); only pixels inside are written.
//
// Every operation throws std::invalid_argument when `labels` is not a non-empty CV_8UC1 map.

constexpr uchar kVoidLabel = 255;

// One segment of a round brush stroke: every pixel whose centre lies within `radius` + 0.5 of the
// segment p0–p1 (Euclidean distance between pixel indices) becomes `value`. A brush of radius r is
// 2r + 1 pixels wide: radius 0 paints one pixel (a stroke of them is an 8-connected line), radius 1
// a 3×3 square, radius 2 a 5×5 square without its corners. p0 == p1 is a single dab. The eraser is
// this with value 0 (background) or kVoidLabel. A negative radius is treated as 0.
LabelDelta paintBrushSegment(cv::Mat& labels, cv::Point p0, cv::Point p1, int radius, uchar value);

// The pixels paintBrushSegment would paint, as a CV_8UC1 mask (255 = painted) of the segment's
// bounding box; `origin` receives the box's top-left corner in map coordinates. Unclipped: for
// cursor outlines and tests.
cv::Mat brushSegmentMask(cv::Point p0, cv::Point p1, int radius, cv::Point* origin);

// Flood fill: the 4-connected region of pixels that share the class of `seed` becomes `value`.
// Cost in proportion to the region, not the map. Empty delta when the seed is outside the map or
// already has `value`.
LabelDelta floodFillLabels(cv::Mat& labels, cv::Point seed, uchar value);

// Polygon / lasso fill. The vertices are pixel indices (a click or a lasso sample marks the pixel
// under the mouse). The filled set is the closed polygon as OpenCV's fillPoly rasterises it with
// integer vertices: every pixel whose centre is inside the polygon (even-odd rule for
// self-intersecting lassos) plus the outline itself, drawn as 8-connected lines through the vertex
// pixels — so the clicked pixels and the straight lines between them are always filled, and a
// polygon of two points or of collinear points fills its line. Fewer than one point: no change.
LabelDelta fillPolygonLabels(cv::Mat& labels, const std::vector<cv::Point>& polygon, uchar value);

// Fill holes. A hole is a 4-connected region of background (class 0) pixels that does not touch
// the map's border and whose 4-neighbours outside the region all have one class c (c != 0, c !=
// void): the region becomes c. With `onlyClass` >= 1 only holes enclosed by that class are filled;
// with onlyClass < 0 the holes of every class are. Regions bordered by two classes, by void, or by
// the border stay background. With onlyClass >= 1 only that class's bounding box is examined.
LabelDelta fillHolesLabels(cv::Mat& labels, int onlyClass);

// The single delta of a sequence of deltas that were applied to `labels` in this order and that
// `labels` now reflects (e.g. the segments of one brush drag): its "before" is each pixel's value
// before the first of them touched it, its "after" the current value. Costs the union of their
// boxes, once. Empty when the sequence changed nothing overall.
LabelDelta mergeLabelDeltas(const cv::Mat& labels, const std::vector<LabelDelta>& deltas);

} // namespace msup
