#include "core/train/run_report.h"

#include "core/base/error.h"
#include "core/data/dataset.h"
#include "core/data/image_io.h"
#include "core/data/palette.h"
#include "core/io/atomic_file.h"
#include "core/io/overlay.h"
#include "core/train/confusion_matrix.h"
#include "core/train/evaluator.h"
#include "core/train/model_store.h"
#include "core/train/predictor.h"
#include "core/train/run_folder.h"
#include "core/train/run_index.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFont>
#include <QFontMetrics>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>
#include <QPointF>
#include <QTextDocument>
#include <QUrl>
#include <QVector>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace msup {

namespace {

    const double kNaN = std::numeric_limits<double>::quiet_NaN();
    constexpr int kChartWidth = 680; // logical pixels: charts and examples fit an A4 page's width
    constexpr qreal kImageScale = 2; // images are drawn at twice their display size (sharp in PDF)
    constexpr qreal kPdfPageWidth = 740; // logical pixels across the PDF's printable width

    // Categorical colours for chart lines (Tableau 10, then 10 lighter ones).
    const QColor kLineColors[] = { QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
        QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd),
        QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f),
        QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf), QColor(0xae, 0xc7, 0xe8),
        QColor(0xff, 0xbb, 0x78), QColor(0x98, 0xdf, 0x8a), QColor(0xff, 0x98, 0x96),
        QColor(0xc5, 0xb0, 0xd5), QColor(0xc4, 0x9c, 0x94), QColor(0xf7, 0xb6, 0xd2),
        QColor(0xc7, 0xc7, 0xc7), QColor(0xdb, 0xdb, 0x8d), QColor(0x9e, 0xda, 0xe5) };

    QColor lineColor(int i)
    {
        return kLineColors[i % int(std::size(kLineColors))];
    }

    // ---- metrics ----

    struct Epoch {
        int epoch = 0;
        QJsonObject json;
        double value(const char* key) const
        {
            const QJsonValue v = json.value(QLatin1String(key));
            return v.isDouble() ? v.toDouble() : kNaN;
        }
        QVector<double> perClassIou() const
        {
            QVector<double> out;
            for (const QJsonValue& v : json.value(QStringLiteral("per_class_iou")).toArray())
                out << (v.isDouble() ? v.toDouble() : kNaN);
            return out;
        }
        QVector<qint64> confusion() const
        {
            QVector<qint64> out;
            for (const QJsonValue& v : json.value(QStringLiteral("confusion")).toArray())
                out << qint64(v.toDouble());
            return out;
        }
    };

    // ---- formatting ----

    QString esc(const QString& s)
    {
        return s.toHtmlEscaped();
    }

    QString fixed(double v, int decimals = 4)
    {
        return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("–");
    }

    // The exact value (shortest round-trip form), as the metrics lines hold it.
    QString exact(double v)
    {
        return std::isfinite(v) ? QString::number(v, 'g', QLocale::FloatingPointShortest)
                                : QStringLiteral("null");
    }

    QString numberCell(double v, int decimals = 4)
    {
        return QStringLiteral("<td class=\"num\" data-value=\"%1\">%2</td>")
            .arg(exact(v), fixed(v, decimals));
    }

    QString lrText(double v)
    {
        return std::isfinite(v) ? QString::number(v, 'g', 4) : QStringLiteral("–");
    }

    QString durationText(double seconds)
    {
        if (!std::isfinite(seconds) || seconds <= 0)
            return QStringLiteral("–");
        if (seconds < 60)
            return QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
        const qint64 s = qRound64(seconds);
        if (s < 3600)
            return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
        return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    }

    QString dateText(const QDateTime& t)
    {
        if (!t.isValid())
            return QStringLiteral("–");
        return t.toString(QStringLiteral("yyyy-MM-dd HH:mm")) + QLatin1Char(' ') + t.timeZoneAbbreviation();
    }

    QString colorName(const QColor& c)
    {
        return c.name(QColor::HexRgb);
    }

    // ---- charts ----

    struct Series {
        QString name;
        QColor color;
        QVector<QPointF> points; // NaN y = a gap
    };

    struct ChartSpec {
        QString title, xLabel, yLabel;
        QVector<Series> series;
        bool unitRange = false; // y from 0 to 1 (IoU, accuracy)
        bool integerX = true; // epochs
    };

    QFont chartFont(int pixelSize, bool bold = false)
    {
        QFont f(QStringLiteral("DejaVu Sans"));
        f.setStyleHint(QFont::SansSerif);
        f.setPixelSize(pixelSize);
        f.setBold(bold);
        return f;
    }

    QVector<double> niceTicks(double lo, double hi, int target, bool integer)
    {
        double span = hi - lo;
        if (!(span > 0))
            span = 1;
        const double raw = span / std::max(1, target);
        const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
        const double norm = raw / magnitude;
        double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
        if (integer)
            step = std::max(1.0, std::round(step));
        QVector<double> ticks;
        for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
            ticks << (std::abs(v) < step * 1e-9 ? 0.0 : v);
        return ticks;
    }

    QImage newCanvas(int width, int height)
    {
        QImage image(qRound(width * kImageScale), qRound(height * kImageScale), QImage::Format_RGB32);
        image.fill(Qt::white);
        image.setDevicePixelRatio(kImageScale);
        return image;
    }

    // The plotted ranges and the ticks of a line chart. y0, y1 and the y ticks are on the plotted
    // scale: log10 of the values when logY.
    struct ChartAxes {
        bool empty = false; // no finite point
        bool logY = false;
        double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
        QVector<double> xticks, yticks;

        double ty(double y) const { return logY ? std::log10(y) : y; }
        QString yTickText(double v) const
        {
            return logY ? QStringLiteral("1e%1").arg(qRound(v)) : QString::number(v, 'g', 6);
        }
        // A point that can be drawn (gaps are NaN, a log scale has no place for y <= 0).
        bool drawable(const QPointF& q) const
        {
            return std::isfinite(q.y()) && std::isfinite(q.x()) && !(logY && q.y() <= 0);
        }
    };

    // x and y ranges from the finite points, padded, and nice ticks over them.
    ChartAxes chartAxes(const ChartSpec& spec)
    {
        double xlo = std::numeric_limits<double>::max(), xhi = -xlo, ylo = xlo, yhi = -xlo;
        for (const Series& s : spec.series)
            for (const QPointF& p : s.points) {
                if (!std::isfinite(p.x()) || !std::isfinite(p.y()))
                    continue;
                xlo = std::min(xlo, p.x());
                xhi = std::max(xhi, p.x());
                ylo = std::min(ylo, p.y());
                yhi = std::max(yhi, p.y());
            }
        ChartAxes a;
        a.empty = xlo > xhi;
        if (a.empty) {
            xlo = 1;
            xhi = 1;
            ylo = 0;
            yhi = 1;
        }
        // A learning rate that spans decades (step schedules) reads better on a log scale.
        a.logY = !spec.unitRange && !a.empty && ylo > 0 && yhi / ylo > 50;
        double y0 = a.ty(ylo), y1 = a.ty(yhi);
        if (spec.unitRange) {
            y0 = 0;
            y1 = 1;
        } else if (a.logY) {
            y0 = std::floor(y0);
            y1 = std::ceil(y1);
        } else {
            double pad = (y1 - y0) * 0.08;
            if (!(pad > 0))
                pad = std::max(std::abs(y1) * 0.1, 1e-6);
            const bool nonNegative = y0 >= 0;
            y0 -= pad;
            y1 += pad;
            if (nonNegative && y0 < 0)
                y0 = 0;
        }
        double x0 = xlo, x1 = xhi;
        if (spec.integerX && x1 - x0 <= 12) {
            x0 -= 0.5;
            x1 += 0.5;
        } else if (!(x1 > x0)) {
            x0 -= 0.5;
            x1 += 0.5;
        }
        a.x0 = x0;
        a.x1 = x1;
        a.y0 = y0;
        a.y1 = y1;
        a.xticks = niceTicks(x0, x1, 8, spec.integerX);
        if (a.logY)
            for (double v = y0; v <= y1 + 1e-9; v += 1)
                a.yticks << v;
        else
            a.yticks = niceTicks(y0, y1, 5, false);
        return a;
    }

    // A line chart laid out: the plot's rectangle, the legend's rows and the mapping of values to
    // pixels.
    struct LineChart {
        struct LegendItem {
            int series, x, row;
        };

        const ChartSpec& spec;
        ChartAxes axes;
        QFont font, titleFont;
        QFontMetrics fm, tfm;
        int width = 0, plotHeight = 0;
        int tickWidth = 0, left = 0, right = 18, top = 0, plotWidth = 0, bottom = 0;
        QVector<LegendItem> items; // flowing over as many rows as the width needs
        int legendTop = 0, lineHeight = 0, height = 0;

        LineChart(const ChartSpec& chartSpec, int chartWidth, int chartPlotHeight)
            : spec(chartSpec)
            , axes(chartAxes(chartSpec))
            , font(chartFont(12))
            , titleFont(chartFont(14, true))
            , fm(font)
            , tfm(titleFont)
            , width(chartWidth)
            , plotHeight(chartPlotHeight)
        {
            for (double v : axes.yticks)
                tickWidth = std::max(tickWidth, fm.horizontalAdvance(axes.yTickText(v)));
            left = 10 + fm.height() + 6 + tickWidth + 6;
            top = tfm.height() + 14;
            plotWidth = width - left - right;
            bottom = top + plotHeight;

            int rows = 0;
            int x = left;
            for (int i = 0; i < spec.series.size(); ++i) {
                const int w = 22 + fm.horizontalAdvance(spec.series[i].name) + 16;
                if (rows == 0 || (x > left && x + w > width - right)) {
                    x = left;
                    ++rows;
                }
                items.append({ i, x, rows - 1 });
                x += w;
            }
            legendTop = bottom + fm.height() + 8 + fm.height() + 10;
            lineHeight = fm.height() + 4;
            height = legendTop + rows * lineHeight + 6;
        }

        double px(double x) const { return left + (x - axes.x0) / (axes.x1 - axes.x0) * plotWidth; }
        // A value, and a value already on the plotted scale (ticks).
        double py(double y) const { return pyT(axes.ty(y)); }
        double pyT(double t) const { return bottom - (t - axes.y0) / (axes.y1 - axes.y0) * plotHeight; }
    };

    // Title, grid, frame, tick marks and labels, axis labels.
    void drawChartFrame(QPainter& p, const LineChart& c)
    {
        const ChartAxes& a = c.axes;
        const QFontMetrics& fm = c.fm;
        p.setFont(c.titleFont);
        p.setPen(QColor(30, 30, 30));
        p.drawText(QRect(c.left, 4, c.plotWidth, c.tfm.height() + 4), Qt::AlignLeft | Qt::AlignVCenter,
            c.spec.title);
        p.setFont(c.font);

        p.setPen(QPen(QColor(225, 225, 225), 1));
        for (double v : a.yticks)
            p.drawLine(QPointF(c.left, c.pyT(v)), QPointF(c.left + c.plotWidth, c.pyT(v)));
        for (double v : a.xticks)
            p.drawLine(QPointF(c.px(v), c.top), QPointF(c.px(v), c.bottom));
        p.setPen(QPen(QColor(90, 90, 90), 1));
        p.drawRect(QRectF(c.left, c.top, c.plotWidth, c.plotHeight));
        p.setPen(QColor(50, 50, 50));
        for (double v : a.yticks) {
            p.drawLine(QPointF(c.left - 4, c.pyT(v)), QPointF(c.left, c.pyT(v)));
            p.drawText(QRectF(c.left - 6 - c.tickWidth - 2, c.pyT(v) - fm.height() / 2.0, c.tickWidth + 2,
                           fm.height()),
                Qt::AlignRight | Qt::AlignVCenter, a.yTickText(v));
        }
        for (double v : a.xticks) {
            p.drawLine(QPointF(c.px(v), c.bottom), QPointF(c.px(v), c.bottom + 4));
            const QString t = QString::number(v, 'g', 6);
            p.drawText(
                QRectF(c.px(v) - 40, c.bottom + 5, 80, fm.height()), Qt::AlignHCenter | Qt::AlignTop, t);
        }
        p.drawText(QRectF(c.left, c.bottom + 6 + fm.height(), c.plotWidth, fm.height() + 2), Qt::AlignHCenter,
            c.spec.xLabel);
        p.save();
        p.translate(10, c.top + c.plotHeight / 2.0);
        p.rotate(-90);
        p.drawText(QRectF(-c.plotHeight / 2.0, 0, c.plotHeight, fm.height() + 2),
            Qt::AlignHCenter | Qt::AlignTop,
            c.spec.yLabel + (a.logY ? QStringLiteral(" (log scale)") : QString()));
        p.restore();
    }

    // Series: lines between consecutive finite points, markers when there are few points.
    void drawChartSeries(QPainter& p, const LineChart& c)
    {
        p.setClipRect(QRectF(c.left, c.top, c.plotWidth, c.plotHeight).adjusted(-4, -4, 4, 4));
        for (const Series& s : c.spec.series) {
            int finite = 0;
            for (const QPointF& q : s.points)
                finite += std::isfinite(q.y()) ? 1 : 0;
            QPainterPath path;
            bool open = false;
            for (const QPointF& q : s.points) {
                if (!c.axes.drawable(q)) {
                    open = false;
                    continue;
                }
                const QPointF pt(c.px(q.x()), c.py(q.y()));
                if (open)
                    path.lineTo(pt);
                else
                    path.moveTo(pt);
                open = true;
            }
            p.setPen(QPen(s.color, 2));
            p.setBrush(Qt::NoBrush);
            p.drawPath(path);
            if (finite <= 40) {
                p.setBrush(s.color);
                for (const QPointF& q : s.points)
                    if (c.axes.drawable(q))
                        p.drawEllipse(QPointF(c.px(q.x()), c.py(q.y())), 3, 3);
            }
        }
        p.setClipping(false);
        if (c.axes.empty) {
            p.setPen(QColor(120, 120, 120));
            p.drawText(
                QRectF(c.left, c.top, c.plotWidth, c.plotHeight), Qt::AlignCenter, QStringLiteral("no data"));
        }
    }

    void drawChartLegend(QPainter& p, const LineChart& c)
    {
        for (const LineChart::LegendItem& item : c.items) {
            const Series& s = c.spec.series[item.series];
            const int y = c.legendTop + item.row * c.lineHeight;
            p.setPen(QPen(s.color, 2));
            p.drawLine(QPointF(item.x, y + c.lineHeight / 2.0), QPointF(item.x + 16, y + c.lineHeight / 2.0));
            p.setPen(QColor(40, 40, 40));
            p.drawText(
                QRectF(item.x + 22, y, c.width, c.lineHeight), Qt::AlignLeft | Qt::AlignVCenter, s.name);
        }
    }

    // A line chart with axes, ticks, labels, title and a legend below the plot.
    QImage drawLineChart(const ChartSpec& spec, int width = kChartWidth, int plotHeight = 240)
    {
        const LineChart chart(spec, width, plotHeight);
        QImage image = newCanvas(width, chart.height);
        QPainter p(&image);
        p.setRenderHint(QPainter::Antialiasing);
        p.setRenderHint(QPainter::TextAntialiasing);
        drawChartFrame(p, chart);
        drawChartSeries(p, chart);
        drawChartLegend(p, chart);
        p.end();
        return image;
    }

    // The confusion matrix as a heatmap: rows = truth, columns = prediction, colour = share of the
    // row (white 0 → dark blue 1), the percentage written in cells wide enough for it.
    QImage drawConfusionHeatmap(const QVector<qint64>& counts, int k, const QStringList& names)
    {
        const QFont font = chartFont(k > 20 ? 9 : 11), cellFont = chartFont(10);
        const QFontMetrics fm(font);
        const int cell = std::clamp(440 / std::max(1, k), 9, 56);
        int nameWidth = 0;
        for (int c = 0; c < k; ++c)
            nameWidth = std::max(nameWidth, fm.horizontalAdvance(names.value(c)));
        nameWidth = std::min(nameWidth, 150) + 14; // slack: text is drawn at twice the size
        const int axisTitle = fm.height() + 6;
        const int left = axisTitle + nameWidth, top = axisTitle + nameWidth;
        const int width = std::max(left + k * cell + 12, 260), height = top + k * cell + 12;

        QImage image = newCanvas(width, height);
        QPainter p(&image);
        p.setRenderHint(QPainter::TextAntialiasing);
        p.setFont(font);
        p.setPen(QColor(30, 30, 30));
        p.drawText(QRect(left, 0, k * cell, axisTitle), Qt::AlignCenter, QStringLiteral("prediction"));
        p.save();
        p.translate(0, top + k * cell);
        p.rotate(-90);
        p.drawText(QRect(0, 0, k * cell, axisTitle), Qt::AlignCenter, QStringLiteral("truth"));
        p.restore();
        for (int c = 0; c < k; ++c) {
            const QString name = fm.elidedText(names.value(c), Qt::ElideRight, nameWidth - 10);
            p.drawText(QRect(axisTitle, top + c * cell, nameWidth - 6, cell),
                Qt::AlignRight | Qt::AlignVCenter, name);
            p.save();
            p.translate(left + c * cell, top - 6);
            p.rotate(-90);
            p.drawText(QRect(0, 0, nameWidth - 6, cell), Qt::AlignLeft | Qt::AlignVCenter, name);
            p.restore();
        }
        const QColor low(255, 255, 255), high(8, 69, 148);
        p.setFont(cellFont);
        for (int t = 0; t < k; ++t) {
            qint64 rowSum = 0;
            for (int q = 0; q < k; ++q)
                rowSum += counts.value(t * k + q);
            for (int q = 0; q < k; ++q) {
                const double share = rowSum > 0 ? double(counts.value(t * k + q)) / double(rowSum) : 0;
                const QColor color = QColor::fromRgbF(float(low.redF() + (high.redF() - low.redF()) * share),
                    float(low.greenF() + (high.greenF() - low.greenF()) * share),
                    float(low.blueF() + (high.blueF() - low.blueF()) * share));
                const QRect r(left + q * cell, top + t * cell, cell, cell);
                p.fillRect(r, color);
                if (cell >= 30 && rowSum > 0) {
                    p.setPen(share > 0.5 ? Qt::white : QColor(30, 30, 30));
                    p.drawText(r, Qt::AlignCenter, QStringLiteral("%1%").arg(share * 100, 0, 'f', 0));
                }
            }
        }
        p.setPen(QPen(QColor(120, 120, 120), 1));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRect(left, top, k * cell, k * cell));
        p.end();
        return image;
    }

    // ---- example overlays ----

    QImage fitPanel(const QImage& image)
    {
        const QSize size = reportExampleSize(image.size());
        const int pw = (size.width() - 3 * kReportExampleGap) / 4;
        const bool enlarge = pw >= image.width();
        return image.scaled(pw, size.height(), Qt::IgnoreAspectRatio,
            enlarge ? Qt::FastTransformation : Qt::SmoothTransformation);
    }

    QImage composeExample(const QVector<QImage>& panels)
    {
        const QSize size = reportExampleSize(panels.first().size());
        QImage out(size, QImage::Format_RGB32);
        out.fill(Qt::white);
        QPainter p(&out);
        int x = 0;
        for (const QImage& panel : panels) {
            const QImage fitted = fitPanel(panel);
            p.drawImage(x, 0, fitted);
            x += fitted.width() + kReportExampleGap;
        }
        p.end();
        return out;
    }

    // ---- the document ----

    struct ReportImage {
        QString id; // unique, used as the PDF resource name
        QString cssClass; // chart, confusion, example
        QString alt;
        QImage image;
        QSize display; // logical size in the document
    };

    QByteArray pngBytes(const QImage& image)
    {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QImage copy = image;
        copy.setDevicePixelRatio(1);
        copy.save(&buffer, "PNG");
        return bytes;
    }

    // The progress steps, shown by the GUI.
    // Passes the report's cancel on to a step that reports its own items (which the report's
    // steps do not show).
    class CancelOnly final : public Progress {
    public:
        explicit CancelOnly(Progress& outer)
            : m_outer(outer)
        {
        }
        void report(int, int, const std::string&) override { }
        bool isCancelled() const override { return m_outer.isCancelled(); }

    private:
        Progress& m_outer;
    };

    QString translate(const char* text)
    {
        return QCoreApplication::translate("msup::RunReport", text);
    }

} // namespace

QSize reportExampleSize(const QSize& imageSize)
{
    if (imageSize.isEmpty())
        return {};
    const double s = double(kReportExamplePanel) / std::max(imageSize.width(), imageSize.height());
    const int pw = std::max(1, int(std::lround(imageSize.width() * s)));
    const int ph = std::max(1, int(std::lround(imageSize.height() * s)));
    return { 4 * pw + 3 * kReportExampleGap, ph };
}

QString runDatasetPath(const QString& runFolder)
{
    return RunFolder(runFolder).readConfig().value(QStringLiteral("dataset")).toString();
}

namespace {

    // An example overlay in the report: the sample, its scores, its image in ReportWriter::m_images.
    struct Example {
        QString id;
        double miou = kNaN, pixelAccuracy = kNaN;
        int image = -1;
    };

    QString tableRow(const QString& key, const QString& value)
    {
        return QStringLiteral("<tr><th>%1</th><td>%2</td></tr>\n").arg(esc(key), esc(value));
    }

    bool hasValues(const Series& s)
    {
        return std::any_of(
            s.points.cbegin(), s.points.cend(), [](const QPointF& q) { return std::isfinite(q.y()); });
    }

    // One report being written, in the order writeRunReport() goes: read the run folder (epochs,
    // config, classes, checkpoint), draw the charts and the confusion heatmap, predict the examples,
    // then lay out the document (HTML, or PDF through QTextDocument) and write it.
    class ReportWriter {
    public:
        ReportWriter(const QString& outputPath, const ReportOptions& options, Progress& progress)
            : m_outputPath(outputPath)
            , m_options(options)
            , m_progress(progress)
        {
            m_clock.start();
        }

        ReportResult write(const QString& runFolder)
        {
            checkOutput();
            m_exampleCount = std::max(0, m_options.examples);
            m_stepsTotal = 4 + m_exampleCount; // read, charts, checkpoint, examples, write
            if (!step(translate("Reading the run")))
                return cancelled();
            readRunFolder(runFolder);
            findBestEpoch();
            readClassesAndCheckpoint();
            if (!step(translate("Drawing the charts")))
                return cancelled();
            drawCharts();
            m_result.charts = int(m_images.size());
            drawConfusion();
            if (!predictExamples())
                return cancelled();
            m_result.examples = int(m_examples.size());
            if (!addObjectMetrics())
                return cancelled();
            if (!step(translate("Writing %1").arg(QFileInfo(m_outputPath).fileName())))
                return cancelled();
            const QString absoluteOut = QFileInfo(m_outputPath).absoluteFilePath();
            ensureWritableDir(QFileInfo(absoluteOut).absolutePath());
            const QByteArray bytes = m_result.pdf ? pdfDocument() : html(false).toUtf8();
            if (m_progress.isCancelled())
                return cancelled();
            writeFileAtomic(absoluteOut, bytes);
            m_progress.report(m_stepsTotal, m_stepsTotal);
            m_result.outputPath = absoluteOut;
            m_result.notes = m_notes;
            m_result.bytes = bytes.size();
            m_result.seconds = m_clock.elapsed() / 1000.0;
            return m_result;
        }

    private:
        // ---- steps and cancelling ----

        void checkOutput()
        {
            const QString suffix = QFileInfo(m_outputPath).suffix().toLower();
            if (m_outputPath.isEmpty())
                throw Error("no output file given", std::string(), "Give a file ending in .html or .pdf.");
            if (suffix != QLatin1String("html") && suffix != QLatin1String("htm")
                && suffix != QLatin1String("pdf"))
                throw Error("unknown report format '." + suffix.toStdString() + "'",
                    m_outputPath.toStdString(),
                    "Give a file ending in .html (one self-contained page) or .pdf (A4).");
            m_result.pdf = suffix == QLatin1String("pdf");
            if (!canDrawText())
                throw Error("a run report needs a QGuiApplication (its charts draw text)");
        }

        bool step(const QString& what)
        {
            if (m_progress.isCancelled())
                return false;
            m_progress.report(m_stepsDone, m_stepsTotal, what.toStdString());
            ++m_stepsDone;
            return true;
        }

        ReportResult cancelled()
        {
            m_result.cancelled = true;
            m_result.outputPath.clear();
            m_result.seconds = m_clock.elapsed() / 1000.0;
            return m_result;
        }

        // ---- reading the run ----

        void readRunFolder(const QString& runFolder)
        {
            if (!QFileInfo(runFolder).isDir())
                throw Error("run folder not found", runFolder.toStdString(),
                    "Give the folder a training run wrote (its --out folder).");
            m_run = readRun(runFolder); // throws without a config
            const RunFolder files = this->files();
            for (const QJsonObject& o : files.readMetrics(&m_notes))
                m_epochs.append({ o.value(QStringLiteral("epoch")).toInt(), o });
            m_config = files.readConfig();
            if (m_config.isEmpty())
                m_notes << QStringLiteral("%1 could not be read: the run's settings are left out.")
                               .arg(RunFolder::fileName(RunFile::Config));
            for (const QString& problem : m_run.problems)
                if (!problem.startsWith(RunFolder::fileName(RunFile::Metrics))
                    && !problem.startsWith(QStringLiteral("no ") + RunFolder::fileName(RunFile::Checkpoints)))
                    m_notes << problem;
        }

        RunFolder files() const { return RunFolder(m_run.folder); }
        const Epoch& last() const { return m_epochs.last(); }
        const Epoch& best() const { return m_epochs[m_bestIndex]; }

        void findBestEpoch()
        {
            m_bestIndex = int(m_epochs.size()) - 1;
            double best = -1;
            for (int i = 0; i < m_epochs.size(); ++i) {
                const double m = m_epochs[i].value("val_miou");
                if (std::isfinite(m) && m > best) {
                    best = m;
                    m_bestIndex = i;
                }
            }
            if (best < 0)
                m_notes << QStringLiteral(
                    "No epoch has a validation mIoU: the last epoch stands for the best one.");
        }

        // Classes: the config's names, the checkpoint's colours.
        void readClassesAndCheckpoint()
        {
            for (const QJsonValue& v : m_config.value(QStringLiteral("classes")).toArray())
                m_classNames << v.toString();
            m_k = int(best().perClassIou().size());
            if (m_k == 0) {
                const int cells = int(best().confusion().size());
                m_k = int(std::lround(std::sqrt(double(cells))));
            }
            m_k = std::max(m_k, int(m_classNames.size()));
            const RunFolder files = this->files();
            m_checkpoint = files.path(RunFile::BestCheckpoint);
            if (!files.has(RunFile::BestCheckpoint)) {
                if (files.has(RunFile::LastCheckpoint)) {
                    m_notes << QStringLiteral("No %1: the examples are predicted with %2.")
                                   .arg(RunFolder::fileName(RunFile::BestCheckpoint),
                                       RunFolder::fileName(RunFile::LastCheckpoint));
                    m_checkpoint = files.path(RunFile::LastCheckpoint);
                } else {
                    m_checkpoint.clear();
                    m_notes << QStringLiteral(
                        "No checkpoint (%1 or %2): the report has no example predictions.")
                                   .arg(RunFolder::fileName(RunFile::BestCheckpoint),
                                       QFileInfo(RunFolder::fileName(RunFile::LastCheckpoint)).fileName());
                }
            }
            if (!m_checkpoint.isEmpty()) {
                try {
                    const CheckpointInfo info = readCheckpointInfo(m_checkpoint);
                    m_classColors = info.classColors;
                    if (m_classNames.isEmpty())
                        m_classNames = info.classNames;
                } catch (const std::exception&) {
                    // Reported below when the examples load it.
                }
            }
            if (m_classColors.size() < m_k)
                m_classColors = defaultPalette(m_k);
            for (int c = int(m_classNames.size()); c < m_k; ++c)
                m_classNames << QStringLiteral("class %1").arg(c);
            m_binary = m_k <= 2;
        }

        // ---- charts ----

        int addImage(const QString& id, const QString& cssClass, const QString& alt, const QImage& image)
        {
            const QSize display = image.deviceIndependentSize().toSize();
            m_images.append({ id, cssClass, alt, image, display });
            return int(m_images.size()) - 1;
        }

        Series series(const QString& name, const char* key, int color) const
        {
            Series s { name, lineColor(color), {} };
            for (const Epoch& e : m_epochs)
                s.points << QPointF(e.epoch, e.value(key));
            return s;
        }

        ChartSpec lossChart() const
        {
            ChartSpec loss { QStringLiteral("Training loss per epoch"), QStringLiteral("epoch"),
                QStringLiteral("loss"), {}, false, true };
            const Series terms[] = { series(QStringLiteral("total"), "loss", 0),
                series(QStringLiteral("segmentation"), "loss_seg", 1),
                series(QStringLiteral("context"), "loss_context", 2),
                series(QStringLiteral("task similarity"), "loss_tasksim", 3) };
            for (const Series& s : terms) {
                // The context and similarity terms are 0 in a baseline run: left out.
                const bool allZero = std::all_of(s.points.cbegin(), s.points.cend(),
                    [](const QPointF& q) { return !(std::abs(q.y()) > 0); });
                if (hasValues(s) && (!allZero || s.name == QLatin1String("total")))
                    loss.series << s;
            }
            return loss;
        }

        ChartSpec validationChart() const
        {
            ChartSpec val { QStringLiteral("Validation metrics per epoch"), QStringLiteral("epoch"),
                QStringLiteral("score"), {}, true, true };
            for (const Series& s : { series(QStringLiteral("mIoU"), "val_miou", 0),
                     series(QStringLiteral("Dice (mean)"), "val_dice", 1),
                     series(QStringLiteral("pixel accuracy"), "val_pixel_accuracy", 2) })
                if (hasValues(s))
                    val.series << s;
            return val;
        }

        ChartSpec perClassChart() const
        {
            ChartSpec perClass { QStringLiteral("Validation IoU per class per epoch"),
                QStringLiteral("epoch"), QStringLiteral("IoU"), {}, true, true };
            for (int c = 0; c < m_k; ++c) {
                Series s { m_classNames.value(c), lineColor(c), {} };
                for (const Epoch& e : m_epochs)
                    s.points << QPointF(e.epoch, e.perClassIou().value(c, kNaN));
                perClass.series << s;
            }
            return perClass;
        }

        void drawCharts()
        {
            const ChartSpec loss = lossChart();
            addImage(QStringLiteral("chart-loss"), QStringLiteral("chart"), loss.title, drawLineChart(loss));
            const ChartSpec val = validationChart();
            addImage(
                QStringLiteral("chart-validation"), QStringLiteral("chart"), val.title, drawLineChart(val));
            const ChartSpec perClass = perClassChart();
            addImage(QStringLiteral("chart-per-class-iou"), QStringLiteral("chart"), perClass.title,
                drawLineChart(perClass));
            const ChartSpec lr { QStringLiteral("Learning rate per epoch"), QStringLiteral("epoch"),
                QStringLiteral("learning rate"), { series(QStringLiteral("learning rate"), "lr", 4) }, false,
                true };
            addImage(
                QStringLiteral("chart-learning-rate"), QStringLiteral("chart"), lr.title, drawLineChart(lr));
            if (!m_run.robustness.isEmpty()) {
                Series s { QStringLiteral("mIoU"), lineColor(3), {} };
                for (const auto& q : m_run.robustness)
                    s.points << QPointF(q.first, q.second);
                const ChartSpec rob { QStringLiteral("Robustness: validation mIoU under masking (%1)")
                                          .arg(RunFolder::fileName(RunFile::Robustness)),
                    QStringLiteral("hole ratio (upper edge of the interval; 0 = clean)"),
                    QStringLiteral("mIoU"), { s }, true, false };
                addImage(QStringLiteral("chart-robustness"), QStringLiteral("chart"), rob.title,
                    drawLineChart(rob));
            }
        }

        // The best epoch's confusion matrix as a heatmap (and as m_bestMatrix for the Dice column).
        void drawConfusion()
        {
            m_confusion = best().confusion();
            m_hasConfusion = m_k > 0 && m_confusion.size() == qsizetype(m_k) * m_k;
            m_bestMatrix = ConfusionMatrix(std::max(1, m_k));
            if (m_hasConfusion) {
                for (int t = 0; t < m_k; ++t)
                    for (int q = 0; q < m_k; ++q)
                        m_bestMatrix.addCount(t, q, m_confusion[t * m_k + q]);
                addImage(QStringLiteral("confusion"), QStringLiteral("confusion"),
                    QStringLiteral("Confusion matrix of epoch %1").arg(best().epoch),
                    drawConfusionHeatmap(m_confusion, m_k, m_classNames));
            } else {
                m_notes << QStringLiteral("Epoch %1 has no confusion matrix in %2 (a run from an older "
                                          "version): the heatmap is left out.")
                               .arg(best().epoch)
                               .arg(RunFolder::fileName(RunFile::Metrics));
            }
        }

        // ---- examples ----

        // False when cancelled.
        bool predictExamples()
        {
            m_datasetShown = m_config.value(QStringLiteral("dataset")).toString();
            if (m_exampleCount > 0 && !m_checkpoint.isEmpty()) {
                if (!step(translate("Loading %1").arg(QFileInfo(m_checkpoint).fileName())))
                    return false;
                const QString datasetPath = exampleDatasetPath();
                m_datasetShown = QFileInfo(datasetPath).absoluteFilePath();
                std::unique_ptr<Predictor> predictor;
                try {
                    predictor = std::make_unique<Predictor>(m_checkpoint, m_options.device);
                } catch (const std::exception& e) {
                    m_notes << QStringLiteral(
                        "The checkpoint could not be loaded (%1): the report has no example "
                        "predictions.")
                                   .arg(QString::fromLocal8Bit(e.what()));
                }
                if (predictor)
                    return predictExamplesWith(*predictor, datasetPath);
            } else if (m_exampleCount > 0) {
                m_stepsTotal -= m_exampleCount + 1;
            } else {
                m_stepsTotal -= 1;
                m_notes << QStringLiteral("No example predictions were asked for.");
            }
            return true;
        }

        // The dataset the examples come from: --dataset, else the run's config's; throws when missing.
        QString exampleDatasetPath() const
        {
            const QString datasetPath = m_options.datasetRoot.isEmpty()
                ? m_config.value(QStringLiteral("dataset")).toString()
                : m_options.datasetRoot;
            if (datasetPath.isEmpty())
                throw Error(RunFolder::fileName(RunFile::Config).toStdString() + " names no dataset",
                    files().path(RunFile::Config).toStdString(),
                    "Pass --dataset DIR (the dataset the run was trained on), or --examples 0 for a report "
                    "without examples.");
            if (!QFileInfo::exists(datasetPath))
                throw Error("dataset not found", datasetPath.toStdString(),
                    m_options.datasetRoot.isEmpty()
                        ? "The run's dataset was moved or deleted: pass --dataset DIR with its new place, or "
                          "--examples 0 for a report without examples."
                        : "Check the --dataset folder.");
            return datasetPath;
        }

        // Validation images spread evenly over the split, predicted one per step. False when cancelled.
        bool predictExamplesWith(Predictor& predictor, const QString& datasetPath)
        {
            const CheckpointInfo& info = predictor.info();
            const Dataset ds = openDatasetForCheckpoint(datasetPath, info);
            const QVector<int> val = evaluationSamples(ds, m_checkpoint, info, QStringLiteral("val"));
            const int n = std::min(m_exampleCount, int(val.size()));
            if (n < m_exampleCount)
                m_notes << QStringLiteral(
                    "The validation split has %1 image(s): %2 example(s) shown instead of %3.")
                               .arg(val.size())
                               .arg(n)
                               .arg(m_exampleCount);
            m_stepsTotal -= m_exampleCount - n;
            const int kk = int(info.classNames.size());
            m_binary = kk <= 2;
            for (int i = 0; i < n; ++i) {
                const Sample& s = ds.samples[val[int((qint64(i) * val.size()) / n)]];
                if (!step(translate("Predicting %1").arg(s.id)))
                    return false;
                addExample(predictor, ds, s, i);
            }
            return true;
        }

        // Example i: image | ground truth | prediction | error mode, with the image's scores.
        void addExample(Predictor& predictor, const Dataset& ds, const Sample& s, int i)
        {
            const CheckpointInfo& info = predictor.info();
            const int kk = int(info.classNames.size());
            const OverlayOptions overlay = overlayOptionsFor(kk, info.ignoreIndex, 0.5);
            cv::Mat rgb, truth;
            QVector<SkippedPair> skipped;
            if (!decodePair(ds, s, rgb, truth, skipped)) { // one verdict per pair, as 'masksup inspect'
                m_notes << QStringLiteral("Example %1 was skipped: %2: %3")
                               .arg(i + 1)
                               .arg(QDir::toNativeSeparators(skipped.first().file), skipped.first().reason);
                return;
            }
            const cv::Mat pred = predictor.predict(rgb);
            ConfusionMatrix cm(std::max(2, kk));
            cm.add(truth.ptr(), pred.ptr(), truth.total(), info.ignoreIndex);
            const cv::Mat codes = errorCodes(truth, pred, kk, -1, info.ignoreIndex);
            const QImage composite
                = composeExample({ rgbToQImage(rgb), colorOverlay(rgb, truth, info.classColors, overlay),
                    colorOverlay(rgb, pred, info.classColors, overlay), errorOverlay(rgb, codes, 0.6) });
            Example ex { s.id, cm.meanIoU(), cm.pixelAccuracy(), -1 };
            ex.image = int(m_images.size());
            m_images.append({ QStringLiteral("example-%1").arg(i + 1), QStringLiteral("example"),
                QStringLiteral("Example %1: %2").arg(i + 1).arg(s.id), composite,
                composite.size().width() > kChartWidth
                    ? QSize(kChartWidth, qRound(double(composite.height()) * kChartWidth / composite.width()))
                    : composite.size() });
            m_examples << ex;
        }

        // ---- object metrics ----

        // Binary runs: the GlaS object metrics of best.pt on the validation split (runObjectMetrics:
        // stored in the run folder, else evaluated and stored), one step. False when cancelled.
        bool addObjectMetrics()
        {
            if (m_k != 2)
                return true;
            const RunFolder files = this->files();
            if (!files.has(RunFile::BestCheckpoint)) {
                m_notes << QStringLiteral("No %1: the object metrics are left out.")
                               .arg(RunFolder::fileName(RunFile::BestCheckpoint));
                return true;
            }
            ++m_stepsTotal;
            if (!step(translate("Object metrics of %1").arg(RunFolder::fileName(RunFile::BestCheckpoint))))
                return false;
            CancelOnly progress(m_progress);
            try {
                m_objectMetrics
                    = runObjectMetrics(m_run.folder, m_options.datasetRoot, m_options.device, progress);
            } catch (const std::exception& e) {
                if (m_progress.isCancelled())
                    return false;
                m_notes << QStringLiteral("The object metrics could not be computed (%1): they are left out.")
                               .arg(QString::fromLocal8Bit(e.what()));
            }
            return true;
        }

        QString objectMetricsSection() const
        {
            if (!m_objectMetrics)
                return {};
            const RunObjectMetrics& m = *m_objectMetrics;
            auto row = [](const char* id, const QString& label, const QString& cell) {
                return QStringLiteral("<tr id=\"%1\"><td>%2</td>%3</tr>\n")
                    .arg(QLatin1String(id), label, cell);
            };
            auto count
                = [](int n) { return QStringLiteral("<td class=\"num\" data-value=\"%1\">%1</td>").arg(n); };
            QString h;
            h += QStringLiteral("<h2>Object metrics (GlaS challenge, validation split)</h2>\n");
            h += QStringLiteral(
                "<p class=\"small\">%1 on the run's validation split (%2 image(s)), as 'masksup evaluate' "
                "computes them: objects are the ground truth's instance ids where the dataset holds them, "
                "else 8-connected components; predicted objects are the components of the predicted "
                "foreground. Object F1 pools TP, FP and FN over the images; object Dice and object "
                "Hausdorff are means over the images.</p>\n")
                     .arg(esc(RunFolder::fileName(RunFile::BestCheckpoint)))
                     .arg(m.images);
            h += QStringLiteral("<table id=\"object-metrics\">\n<tr><th>Metric</th><th>Value</th></tr>\n");
            h += row("object-f1", QStringLiteral("Object F1"), numberCell(m.objectF1));
            h += row("object-dice", QStringLiteral("Object Dice"), numberCell(m.objectDice));
            h += row("object-hausdorff", QStringLiteral("Object Hausdorff (pixels)"),
                numberCell(m.objectHausdorff, 2));
            h += row("object-tp", QStringLiteral("True positive objects"), count(m.truePositives));
            h += row("object-fp", QStringLiteral("False positive objects"), count(m.falsePositives));
            h += row("object-fn", QStringLiteral("False negative objects"), count(m.falseNegatives));
            h += row("dice-per-image-mean", QStringLiteral("Per-image Dice: mean"), numberCell(m.diceMean));
            h += row(
                "dice-per-image-median", QStringLiteral("Per-image Dice: median"), numberCell(m.diceMedian));
            h += row("dice-per-image-min", QStringLiteral("Per-image Dice: min"), numberCell(m.diceMin));
            h += row("dice-per-image-max", QStringLiteral("Per-image Dice: max"), numberCell(m.diceMax));
            h += row(
                "hd95-mean", QStringLiteral("HD95, mean over images (pixels)"), numberCell(m.hd95Mean, 2));
            h += QStringLiteral("</table>\n");
            return h;
        }

        // ---- the document ----

        QString imageTag(int index, bool pdf) const
        {
            const ReportImage& im = m_images[index];
            const QString src = pdf ? QStringLiteral("report-image://%1").arg(im.id)
                                    : QStringLiteral("data:image/png;base64,")
                    + QString::fromLatin1(pngBytes(im.image).toBase64());
            return QStringLiteral(
                "<img class=\"%1\" id=\"%2\" alt=\"%3\" src=\"%4\" width=\"%5\" height=\"%6\">")
                .arg(im.cssClass, im.id, esc(im.alt), src)
                .arg(im.display.width())
                .arg(im.display.height());
        }

        // The whole page; `pdf` refers to images as QTextDocument resources instead of data URIs.
        QString html(bool pdf) const
        {
            QString h = htmlHead();
            h += summaryTable();
            if (!m_notes.isEmpty()) {
                h += QStringLiteral("<h2>Notes</h2>\n<ul class=\"notes\">\n");
                for (const QString& n : m_notes)
                    h += QStringLiteral("<li class=\"note\">%1</li>\n").arg(esc(n));
                h += QStringLiteral("</ul>\n");
            }
            h += metricsTable();
            h += perClassTable();
            h += objectMetricsSection();
            // Charts.
            h += QStringLiteral("<h2>Charts</h2>\n");
            for (int i = 0; i < m_images.size(); ++i)
                if (m_images[i].cssClass == QLatin1String("chart"))
                    h += QStringLiteral("<p>%1</p>\n").arg(imageTag(i, pdf));
            if (m_hasConfusion)
                h += confusionSection(pdf);
            h += examplesSection(pdf);
            if (!m_config.isEmpty())
                h += configTable();
            h += QStringLiteral("<p class=\"small\">Written by MaskSup Studio on %1.</p>\n")
                     .arg(dateText(QDateTime::currentDateTime()));
            h += QStringLiteral("</body>\n</html>\n");
            return h;
        }

        QString htmlHead() const
        {
            QString h;
            h += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            h += QStringLiteral("<title>Run report: %1</title>\n").arg(esc(m_run.name));
            h += QStringLiteral(
                "<style>\n"
                "body { font-family: 'DejaVu Sans', Arial, sans-serif; color: #222; margin: 24px; max-width: "
                "1100px; }\n"
                "h1 { font-size: 20pt; margin-bottom: 4px; } h2 { font-size: 14pt; margin-top: 22px; "
                "border-bottom: 1px solid #ccc; }\n"
                "table { border-collapse: collapse; margin: 6px 0; }\n"
                "th, td { border: 1px solid #bbb; padding: 3px 8px; }\n"
                "th { background-color: #eeeeee; text-align: left; }\n"
                "td.num { text-align: right; }\n"
                "img { max-width: 100%; height: auto; }\n"
                ".note { color: #8a4b00; }\n"
                ".small { color: #666; font-size: 9pt; }\n"
                "</style>\n</head>\n<body>\n");
            h += QStringLiteral("<h1>Run report: %1</h1>\n").arg(esc(m_run.name));
            h += QStringLiteral("<p class=\"small\">%1</p>\n")
                     .arg(esc(QDir::toNativeSeparators(m_run.folder)));
            return h;
        }

        // Title facts.
        QString summaryTable() const
        {
            const RunSummary& run = m_run;
            const QString modelText
                = run.width > 0 ? QStringLiteral("%1 (width %2)").arg(run.model).arg(run.width) : run.model;
            const RunFolder files = this->files();
            const QDateTime started
                = QFileInfo(files.path(files.has(RunFile::Split) ? RunFile::Split : RunFile::Config))
                      .lastModified();
            const QDateTime finished = QFileInfo(files.path(RunFile::Metrics)).lastModified();
            QString h;
            h += QStringLiteral("<table id=\"summary\">\n");
            h += tableRow(QStringLiteral("Run"), run.name);
            h += tableRow(QStringLiteral("Dataset"),
                m_datasetShown.isEmpty() ? QStringLiteral("–")
                                         : QDir::toNativeSeparators(m_datasetShown)
                        + (m_config.value(QStringLiteral("dataset_format")).toString().isEmpty()
                                ? QString()
                                : QStringLiteral(" (%1)").arg(
                                    m_config.value(QStringLiteral("dataset_format")).toString())));
            h += tableRow(QStringLiteral("Model"), modelText.isEmpty() ? QStringLiteral("–") : modelText);
            h += tableRow(QStringLiteral("Mode"), run.mode.isEmpty() ? QStringLiteral("–") : run.mode);
            h += tableRow(
                QStringLiteral("Preset"), run.preset.isEmpty() ? QStringLiteral("none") : run.preset);
            h += tableRow(QStringLiteral("Device"), run.device.isEmpty() ? QStringLiteral("–") : run.device);
            h += tableRow(QStringLiteral("Classes"),
                QStringLiteral("%1: %2").arg(m_k).arg(m_classNames.join(QStringLiteral(", "))));
            h += tableRow(QStringLiteral("Epochs"),
                QStringLiteral("%1 of %2%3")
                    .arg(run.epochsDone)
                    .arg(run.epochsPlanned)
                    .arg(run.isComplete() ? QString() : QStringLiteral(" (unfinished)")));
            h += tableRow(QStringLiteral("Started"), dateText(started));
            h += tableRow(QStringLiteral("Last epoch written"), dateText(finished));
            h += tableRow(QStringLiteral("Training time"), durationText(run.durationSeconds));
            h += tableRow(QStringLiteral("Best epoch"),
                QStringLiteral("%1 (validation mIoU %2)")
                    .arg(best().epoch)
                    .arg(fixed(best().value("val_miou"))));
            h += QStringLiteral("</table>\n");
            return h;
        }

        // Final and best epoch metrics.
        QString metricsTable() const
        {
            const Epoch& last = this->last();
            const Epoch& best = this->best();
            QString h;
            h += QStringLiteral("<h2>Metrics</h2>\n");
            h += QStringLiteral("<table id=\"metrics\">\n"
                                "<tr><th>Metric</th><th>Final epoch (%1)</th><th>Best epoch (%2)</th></tr>\n")
                     .arg(last.epoch)
                     .arg(best.epoch);
            struct MetricRow {
                const char* key;
                const char* label;
                int decimals;
            };
            const MetricRow metricRows[]
                = { { "val_miou", "Validation mIoU", 4 }, { "val_dice", "Validation Dice (mean)", 4 },
                      { "val_pixel_accuracy", "Validation pixel accuracy", 4 }, { "loss", "Loss (total)", 4 },
                      { "loss_seg", "Loss: segmentation", 4 }, { "loss_context", "Loss: context branch", 4 },
                      { "loss_tasksim", "Loss: task similarity", 4 },
                      { "ref_micro_jaccard", "Reference code: micro Jaccard", 4 },
                      { "ref_binary_iou", "Reference code: per-image foreground IoU", 4 },
                      { "seconds", "Epoch time (s)", 1 } };
            for (const MetricRow& m : metricRows) {
                if (!last.json.contains(QLatin1String(m.key)) && !best.json.contains(QLatin1String(m.key)))
                    continue;
                if (QLatin1String(m.key) == QLatin1String("ref_binary_iou") && !m_binary)
                    continue;
                h += QStringLiteral("<tr id=\"metric-%1\"><td>%2</td>")
                         .arg(QLatin1String(m.key), QLatin1String(m.label));
                h += numberCell(last.value(m.key), m.decimals) + numberCell(best.value(m.key), m.decimals);
                h += QStringLiteral("</tr>\n");
            }
            h += QStringLiteral("<tr id=\"metric-lr\"><td>Learning rate</td><td class=\"num\" "
                                "data-value=\"%1\">%2</td><td class=\"num\" data-value=\"%3\">%4</td></tr>\n")
                     .arg(exact(last.value("lr")), lrText(last.value("lr")), exact(best.value("lr")),
                         lrText(best.value("lr")));
            h += QStringLiteral("</table>\n");
            return h;
        }

        // Per-class IoU of the best epoch.
        QString perClassTable() const
        {
            const int k = m_k;
            const QVector<double> bestIou = best().perClassIou(), lastIou = last().perClassIou();
            const QVector<double> dice = m_hasConfusion ? m_bestMatrix.dice() : QVector<double>();
            qint64 totalPixels = 0;
            QVector<qint64> truthPixels(k, 0);
            if (m_hasConfusion)
                for (int t = 0; t < k; ++t)
                    for (int q = 0; q < k; ++q) {
                        truthPixels[t] += m_confusion[t * k + q];
                        totalPixels += m_confusion[t * k + q];
                    }
            QString h;
            h += QStringLiteral("<h2>Per-class IoU (best epoch %1)</h2>\n").arg(best().epoch);
            h += QStringLiteral("<table id=\"per-class-iou\">\n"
                                "<tr><th>#</th><th></th><th>Class</th><th>IoU (best, epoch %1)</th>"
                                "<th>IoU (final, epoch %2)</th>%3</tr>\n")
                     .arg(best().epoch)
                     .arg(last().epoch)
                     .arg(m_hasConfusion ? QStringLiteral("<th>Dice (best)</th><th>Share of pixels</th>")
                                         : QString());
            for (int c = 0; c < k; ++c) {
                h += QStringLiteral("<tr class=\"class-row\" id=\"class-%1\"><td class=\"num\">%1</td>"
                                    "<td style=\"background-color: %2\">&nbsp;&nbsp;&nbsp;</td><td>%3</td>")
                         .arg(c)
                         .arg(colorName(m_classColors.value(c)), esc(m_classNames.value(c)));
                h += numberCell(bestIou.value(c, kNaN)) + numberCell(lastIou.value(c, kNaN));
                if (m_hasConfusion)
                    h += numberCell(dice.value(c, kNaN))
                        + QStringLiteral("<td class=\"num\">%1%</td>")
                              .arg(totalPixels > 0 ? 100.0 * double(truthPixels[c]) / double(totalPixels)
                                                   : 0.0,
                                  0, 'f', 1);
                h += QStringLiteral("</tr>\n");
            }
            h += QStringLiteral(
                "</table>\n<p class=\"small\">– : the class is absent from both the truth and the "
                "prediction of the validation images.</p>\n");
            return h;
        }

        // The heatmap, and for up to 10 classes the pixel counts.
        QString confusionSection(bool pdf) const
        {
            const int k = m_k;
            QString h;
            h += QStringLiteral("<h2>Confusion matrix (best epoch %1)</h2>\n").arg(best().epoch);
            h += QStringLiteral(
                "<p class=\"small\">Rows: true class; columns: predicted class; colour and "
                "percentage: share of the row's validation pixels (void pixels left out).</p>\n");
            for (int i = 0; i < m_images.size(); ++i)
                if (m_images[i].cssClass == QLatin1String("confusion"))
                    h += QStringLiteral("<p>%1</p>\n").arg(imageTag(i, pdf));
            if (k <= 10) {
                h += QStringLiteral("<table id=\"confusion-table\">\n"
                                    "<tr><th>truth \\ prediction</th>");
                for (int q = 0; q < k; ++q)
                    h += QStringLiteral("<th>%1</th>").arg(esc(m_classNames.value(q)));
                h += QStringLiteral("</tr>\n");
                for (int t = 0; t < k; ++t) {
                    h += QStringLiteral("<tr><th>%1</th>").arg(esc(m_classNames.value(t)));
                    for (int q = 0; q < k; ++q)
                        h += QStringLiteral("<td class=\"num\">%1</td>").arg(m_confusion[t * k + q]);
                    h += QStringLiteral("</tr>\n");
                }
                h += QStringLiteral("</table>\n<p class=\"small\">Pixel counts.</p>\n");
            }
            return h;
        }

        QString examplesSection(bool pdf) const
        {
            QString h;
            h += QStringLiteral("<h2>Example predictions</h2>\n");
            if (m_examples.isEmpty()) {
                h += QStringLiteral("<p class=\"note\">No example predictions: %1</p>\n")
                         .arg(esc(m_checkpoint.isEmpty() ? QStringLiteral("the run has no checkpoint.")
                                 : m_exampleCount == 0   ? QStringLiteral("none were asked for.")
                                                         : QStringLiteral("see the notes above.")));
                return h;
            }
            const QVector<QColor> ec = errorColors();
            auto swatch = [](const QColor& c, const QString& text) {
                return QStringLiteral("<span style=\"background-color: %1; color: %1\">&nbsp;&nbsp;&nbsp;"
                                      "</span>&nbsp;%2")
                    .arg(c.name(), text);
            };
            h += QStringLiteral("<p>Validation images predicted with %1. Each row: image | ground truth | "
                                "prediction | error mode (")
                     .arg(esc(RunFolder::fileName(RunFile::Checkpoints) + QLatin1Char('/')
                         + QFileInfo(m_checkpoint).fileName()));
            if (m_binary)
                h += swatch(ec.value(ErrorTruePositive), QStringLiteral("true positive"))
                    + QStringLiteral(", ")
                    + swatch(ec.value(ErrorFalsePositive), QStringLiteral("false positive"))
                    + QStringLiteral(", ")
                    + swatch(ec.value(ErrorFalseNegative), QStringLiteral("false negative"));
            else
                h += swatch(ec.value(ErrorTruePositive), QStringLiteral("correct")) + QStringLiteral(", ")
                    + swatch(ec.value(ErrorWrongClass), QStringLiteral("wrong class"));
            h += QStringLiteral(").</p>\n");
            for (const Example& ex : m_examples)
                h += QStringLiteral(
                    "<p class=\"example-caption\"><b>%1</b> — mIoU %2, pixel accuracy %3</p>\n"
                    "<p>%4</p>\n")
                         .arg(esc(ex.id), fixed(ex.miou), fixed(ex.pixelAccuracy), imageTag(ex.image, pdf));
            return h;
        }

        // Every setting of the run's config but the class names (listed above).
        QString configTable() const
        {
            QString h;
            h += QStringLiteral("<h2>Configuration (%1)</h2>\n<table id=\"config\">\n")
                     .arg(RunFolder::fileName(RunFile::Config));
            for (auto it = m_config.constBegin(); it != m_config.constEnd(); ++it) {
                if (it.key() == QLatin1String("classes"))
                    continue;
                QString value;
                const QJsonValue v = it.value();
                if (v.isString())
                    value = v.toString();
                else if (v.isDouble())
                    value = QString::number(v.toDouble(), 'g', QLocale::FloatingPointShortest);
                else if (v.isBool())
                    value = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
                else if (!v.isNull())
                    value = QString::fromUtf8(
                        QJsonDocument(v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject()))
                            .toJson(QJsonDocument::Compact));
                h += tableRow(it.key(), value);
            }
            h += QStringLiteral("</table>\n");
            return h;
        }

        // The page laid out by QTextDocument on A4 and printed to a PDF.
        QByteArray pdfDocument() const
        {
            QByteArray bytes;
            QBuffer buffer(&bytes);
            buffer.open(QIODevice::WriteOnly);
            QPdfWriter writer(&buffer);
            writer.setTitle(QStringLiteral("Run report: %1").arg(m_run.name));
            writer.setCreator(QStringLiteral("MaskSup Studio"));
            writer.setResolution(300);
            writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter));
            QTextDocument doc;
            doc.setDefaultFont(chartFont(12));
            doc.setDocumentMargin(0);
            // Laid out on pages of kPdfPageWidth logical pixels (the HTML's scale: 680-pixel images fit)
            // with the printable area's proportions; print() scales each page onto the A4 sheet.
            const QSizeF printable = writer.pageLayout().paintRect(QPageLayout::Millimeter).size();
            doc.setPageSize(QSizeF(kPdfPageWidth, kPdfPageWidth * printable.height() / printable.width()));
            for (const ReportImage& im : m_images) {
                QImage copy = im.image;
                copy.setDevicePixelRatio(1);
                doc.addResource(
                    QTextDocument::ImageResource, QUrl(QStringLiteral("report-image://%1").arg(im.id)), copy);
            }
            // QTextDocument's HTML subset: table borders, padding and cell alignment as attributes.
            QString html = this->html(true);
            html.replace(QStringLiteral("<table id="),
                QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\" id="));
            html.replace(
                QStringLiteral("<td class=\"num\""), QStringLiteral("<td align=\"right\" class=\"num\""));
            doc.setHtml(html);
            doc.print(&writer);
            return bytes;
        }

        const QString m_outputPath;
        const ReportOptions& m_options;
        Progress& m_progress;
        QElapsedTimer m_clock;
        ReportResult m_result;
        int m_exampleCount = 0;
        int m_stepsTotal = 0, m_stepsDone = 0;
        // the run
        RunSummary m_run;
        QStringList m_notes;
        QVector<Epoch> m_epochs;
        QJsonObject m_config;
        int m_bestIndex = 0;
        int m_k = 0; // classes
        QStringList m_classNames;
        QVector<QColor> m_classColors;
        QString m_checkpoint; // the examples' checkpoint, empty when the run has none
        // what is drawn
        QVector<ReportImage> m_images;
        QVector<qint64> m_confusion; // the best epoch's
        bool m_hasConfusion = false;
        ConfusionMatrix m_bestMatrix;
        QVector<Example> m_examples;
        std::optional<RunObjectMetrics> m_objectMetrics; // binary runs with a best checkpoint
        bool m_binary = false;
        QString m_datasetShown;
    };

} // namespace

ReportResult writeRunReport(
    const QString& runFolder, const QString& outputPath, const ReportOptions& options, Progress& progress)
{
    return ReportWriter(outputPath, options, progress).write(runFolder);
}

} // namespace msup
