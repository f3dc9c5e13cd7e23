#include "core/train/validation_errors.h"

namespace msup {

qint64 ImageConfusion::count(int truth, int prediction) const
{
    for (const Cell& c : cells)
        if (c.truth == truth && c.prediction == prediction)
            return c.pixels;
    return 0;
}

qint64 ImageConfusion::falseNegatives(int k) const
{
    qint64 n = 0;
    for (const Cell& c : cells)
        if (c.truth == k && c.prediction != k)
            n += c.pixels;
    return n;
}

qint64 ImageConfusion::falsePositives(int k) const
{
    qint64 n = 0;
    for (const Cell& c : cells)
        if (c.prediction == k && c.truth != k)
            n += c.pixels;
    return n;
}

QVector<qint64> ValidationErrors::total() const
{
    const int k = classes();
    QVector<qint64> m(k * k, 0);
    for (const ImageConfusion& image : images)
        for (const ImageConfusion::Cell& c : image.cells)
            if (c.truth < k && c.prediction < k)
                m[c.truth * k + c.prediction] += c.pixels;
    return m;
}

} // namespace msup
