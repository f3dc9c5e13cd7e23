#include "core/train/confusion_matrix.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace msup {

ConfusionMatrix::ConfusionMatrix(int classes)
    : m_k(classes)
    , m_counts(classes * classes, 0)
{
    if (classes < 1)
        throw std::invalid_argument("ConfusionMatrix: at least one class");
}

void ConfusionMatrix::add(
    const std::uint8_t* truth, const std::uint8_t* prediction, std::size_t n, int ignoreIndex)
{
    for (std::size_t i = 0; i < n; ++i) {
        const int t = truth[i];
        if (t == ignoreIndex || t >= m_k)
            continue;
        const int p = prediction[i] < m_k ? prediction[i] : m_k - 1;
        ++m_counts[t * m_k + p];
    }
}

void ConfusionMatrix::addCount(int truth, int prediction, std::int64_t count)
{
    m_counts[truth * m_k + prediction] += count;
}

void ConfusionMatrix::merge(const ConfusionMatrix& other)
{
    if (other.m_k != m_k)
        throw std::invalid_argument("ConfusionMatrix::merge: class counts differ");
    for (int i = 0; i < m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
}

ConfusionMatrix::ClassCounts ConfusionMatrix::counts(int c) const
{
    ClassCounts k;
    k.tp = at(c, c);
    for (int o = 0; o < m_k; ++o) {
        if (o == c)
            continue;
        k.fp += at(o, c);
        k.fn += at(c, o);
    }
    return k;
}

QVector<double> ConfusionMatrix::iou() const
{
    QVector<double> out(m_k);
    for (int c = 0; c < m_k; ++c) {
        const ClassCounts k = counts(c);
        const std::int64_t u = k.tp + k.fp + k.fn;
        out[c] = u == 0 ? std::numeric_limits<double>::quiet_NaN() : double(k.tp) / double(u);
    }
    return out;
}

QVector<double> ConfusionMatrix::dice() const
{
    QVector<double> out(m_k);
    for (int c = 0; c < m_k; ++c) {
        const ClassCounts k = counts(c);
        const std::int64_t d = 2 * k.tp + k.fp + k.fn;
        out[c] = d == 0 ? std::numeric_limits<double>::quiet_NaN() : 2.0 * double(k.tp) / double(d);
    }
    return out;
}

namespace {
    double nanMean(const QVector<double>& v)
    {
        double s = 0;
        int n = 0;
        for (double x : v)
            if (!std::isnan(x)) {
                s += x;
                ++n;
            }
        return n == 0 ? 0.0 : s / n;
    }
} // namespace

double ConfusionMatrix::meanIoU() const
{
    return nanMean(iou());
}
double ConfusionMatrix::meanDice() const
{
    return nanMean(dice());
}

std::int64_t ConfusionMatrix::correct() const
{
    std::int64_t n = 0;
    for (int c = 0; c < m_k; ++c)
        n += at(c, c);
    return n;
}

std::int64_t ConfusionMatrix::total() const
{
    return std::accumulate(m_counts.begin(), m_counts.end(), std::int64_t(0));
}

double ConfusionMatrix::pixelAccuracy() const
{
    const std::int64_t all = total();
    return all == 0 ? 0.0 : double(correct()) / double(all);
}

double ConfusionMatrix::referenceMicroJaccard() const
{
    const std::int64_t right = correct(), wrong = total() - right;
    return right + wrong == 0 ? 0.0 : double(right) / double(right + 2 * wrong);
}

void ReferenceBinaryIou::addImage(
    const std::uint8_t* truth, const std::uint8_t* prediction, std::size_t n, int ignoreIndex)
{
    std::int64_t inter = 0, uni = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (truth[i] == ignoreIndex)
            continue;
        const bool t = truth[i] == 1, p = prediction[i] == 1;
        inter += t && p;
        uni += t || p;
    }
    addImageCounts(inter, uni);
}

void ReferenceBinaryIou::addImageCounts(std::int64_t intersection, std::int64_t unionPixels)
{
    const double smooth = 1e-5;
    m_sum += (double(intersection) + smooth) / (double(unionPixels) + smooth);
    ++m_images;
}

QJsonObject ConfusionMatrix::toJson() const
{
    auto arr = [](const QVector<double>& v) {
        QJsonArray a;
        for (double x : v)
            a.append(std::isnan(x) ? QJsonValue() : QJsonValue(x));
        return a;
    };
    QJsonArray rows;
    for (int t = 0; t < m_k; ++t) {
        QJsonArray r;
        for (int p = 0; p < m_k; ++p)
            r.append(double(at(t, p)));
        rows.append(r);
    }
    return QJsonObject { { QStringLiteral("miou"), meanIoU() },
        { QStringLiteral("per_class_iou"), arr(iou()) }, { QStringLiteral("dice"), meanDice() },
        { QStringLiteral("per_class_dice"), arr(dice()) },
        { QStringLiteral("pixel_accuracy"), pixelAccuracy() },
        { QStringLiteral("ref_micro_jaccard"), referenceMicroJaccard() },
        { QStringLiteral("confusion"), rows } };
}

} // namespace msup
