#pragma once

#include "core/train/training_session.h"

#include <QColor>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QCPColorMap;
class QCustomPlot;
class QTabWidget;

namespace msup {
namespace ui {

    // The per-epoch charts of the training dashboard, one tab each: per-class validation IoU (one
    // line per class; clicking a legend entry hides or shows it; hovering shows the value), the
    // learning rate, and the latest validation confusion matrix as a heatmap normalised by row
    // (true classes down, predicted across; clicking a cell or a class label emits the class pair).
    // Every chart zooms with the wheel, pans by dragging, resets on double click, and exports as PNG,
    // SVG or CSV.
    class TrainingCharts : public QWidget {
        Q_OBJECT
    public:
        enum class Chart { PerClassIou, LearningRate, Confusion };

        explicit TrainingCharts(QWidget* parent = nullptr);

        void clear();
        // Appends one epoch (per-class IoU, learning rate) and shows its confusion matrix.
        void addEpoch(const msup::EpochMetrics& metrics);

        QCustomPlot* chart(Chart which) const;
        void showChart(Chart which);
        int classCount() const { return m_classNames.size(); }
        bool isClassVisible(int c) const;
        void setClassVisible(int c, bool visible);
        // Row-normalised share of class `truth` predicted as `prediction` in the latest epoch.
        double confusionShare(int truth, int prediction) const;
        // Writes `which` as PNG, SVG or CSV according to the suffix of `path`, atomically. Throws
        // msup::Error naming the file.
        void exportChart(Chart which, const QString& path) const;

    Q_SIGNALS:
        // A confusion-matrix cell (truth, prediction), or a class label (c, -1), was clicked.
        void confusionCellClicked(int truth, int prediction);

    private:
        void ensureClasses(const QStringList& names);
        void updateConfusion();
        void exportDialog();
        QByteArray csv(Chart which) const;
        QCustomPlot* makeChart(const QString& objectName);

        QTabWidget* m_tabs = nullptr;
        QCustomPlot* m_iou = nullptr;
        QCustomPlot* m_lr = nullptr;
        QCustomPlot* m_confusionPlot = nullptr;
        QCPColorMap* m_confusionMap = nullptr;
        QStringList m_classNames;
        QVector<qint64> m_confusion; // latest epoch, K×K
        int m_confusionEpoch = 0;
    };

} // namespace ui
} // namespace msup
