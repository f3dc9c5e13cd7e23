#include "core/train/validation_errors.h"

namespace msup {

qint64 ImageConfusion::count(int truth, int prediction) const
{
    for (const Cell& c : cells)
        if (c.truth == truth && c.prediction == prediction)
            return c.pixels;
    return 0;
}

qint64 ImageConfusion::pixelsWhere(const std::function<bool(const Cell&)>& keep) const
{
    qint64 n = 0;
    for (const Cell& c : cells)
        if (keep(c))
            n += c.pixels;
    return n;
}

qint64 ImageConfusion::falseNegatives(int k) const
{
    return pixelsWhere([k](const Cell& c) { return c.truth == k && c.prediction != k; });
}

qint64 ImageConfusion::falsePositives(int k) const
{
    return pixelsWhere([k](const Cell& c) { return c.prediction == k && c.truth != k; });
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
