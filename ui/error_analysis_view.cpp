#include "ui/error_analysis_view.h"

#include "core/data/image_io.h"
#include "core/io/overlay.h"
#include "core/train/error_analysis.h"
#include "core/train/run_folder.h"
#include "core/train/training_session.h"
#include "ui/job_runner.h"
#include "ui/widgets.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace msup {
namespace ui {

    namespace {

        constexpr int kThumbnail = 192; // the longer side of the pictures in the table, in pixels

        enum Column { ColumnImage, ColumnErrors, ColumnMasked, ColumnCount };

        // Small model sizes are enlarged without smoothing, so that each pixel stays visible.
        QPixmap thumbnail(const QImage& image)
        {
            if (image.isNull())
                return {};
            const bool enlarge = image.width() < kThumbnail && image.height() < kThumbnail;
            return QPixmap::fromImage(image.scaled(kThumbnail, kThumbnail, Qt::KeepAspectRatio,
                enlarge ? Qt::FastTransformation : Qt::SmoothTransformation));
        }

        QString swatch(const QColor& color)
        {
            return QStringLiteral("<span style=\"background-color:%1\">&nbsp;&nbsp;&nbsp;&nbsp;</span>")
                .arg(color.name());
        }

        // Runs on the worker thread: the engine's analysis, turned into images.
        ErrorAnalysisView::Result analyseJob(
            const QString& runDir, int truth, int prediction, int count, msup::Progress& progress)
        {
            const msup::ErrorAnalysis a
                = msup::analyseValidationErrors(runDir, truth, prediction, count, progress);
            ErrorAnalysisView::Result r;
            r.epoch = a.epoch;
            r.checkpointEpoch = a.checkpointEpoch;
            r.weightsMatch = a.weightsMatch;
            r.masked = a.masked;
            r.imagesWithError = a.imagesWithError;
            r.classNames = a.classNames;
            r.cancelled = progress.isCancelled();
            for (const msup::ErrorExample& e : a.examples) {
                ErrorAnalysisView::Row row;
                row.id = e.rank.id;
                row.pixels = e.rank.pixels;
                row.recomputed = e.recomputedPixels;
                row.truePositives = e.counts.truePositive;
                row.falsePositives = e.counts.falsePositive;
                row.falseNegatives = e.counts.falseNegative;
                row.image = msup::rgbToQImage(e.image);
                row.errors = msup::errorOverlay(e.image, e.codes, 0.6);
                if (!e.masked.empty())
                    row.masked = msup::rgbToQImage(e.masked);
                r.rows << row;
            }
            return r;
        }

    } // namespace

    ErrorAnalysisView::ErrorAnalysisView(QWidget* parent)
        : QDialog(parent)
        , m_runner(new JobRunner(this))
    {
        setObjectName(QStringLiteral("errorAnalysisView"));
        setWindowTitle(tr("Worst validation images"));
        setModal(false);
        connect(m_runner, &JobRunner::progress, this,
            [this](int done, int total) { onProgress(m_jobGeneration, done, total); });
        connect(m_runner, &JobRunner::failed, this, [this](const QString& message) {
            Result failure;
            failure.error = message;
            onResult(m_jobGeneration, failure);
        });
        auto* layout = new QVBoxLayout(this);

        m_titleLabel = new QLabel(this);
        m_titleLabel->setObjectName(QStringLiteral("errorAnalysisTitle"));
        m_titleLabel->setWordWrap(true);
        QFont bold = m_titleLabel->font();
        bold.setBold(true);
        m_titleLabel->setFont(bold);
        layout->addWidget(m_titleLabel);

        m_legendLabel = new QLabel(this);
        m_legendLabel->setObjectName(QStringLiteral("errorAnalysisLegend"));
        m_legendLabel->setTextFormat(Qt::RichText);
        m_legendLabel->setWordWrap(true);
        layout->addWidget(m_legendLabel);

        auto* row = new QHBoxLayout;
        m_messageLabel = new QLabel(this);
        m_messageLabel->setObjectName(QStringLiteral("errorAnalysisMessage"));
        m_messageLabel->setWordWrap(true);
        row->addWidget(m_messageLabel, 1);
        m_progress = new QProgressBar(this);
        m_progress->setObjectName(QStringLiteral("errorAnalysisProgress"));
        m_progress->setVisible(false);
        row->addWidget(m_progress);
        m_cancelButton = pushButton(
            tr("Cancel"), QStringLiteral("errorAnalysisCancel"), {}, this, this, &ErrorAnalysisView::cancel);
        m_cancelButton->setVisible(false);
        row->addWidget(m_cancelButton);
        auto* countLabel = new QLabel(tr("Images:"), this);
        row->addWidget(countLabel);
        m_countSpin = new QSpinBox(this);
        m_countSpin->setObjectName(QStringLiteral("errorAnalysisCount"));
        m_countSpin->setRange(1, 64);
        m_countSpin->setValue(8);
        m_countSpin->setToolTip(tr("How many of the worst images to show"));
        countLabel->setBuddy(m_countSpin);
        connect(m_countSpin, &QSpinBox::editingFinished, this, [this] {
            if (!m_runDir.isEmpty() && m_countSpin->value() != m_rows.size())
                analyse(m_runDir, m_truth, m_prediction);
        });
        row->addWidget(m_countSpin);
        layout->addLayout(row);

        m_table = new QTableWidget(0, ColumnCount, this);
        m_table->setObjectName(QStringLiteral("errorAnalysisTable"));
        m_table->setHorizontalHeaderLabels({ tr("Image"), tr("Prediction errors"), tr("Masked input") });
        m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
        m_table->setIconSize(QSize(kThumbnail, kThumbnail));
        m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        m_table->horizontalHeader()->setStretchLastSection(true);
        layout->addWidget(m_table, 1);

        auto* buttons = new QHBoxLayout;
        buttons->addStretch(1);
        auto* close = new QPushButton(tr("Close"), this);
        connect(close, &QPushButton::clicked, this, &QDialog::close);
        buttons->addWidget(close);
        layout->addLayout(buttons);

        resize(760, 640);
        updateLegend();
    }

    ErrorAnalysisView::~ErrorAnalysisView()
    {
        // ~QDialog hides the window, which ends the spin box's editing: no new analysis then.
        disconnect(m_countSpin, nullptr, this, nullptr);
        // The runner stops the analysis within one image and waits for it.
    }

    void ErrorAnalysisView::setImageCount(int n)
    {
        m_countSpin->setValue(n);
    }

    int ErrorAnalysisView::imageCount() const
    {
        return m_countSpin->value();
    }

    QString ErrorAnalysisView::message() const
    {
        return m_messageLabel->text();
    }

    QString ErrorAnalysisView::title() const
    {
        return m_titleLabel->text();
    }

    void ErrorAnalysisView::analyse(const QString& runDir, int truth, int prediction)
    {
        m_runner->cancel(); // abandoned: its result is dropped (another generation)
        setBusy(false);
        ++m_generation;
        m_runDir = runDir;
        m_truth = truth;
        m_prediction = prediction;
        m_rows.clear();
        m_table->setRowCount(0);
        // The class names for the title until the result comes: the run's config is small.
        const msup::RunFolder run(runDir);
        if (run.has(msup::RunFile::Config)) {
            m_classNames.clear();
            for (const QJsonValue& c : run.readConfig().value(QStringLiteral("classes")).toArray())
                m_classNames << c.toString();
        }
        updateTitle();
        updateLegend();
        // What can be told without reading anything large.
        if (!run.has(msup::RunFile::ValidationErrors)) {
            showMessage(tr("No validation has finished in this run yet: the worst images can be shown "
                           "after the first epoch."));
            Q_EMIT analysisFinished();
            return;
        }
        if (!run.has(msup::RunFile::LastCheckpoint)) {
            showMessage(tr("The run has no checkpoint yet (checkpoints/last.pt) to predict the "
                           "validation images with."));
            Q_EMIT analysisFinished();
            return;
        }
        showMessage(tr("Finding the worst validation images…"));
        m_progress->setRange(0, 0);
        setBusy(true);

        const int generation = m_generation;
        const int count = imageCount();
        m_jobGeneration = generation;
        // A cancelled analysis returns the images done so far (Result::cancelled says so).
        m_runner->start<Result>(
            [runDir, truth, prediction, count](
                msup::Progress& progress) { return analyseJob(runDir, truth, prediction, count, progress); },
            [this, generation](const Result& result) { onResult(generation, result); },
            JobRunner::OnCancel::DeliverResult);
    }

    void ErrorAnalysisView::cancel()
    {
        if (!m_busy)
            return;
        // The job ends within one image and returns what it has done.
        m_runner->cancel();
        m_cancelButton->setEnabled(false);
        showMessage(tr("Cancelling…"));
    }

    void ErrorAnalysisView::onProgress(int generation, int done, int total)
    {
        if (generation != m_generation || !m_busy || m_runner->isCancelRequested())
            return;
        m_progress->setRange(0, std::max(1, total));
        m_progress->setValue(std::min(done, total));
        const int images = total / 2;
        showMessage(done <= images ? tr("Reading image %1 of %2…").arg(done).arg(images)
                                   : tr("Predicting image %1 of %2…").arg(done - images).arg(images));
    }

    void ErrorAnalysisView::onResult(int generation, const Result& r)
    {
        if (generation != m_generation)
            return; // overtaken by a newer request or cancelled
        setBusy(false);
        if (!r.error.isEmpty()) {
            showMessage(tr("The images could not be analysed: %1").arg(r.error));
            Q_EMIT analysisFinished();
            return;
        }
        m_classNames = r.classNames;
        m_rows = r.rows;
        updateTitle();
        updateLegend();
        const QLocale locale;
        m_table->setHorizontalHeaderLabels({ tr("Image"), tr("Prediction errors (epoch %1)").arg(r.epoch),
            r.masked ? tr("Masked input (epoch %1)").arg(r.epoch) : tr("Masked input") });
        m_table->setRowCount(int(m_rows.size()));
        for (int i = 0; i < m_rows.size(); ++i) {
            const Row& row = m_rows[i];
            QString text = tr("%1\n%2 error pixels").arg(row.id, locale.toString(row.pixels));
            text += QLatin1Char('\n')
                + tr("TP %1 · FP %2 · FN %3")
                      .arg(locale.toString(row.truePositives), locale.toString(row.falsePositives),
                          locale.toString(row.falseNegatives));
            auto* idItem = new QTableWidgetItem(text);
            idItem->setData(Qt::UserRole, row.id);
            if (row.recomputed != row.pixels)
                idItem->setToolTip(
                    tr("Predicted again now: %1 error pixels").arg(locale.toString(row.recomputed)));
            m_table->setItem(i, ColumnImage, idItem);
            auto* errors = new QTableWidgetItem;
            errors->setData(Qt::DecorationRole, thumbnail(row.errors));
            m_table->setItem(i, ColumnErrors, errors);
            auto* masked = new QTableWidgetItem;
            if (row.masked.isNull())
                masked->setText(tr("(baseline run: no masked input)"));
            else
                masked->setData(Qt::DecorationRole, thumbnail(row.masked));
            m_table->setItem(i, ColumnMasked, masked);
        }

        QString text;
        if (r.imagesWithError == 0)
            text = tr("No validation image of epoch %1 has this error.").arg(r.epoch);
        else
            text = tr("The %n worst of %1 validation image(s) with this error, epoch %2.", nullptr,
                int(m_rows.size()))
                       .arg(r.imagesWithError)
                       .arg(r.epoch);
        if (r.cancelled)
            text += QLatin1Char(' ') + tr("Cancelled: not every image was predicted.");
        if (!r.weightsMatch)
            text += QLatin1Char(' ')
                + tr("No checkpoint holds the weights of epoch %1; the predictions shown are those of the "
                     "latest checkpoint (epoch %2) and may differ from the counts.")
                      .arg(r.epoch)
                      .arg(r.checkpointEpoch);
        showMessage(text);
        Q_EMIT analysisFinished();
    }

    void ErrorAnalysisView::showMessage(const QString& text)
    {
        m_messageLabel->setText(text);
    }

    void ErrorAnalysisView::setBusy(bool busy)
    {
        m_busy = busy;
        m_cancelButton->setEnabled(true);
        m_progress->setVisible(busy);
        m_cancelButton->setVisible(busy);
    }

    void ErrorAnalysisView::updateTitle()
    {
        auto name = [this](int c) {
            return c >= 0 && c < m_classNames.size() ? m_classNames[c] : QString::number(c);
        };
        if (m_prediction < 0 || m_prediction == m_truth)
            m_titleLabel->setText(tr("Every error of class “%1”: its pixels predicted as another class and "
                                     "other pixels predicted as “%1”")
                                      .arg(name(m_truth)));
        else
            m_titleLabel->setText(
                tr("Pixels of class “%1” predicted as “%2”").arg(name(m_truth), name(m_prediction)));
    }

    void ErrorAnalysisView::updateLegend()
    {
        const QVector<QColor> colors = msup::errorColors();
        const QString c = m_classNames.value(m_truth, QString::number(m_truth));
        m_legendLabel->setText(
            tr("%1 correct “%4” (true positive) &nbsp; %2 predicted “%4”, is another class (false positive) "
               "&nbsp; %3 is “%4”, predicted another class (false negative)")
                .arg(swatch(colors[msup::ErrorTruePositive]), swatch(colors[msup::ErrorFalsePositive]),
                    swatch(colors[msup::ErrorFalseNegative]), c.toHtmlEscaped()));
    }

} // namespace ui
} // namespace msup
