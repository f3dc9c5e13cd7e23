#include "core/data/palette.h"

namespace msup {

QVector<QColor> vocPalette(int classCount)
{
    QVector<QColor> out;
    out.reserve(classCount);
    for (int i = 0; i < classCount; ++i) {
        int r = 0, g = 0, b = 0, c = i;
        for (int j = 0; j < 8; ++j) {
            r |= ((c >> 0) & 1) << (7 - j);
            g |= ((c >> 1) & 1) << (7 - j);
            b |= ((c >> 2) & 1) << (7 - j);
            c >>= 3;
        }
        out << QColor(r, g, b);
    }
    return out;
}

QColor binaryForegroundColor()
{
    return QColor(0, 230, 170);
}

QVector<QColor> defaultPalette(int classCount)
{
    QVector<QColor> out = vocPalette(classCount);
    if (classCount == 2)
        out[1] = binaryForegroundColor();
    return out;
}

} // namespace msup
