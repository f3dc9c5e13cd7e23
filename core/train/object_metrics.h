#pragma once
// Object-level and per-image scores of binary segmentations, with the conventions of the GlaS
// challenge (Sirinukunwattana et al., "Gland segmentation in colon histology images: The GlaS
// challenge contest", 2017). Pure OpenCV: no model is involved.
//
// Objects are label maps (CV_32SC1): 0 = background, 1..N = objects. Distances are Euclidean, in
// pixels.
//
// - Object F1: a segmented object S is a true positive when the ground-truth object G* it overlaps
//   most satisfies |S ∩ G*| >= 0.5·|G*|, else a false positive; ground-truth objects that no true
//   positive matched are false negatives. F1 = 2TP / (2TP + FP + FN), counts pooled over a split.
// - Object Dice of an image: ½[Σᵢ γᵢ·Dice(Gᵢ, S*(Gᵢ)) + Σⱼ σⱼ·Dice(G*(Sⱼ), Sⱼ)], γᵢ = |Gᵢ|/Σ|G|,
//   σⱼ = |Sⱼ|/Σ|S|, S*(·)/G*(·) the object of largest overlap on the other side (Dice 0 without one).
// - Object Hausdorff of an image: the same weighted sum of Hausdorff distances H(Gᵢ, S*(Gᵢ)) and
//   H(G*(Sⱼ), Sⱼ); an object that overlaps nothing takes the distance to the closest object of the
//   other side (the smallest Hausdorff distance); when the other side has no object at all, the
//   image diagonal.
// - An image with no object on either side scores object Dice 1 and object Hausdorff 0; with objects
//   on one side only, object Dice 0 and object Hausdorff the image diagonal.

#include <opencv2/core.hpp>

namespace msup {

// Instance ids (any integer type; 0 = background) as consecutive object labels 1..N.
cv::Mat objectsFromIds(const cv::Mat& ids);
// The 8-connected components of the foreground (non-zero pixels) as object labels 1..N.
cv::Mat objectsFromComponents(const cv::Mat& foreground);

struct ObjectScores {
    int truthObjects = 0, segmentedObjects = 0;
    int truePositives = 0, falsePositives = 0, falseNegatives = 0;
    double objectDice = 0; // this image's object Dice
    double objectHausdorff = 0; // this image's object Hausdorff, pixels
};
// Scores the segmented objects `segmented` against `truth` (same size, CV_32SC1 labels).
ObjectScores scoreObjects(const cv::Mat& truth, const cv::Mat& segmented);

// F1 from pooled counts; 1 when there is nothing to find and nothing was found.
double objectF1(int truePositives, int falsePositives, int falseNegatives);

// Dice of two foregrounds (non-zero pixels); 1 when both are empty.
double foregroundDice(const cv::Mat& a, const cv::Mat& b);
// The Hausdorff distance between two non-empty pixel sets (non-zero pixels), Euclidean.
double hausdorffDistance(const cv::Mat& a, const cv::Mat& b);
// HD95 between the boundaries of two foregrounds: the 95th percentile (linear interpolation) of the
// distances from each boundary pixel of one to the other's boundary, both directions pooled (as
// MedPy's hd95). 0 when both are empty; NaN when exactly one is empty.
double hd95(const cv::Mat& a, const cv::Mat& b);

} // namespace msup
