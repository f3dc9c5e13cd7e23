#include "ui/training_charts.h"

#include "core/base/error.h"
#include "core/io/atomic_file.h"
#include "core/io/csv.h"
#include "ui/chart_legend.h"
#include "ui/format.h"
#include "ui/qcustomplot_include.h"
#include "ui/widgets.h"

#include <QBuffer>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSvgGenerator>
#include <QTabWidget>
#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>

namespace msup {
namespace ui {

    namespace {
        // Distinct colours for up to ~40 classes: hues around the circle, alternating lightness.
        QColor classColor(int c)
        {
            const int hue = (c * 137) % 360; // golden-angle steps
            return QColor::fromHsv(hue, 200, c % 2 ? 170 : 220);
        }

    } // namespace

    TrainingCharts::TrainingCharts(QWidget* parent)
        : QWidget(parent)
    {
        auto* layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        m_tabs = new QTabWidget(this);
        m_tabs->setObjectName(QStringLiteral("trainingChartTabs"));
        layout->addWidget(m_tabs);

        m_iou = makeChart(QStringLiteral("perClassIouChart"));
        m_iou->xAxis->setLabel(tr("Epoch"));
        m_iou->yAxis->setLabel(tr("Validation IoU"));
        m_iou->yAxis->setRange(0, 1);
        m_iou->legend->setFont(font());
        m_iou->legend->setSelectableParts(QCPLegend::spItems);
        placeLegendBelowPlot(m_iou, 6); // below the plot, never on the curves
        m_iou->setToolTip(tr("Click a class in the legend to hide or show it; hover a point for its value"));
        connect(m_iou, &QCustomPlot::legendClick, this,
            [this](QCPLegend*, QCPAbstractLegendItem* item, QMouseEvent*) {
                auto* pli = qobject_cast<QCPPlottableLegendItem*>(item);
                if (!pli)
                    return;
                for (int c = 0; c < m_iou->graphCount(); ++c)
                    if (m_iou->graph(c) == pli->plottable())
                        setClassVisible(c, !isClassVisible(c));
            });
        connect(m_iou, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
            // The nearest point of a visible line within 8 pixels.
            double best = 8;
            QString text;
            for (int c = 0; c < m_iou->graphCount(); ++c) {
                QCPGraph* g = m_iou->graph(c);
                if (!g->visible())
                    continue;
                for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) {
                    const QPointF p = g->coordsToPixels(it->key, it->value);
                    const double d = std::hypot(p.x() - e->position().x(), p.y() - e->position().y());
                    if (d < best) {
                        best = d;
                        text = tr("%1 · epoch %2 · IoU %3")
                                   .arg(g->name())
                                   .arg(int(it->key))
                                   .arg(formatNumber(it->value, 4));
                    }
                }
            }
            if (text.isEmpty())
                QToolTip::hideText();
            else
                QToolTip::showText(e->globalPosition().toPoint(), text, m_iou);
        });
        m_tabs->addTab(m_iou, tr("Per-class IoU"));

        m_lr = makeChart(QStringLiteral("learningRateChart"));
        m_lr->xAxis->setLabel(tr("Epoch"));
        m_lr->yAxis->setLabel(tr("Learning rate"));
        m_lr->yAxis->setScaleType(QCPAxis::stLogarithmic);
        m_lr->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        QCPGraph* lr = m_lr->addGraph();
        lr->setName(tr("learning rate"));
        lr->setPen(QPen(QColor(0x44, 0x44, 0x44), 2));
        lr->setLineStyle(QCPGraph::lsStepLeft);
        lr->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
        m_tabs->addTab(m_lr, tr("Learning rate"));

        m_confusionPlot = makeChart(QStringLiteral("confusionChart"));
        m_confusionPlot->setInteractions(QCP::Interactions()); // a matrix: clicks select cells
        m_confusionPlot->xAxis->setLabel(tr("Predicted class"));
        m_confusionPlot->yAxis->setLabel(tr("True class"));
        m_confusionPlot->yAxis->setRangeReversed(true); // class 0 at the top, as a table reads
        m_confusionMap = new QCPColorMap(m_confusionPlot->xAxis, m_confusionPlot->yAxis);
        m_confusionMap->setGradient(QCPColorGradient(QCPColorGradient::gpThermal));
        m_confusionMap->setInterpolate(false);
        m_confusionMap->setDataRange(QCPRange(0, 1));
        auto* scale = new QCPColorScale(m_confusionPlot);
        scale->setLabel(tr("Share of the true class"));
        scale->setDataRange(QCPRange(0, 1));
        scale->setGradient(m_confusionMap->gradient());
        m_confusionPlot->plotLayout()->addElement(0, 1, scale);
        m_confusionMap->setColorScale(scale);
        m_confusionPlot->setToolTip(
            tr("Rows: true class; columns: predicted class; each row sums to 1. Click a cell."));
        connect(m_confusionPlot, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
            const int k = m_classNames.size();
            if (k == 0 || m_confusion.size() != k * k)
                return;
            const double x = m_confusionPlot->xAxis->pixelToCoord(e->position().x());
            const double y = m_confusionPlot->yAxis->pixelToCoord(e->position().y());
            const int pred = int(std::lround(x)), truth = int(std::lround(y));
            if (truth >= 0 && truth < k && pred >= 0 && pred < k)
                Q_EMIT confusionCellClicked(truth, pred);
            else if (truth >= 0 && truth < k && pred < 0)
                Q_EMIT confusionCellClicked(truth, -1); // the class label left of the matrix
        });
        connect(m_confusionPlot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
            const int k = m_classNames.size();
            const int pred = int(std::lround(m_confusionPlot->xAxis->pixelToCoord(e->position().x())));
            const int truth = int(std::lround(m_confusionPlot->yAxis->pixelToCoord(e->position().y())));
            if (k == 0 || m_confusion.size() != k * k || truth < 0 || truth >= k || pred < 0 || pred >= k) {
                QToolTip::hideText();
                return;
            }
            QToolTip::showText(e->globalPosition().toPoint(),
                tr("true %1 → predicted %2: %3 of its pixels (%4)")
                    .arg(m_classNames[truth], m_classNames[pred],
                        QLocale().toString(100.0 * confusionShare(truth, pred), 'f', 1) + QLatin1Char('%'))
                    .arg(QLocale().toString(m_confusion[truth * k + pred])),
                m_confusionPlot);
        });
        m_tabs->addTab(m_confusionPlot, tr("Confusion matrix"));

        auto* buttons = new QHBoxLayout;
        buttons->addStretch(1);
        auto* exportButton = pushButton(tr("Export chart…"), QStringLiteral("exportChartButton"),
            tr("Save the chart shown as PNG, SVG or CSV"), this, this, &TrainingCharts::exportDialog);
        buttons->addWidget(exportButton);
        layout->addLayout(buttons);
        clear();
    }

    QCustomPlot* TrainingCharts::makeChart(const QString& objectName)
    {
        auto* plot = new QCustomPlot(this);
        plot->setObjectName(objectName);
        plot->setMinimumSize(320, 200);
        plot->setNoAntialiasingOnDrag(true);
        plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom | QCP::iSelectLegend);
        connect(plot, &QCustomPlot::mouseDoubleClick, plot, [plot] {
            plot->rescaleAxes();
            plot->replot();
        });
        return plot;
    }

    void TrainingCharts::clear()
    {
        m_iou->clearGraphs();
        m_lr->graph(0)->data()->clear();
        m_classNames.clear();
        m_confusion.clear();
        m_confusionEpoch = 0;
        m_confusionMap->data()->clear();
        for (QCustomPlot* p : { m_iou, m_lr, m_confusionPlot })
            p->replot(QCustomPlot::rpQueuedReplot);
    }

    void TrainingCharts::ensureClasses(const QStringList& names)
    {
        if (names == m_classNames)
            return;
        m_iou->clearGraphs();
        m_classNames = names;
        for (int c = 0; c < names.size(); ++c) {
            QCPGraph* g = m_iou->addGraph();
            g->setName(names[c]);
            g->setPen(QPen(classColor(c), 1.6));
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 4));
        }
        // Class names on the matrix's axes.
        for (QCPAxis* axis : { m_confusionPlot->xAxis, m_confusionPlot->yAxis }) {
            QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
            for (int c = 0; c < names.size(); ++c)
                ticker->addTick(c, names[c]);
            axis->setTicker(ticker);
            axis->setRange(-0.5, names.size() - 0.5);
        }
        m_confusionPlot->xAxis->setTickLabelRotation(names.size() > 6 ? 60 : 0);
    }

    void TrainingCharts::addEpoch(const msup::EpochMetrics& m)
    {
        QStringList names = m.classNames;
        while (names.size() < m.perClassIou.size())
            names << tr("class %1").arg(names.size());
        ensureClasses(names.mid(0, m.perClassIou.size()));
        for (int c = 0; c < m.perClassIou.size(); ++c)
            if (!std::isnan(m.perClassIou[c])) // a class absent from validation has no IoU
                m_iou->graph(c)->addData(m.epoch, m.perClassIou[c]);
        m_iou->xAxis->setRange(0.5, std::max(2, m.epoch) + 0.5);
        m_iou->yAxis->setRange(0, 1);
        m_lr->graph(0)->addData(m.epoch, m.learningRate);
        m_lr->rescaleAxes();
        m_lr->xAxis->setRange(0.5, std::max(2, m.epoch) + 0.5);
        if (m.confusion.size() == m.perClassIou.size() * m.perClassIou.size()) {
            m_confusion = m.confusion;
            m_confusionEpoch = m.epoch;
            updateConfusion();
        }
        for (QCustomPlot* p : { m_iou, m_lr, m_confusionPlot })
            p->replot(QCustomPlot::rpQueuedReplot);
    }

    double TrainingCharts::confusionShare(int truth, int prediction) const
    {
        const int k = m_classNames.size();
        if (m_confusion.size() != k * k || truth < 0 || truth >= k || prediction < 0 || prediction >= k)
            return 0;
        qint64 row = 0;
        for (int p = 0; p < k; ++p)
            row += m_confusion[truth * k + p];
        return row > 0 ? double(m_confusion[truth * k + prediction]) / double(row) : 0.0;
    }

    void TrainingCharts::updateConfusion()
    {
        const int k = m_classNames.size();
        m_confusionMap->data()->setSize(k, k);
        m_confusionMap->data()->setRange(QCPRange(0, k - 1), QCPRange(0, k - 1));
        for (int t = 0; t < k; ++t)
            for (int p = 0; p < k; ++p)
                m_confusionMap->data()->setCell(p, t, confusionShare(t, p));
        m_confusionPlot->xAxis->setRange(-0.5, k - 0.5);
        m_confusionPlot->yAxis->setRange(-0.5, k - 0.5);
        m_tabs->setTabText(
            m_tabs->indexOf(m_confusionPlot), tr("Confusion matrix (epoch %1)").arg(m_confusionEpoch));
    }

    QCustomPlot* TrainingCharts::chart(Chart which) const
    {
        return which == Chart::PerClassIou ? m_iou : which == Chart::LearningRate ? m_lr : m_confusionPlot;
    }

    void TrainingCharts::showChart(Chart which)
    {
        m_tabs->setCurrentWidget(chart(which));
    }

    bool TrainingCharts::isClassVisible(int c) const
    {
        return c >= 0 && c < m_iou->graphCount() && m_iou->graph(c)->visible();
    }

    void TrainingCharts::setClassVisible(int c, bool visible)
    {
        if (c < 0 || c >= m_iou->graphCount())
            return;
        m_iou->graph(c)->setVisible(visible);
        // A hidden class stays in the legend, greyed, so that it can be shown again.
        if (QCPAbstractLegendItem* item = m_iou->legend->itemWithPlottable(m_iou->graph(c)))
            item->setTextColor(visible ? Qt::black : Qt::gray);
        m_iou->replot(QCustomPlot::rpQueuedReplot);
    }

    QByteArray TrainingCharts::csv(Chart which) const
    {
        QStringList lines;
        if (which == Chart::PerClassIou) {
            QStringList header { QStringLiteral("epoch") };
            for (const QString& n : m_classNames)
                header << csvField(QStringLiteral("iou_") + n);
            lines << header.join(QLatin1Char(','));
            int epochs = 0;
            for (int c = 0; c < m_iou->graphCount(); ++c)
                if (!m_iou->graph(c)->data()->isEmpty())
                    epochs = std::max(epochs, int((m_iou->graph(c)->data()->constEnd() - 1)->key));
            for (int e = 1; e <= epochs; ++e) {
                QStringList row { QString::number(e) };
                for (int c = 0; c < m_iou->graphCount(); ++c) {
                    const auto it = m_iou->graph(c)->data()->findBegin(e, false);
                    const bool has = it != m_iou->graph(c)->data()->constEnd() && int(it->key) == e;
                    row << (has ? QString::number(it->value, 'g', QLocale::FloatingPointShortest)
                                : QString());
                }
                lines << row.join(QLatin1Char(','));
            }
        } else if (which == Chart::LearningRate) {
            lines << QStringLiteral("epoch,lr");
            for (auto it = m_lr->graph(0)->data()->constBegin(); it != m_lr->graph(0)->data()->constEnd();
                 ++it)
                lines << QStringLiteral("%1,%2")
                             .arg(int(it->key))
                             .arg(QString::number(it->value, 'g', QLocale::FloatingPointShortest));
        } else {
            const int k = m_classNames.size();
            QStringList header { QStringLiteral("true\\predicted") };
            for (const QString& n : m_classNames)
                header << csvField(n);
            lines << header.join(QLatin1Char(','));
            for (int t = 0; t < k && m_confusion.size() == k * k; ++t) {
                QStringList row { csvField(m_classNames[t]) };
                for (int p = 0; p < k; ++p)
                    row << QString::number(m_confusion[t * k + p]);
                lines << row.join(QLatin1Char(','));
            }
        }
        return lines.join(QLatin1Char('\n')).toUtf8() + '\n';
    }

    void TrainingCharts::exportChart(Chart which, const QString& path) const
    {
        QCustomPlot* plot = chart(which);
        const QString suffix = QFileInfo(path).suffix().toLower();
        if (suffix == QLatin1String("csv")) {
            writeFileAtomic(path, csv(which));
        } else if (suffix == QLatin1String("svg")) {
            QBuffer buffer;
            buffer.open(QIODevice::WriteOnly);
            QSvgGenerator svg;
            svg.setOutputDevice(&buffer);
            const QSize size = plot->size().isEmpty() ? QSize(800, 500) : plot->size();
            svg.setSize(size);
            svg.setViewBox(QRect(QPoint(0, 0), size));
            svg.setTitle(m_tabs->tabText(m_tabs->indexOf(plot)));
            QCPPainter painter(&svg);
            plot->toPainter(&painter, size.width(), size.height());
            painter.end();
            writeFileAtomic(path, buffer.data());
        } else if (suffix == QLatin1String("png")) {
            const QSize size = plot->size().isEmpty() ? QSize(800, 500) : plot->size();
            writeImageAtomic(path, plot->toPixmap(size.width(), size.height(), 2.0).toImage(), "PNG");
        } else {
            throw Error("unknown chart format '" + suffix.toStdString() + "'", path.toStdString(),
                "Use a .png, .svg or .csv file name.");
        }
    }

    void TrainingCharts::exportDialog()
    {
        const auto which = static_cast<Chart>(m_tabs->currentIndex());
        QSettings settings;
        const QString dir = settings.value(QStringLiteral("charts/exportDir")).toString();
        static const char* names[] = { "per-class-iou", "learning-rate", "confusion-matrix" };
        QString selected;
        const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"),
            QDir(dir).filePath(QLatin1String(names[int(which)]) + QStringLiteral(".png")),
            tr("PNG image (*.png);;SVG drawing (*.svg);;CSV table (*.csv)"), &selected);
        if (path.isEmpty())
            return;
        settings.setValue(QStringLiteral("charts/exportDir"), QFileInfo(path).absolutePath());
        try {
            exportChart(which, path);
        } catch (const std::exception& e) {
            QMessageBox::warning(this, tr("Export chart"), QString::fromStdString(e.what()));
        }
    }

} // namespace ui
} // namespace msup
