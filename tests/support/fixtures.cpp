#include "tests/support/fixtures.h"

#include "tests/support/files.h"

#include <QColor>
#include <QImage>
#include <QVector>

#include <stdexcept>

namespace msup::test {

QString writeTinyDataset(const QString& dir, SynthKind kind, int count, int size, int seed)
{
    SynthOptions o;
    o.kind = kind;
    o.count = count;
    o.size = size;
    o.seed = std::uint64_t(seed);
    o.outDir = dir;
    const int written = writeSynthDataset(o);
    if (written != count) // Qt Test reports the exception as the test's failure
        throw std::runtime_error(
            QStringLiteral("wrote %1 of %2 samples in %3").arg(written).arg(count).arg(dir).toStdString());
    return dir;
}

void writeGlasFolder(const QString& dir, const QStringList& names, int glands)
{
    QVector<QRgb> grey;
    for (int i = 0; i < 256; ++i)
        grey << qRgb(i, i, i);
    QByteArray csv = "name,patient ID, grade (GlaS), grade (Sirinukunwattana et al. 2015)\r\n";
    for (const QString& name : names) {
        QImage image(60, 40, QImage::Format_RGB888);
        image.fill(QColor(220, 170, 200));
        QImage anno(60, 40, QImage::Format_Indexed8);
        anno.setColorTable(grey);
        anno.fill(0);
        for (int g = 1; g <= glands; ++g)
            for (int y = 8; y < 16; ++y)
                for (int x = 12 * g; x < 12 * g + 8; ++x)
                    anno.setPixel(x, y, uint(g));
        if (!image.save(dir + QLatin1Char('/') + name + QStringLiteral(".bmp"), "BMP")
            || !anno.save(dir + QLatin1Char('/') + name + QStringLiteral("_anno.bmp"), "BMP"))
            throw std::runtime_error("cannot write the GLaS fixture in " + dir.toStdString());
        csv += name.toUtf8() + ",1, benign, healthy\r\n";
    }
    if (!writeAll(dir + QStringLiteral("/Grade.csv"), csv))
        throw std::runtime_error("cannot write " + dir.toStdString() + "/Grade.csv");
}

} // namespace msup::test
