#include "ui/dataset_report_dialog.h"

#include "ui/format.h"
#include "ui/job_runner.h"
#include "ui/sample_dataset_dialog.h"
#include "ui/widgets.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

#include "ui/qcustomplot_include.h"

namespace msup {
namespace ui {

    namespace {

        const QString kShowOnOpenKey = QStringLiteral("dataset/reportOnOpen");
        constexpr int kMaxBarLabels = 12; // percentages written over the bars up to this many classes

        QString sizeText(const QSize& size)
        {
            return DatasetReportDialog::tr("%1 × %2 px").arg(size.width()).arg(size.height());
        }

    } // namespace

    DatasetReportDialog::DatasetReportDialog(const msup::Dataset& dataset, QWidget* parent)
        : QDialog(parent)
        , m_dataset(dataset)
        , m_runner(new JobRunner(this))
    {
        setObjectName(QStringLiteral("datasetReportDialog"));
        setWindowTitle(tr("Dataset report — %1").arg(QFileInfo(QDir::cleanPath(dataset.root)).fileName()));
        setSizeGripEnabled(true);
        buildUi();
        fillIndexFacts();
        connect(m_runner, &JobRunner::progress, this, [this](int done) { onProgress(done); });
        connect(m_runner, &JobRunner::failed, this, &DatasetReportDialog::onFailed);
        resize(780, 760);
    }

    // The runner stops the check after its current chunk and waits for it.
    DatasetReportDialog::~DatasetReportDialog() = default;

    bool DatasetReportDialog::showOnOpen()
    {
        return QSettings().value(kShowOnOpenKey, true).toBool();
    }

    void DatasetReportDialog::setShowOnOpen(bool show)
    {
        QSettings().setValue(kShowOnOpenKey, show);
    }

    void DatasetReportDialog::buildUi()
    {
        auto* layout = new QVBoxLayout(this);
        auto* form = new QFormLayout;
        auto addRow = [&](const QString& caption, const char* name) {
            auto* label = textLabel(QLatin1String(name), this);
            form->addRow(caption, label);
            return label;
        };
        m_folderLabel = addRow(tr("Folder:"), "reportFolderLabel");
        m_formatLabel = addRow(tr("Format:"), "reportFormatLabel");
        m_classesLabel = addRow(tr("Classes:"), "reportClassesLabel");
        m_classesLabel->setTextFormat(Qt::RichText);
        m_splitsLabel = addRow(tr("Samples:"), "reportSplitsLabel");
        m_sizesLabel = addRow(tr("Image sizes:"), "reportSizesLabel");
        m_checkedLabel = addRow(tr("Checked:"), "reportCheckedLabel");
        layout->addLayout(form);

        auto* progressRow = new QHBoxLayout;
        m_progress = new QProgressBar(this);
        m_progress->setObjectName(QStringLiteral("reportProgress"));
        m_progress->setRange(0, std::max(1, int(m_dataset.samples.size())));
        m_progress->setValue(0);
        m_progress->setFormat(tr("Decoding %v of %m pairs…"));
        m_cancelButton = pushButton(tr("Cancel"), QStringLiteral("reportCancelButton"),
            tr("Stop checking; the report then covers the pairs checked so far"), this, this,
            &DatasetReportDialog::cancel);
        progressRow->addWidget(m_progress, 1);
        progressRow->addWidget(m_cancelButton);
        layout->addLayout(progressRow);

        auto* splitter = new QSplitter(Qt::Vertical, this);
        m_chart = new QCustomPlot(splitter);
        m_chart->setObjectName(QStringLiteral("classFrequencyChart"));
        m_chart->setMinimumHeight(200);
        m_chart->yAxis->setLabel(tr("Share of labelled pixels (%)"));
        m_chart->xAxis->setLabel(tr("Class"));
        m_chart->xAxis->grid()->setVisible(false);
        m_chart->yAxis->setRange(0, 100);
        splitter->addWidget(m_chart);

        auto* problemsBox = new QWidget(splitter);
        auto* problemsLayout = new QVBoxLayout(problemsBox);
        problemsLayout->setContentsMargins(0, 0, 0, 0);
        m_problemsCaption = new QLabel(problemsBox);
        m_problemsCaption->setObjectName(QStringLiteral("reportProblemsCaption"));
        m_problems = new QTreeWidget(problemsBox);
        m_problems->setObjectName(QStringLiteral("reportProblems"));
        m_problems->setRootIsDecorated(false);
        m_problems->setAlternatingRowColors(true);
        m_problems->setWordWrap(true);
        m_problems->setHeaderLabels({ tr("Severity"), tr("File"), tr("Problem"), tr("Fix") });
        m_problems->header()->setStretchLastSection(true);
        m_problems->setColumnWidth(0, 90);
        m_problems->setColumnWidth(1, 180);
        m_problems->setColumnWidth(2, 250);
        problemsLayout->addWidget(m_problemsCaption);
        problemsLayout->addWidget(m_problems, 1);
        splitter->addWidget(problemsBox);
        splitter->setStretchFactor(0, 3);
        splitter->setStretchFactor(1, 2);
        splitter->setSizes({ 330, 220 });
        layout->addWidget(splitter, 1);

        auto* bottom = new QHBoxLayout;
        m_showOnOpen = new QCheckBox(tr("Check every file when a dataset is opened"), this);
        m_showOnOpen->setObjectName(QStringLiteral("reportOnOpenCheck"));
        m_showOnOpen->setChecked(showOnOpen());
        connect(m_showOnOpen, &QCheckBox::toggled, this, [](bool on) { setShowOnOpen(on); });
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
        QPushButton* copy = buttons->addButton(tr("&Copy report"), QDialogButtonBox::ActionRole);
        copy->setObjectName(QStringLiteral("copyReportButton"));
        connect(copy, &QPushButton::clicked, this, &DatasetReportDialog::copyReport);
        connect(buttons, &QDialogButtonBox::rejected, this, &DatasetReportDialog::reject);
        bottom->addWidget(m_showOnOpen, 1);
        bottom->addWidget(buttons);
        layout->addLayout(bottom);
    }

    QString DatasetReportDialog::splitCounts() const
    {
        const int total = int(m_dataset.samples.size());
        QString text = tr("%n pair(s)", nullptr, total);
        if (m_dataset.officialSplits.isEmpty())
            return text + QStringLiteral(" — ")
                + tr("no official split (training makes a seeded split and saves it with the run)");
        QStringList parts;
        int unassigned = 0;
        for (const QString& split : m_dataset.officialSplits) {
            const int n = int(std::count_if(m_dataset.samples.cbegin(), m_dataset.samples.cend(),
                [&split](const msup::Sample& s) { return s.split == split; }));
            parts << tr("%1: %2").arg(split).arg(n);
        }
        for (const msup::Sample& s : m_dataset.samples)
            if (!m_dataset.officialSplits.contains(s.split))
                ++unassigned;
        if (unassigned > 0)
            parts << tr("no split: %1").arg(unassigned);
        return text + QStringLiteral(" — ") + parts.join(QStringLiteral(" · "));
    }

    void DatasetReportDialog::fillIndexFacts()
    {
        m_folderLabel->setText(QDir::toNativeSeparators(m_dataset.root));
        m_formatLabel->setText(datasetFormatText(m_dataset));
        QStringList classes;
        for (int i = 0; i < m_dataset.classNames.size(); ++i) {
            const QColor color = m_dataset.classColors.value(i, QColor(Qt::gray));
            classes << QStringLiteral("<span style=\"color:%1\">■</span>&nbsp;%2")
                           .arg(color.name(), m_dataset.classNames[i].toHtmlEscaped());
        }
        QString classText
            = tr("%1 classes: %2").arg(m_dataset.numClasses()).arg(classes.join(QStringLiteral(", ")));
        if (m_dataset.ignoreIndex >= 0 && m_dataset.ignoreIndex < 256)
            classText
                += QStringLiteral(" — ") + tr("label %1 = void").arg(m_dataset.ignoreIndex).toHtmlEscaped();
        m_classesLabel->setText(classText);
        m_splitsLabel->setText(splitCounts());
        m_sizesLabel->setText(tr("known once the pairs are decoded"));
        m_checkedLabel->setText(tr("not yet"));
        fillProblems();
        fillChart();
    }

    void DatasetReportDialog::start()
    {
        if (m_running || m_finished)
            return;
        m_running = true;
        m_cancelRequested = false;
        const msup::Dataset dataset = m_dataset;
        // A cancelled check still delivers its report (it covers the pairs checked so far).
        m_runner->start<msup::DatasetReport>(
            [dataset](msup::Progress& progress) { return msup::validateDataset(dataset, progress); },
            [this](msup::DatasetReport report) {
                m_report = std::move(report);
                onFinished();
            },
            JobRunner::OnCancel::DeliverResult);
        m_checkedLabel->setText(tr("decoding every pair…"));
    }

    void DatasetReportDialog::cancel()
    {
        if (!m_running)
            return;
        m_cancelRequested = true;
        m_runner->cancel();
        m_cancelButton->setEnabled(false);
        m_progress->setFormat(tr("Cancelling…"));
    }

    void DatasetReportDialog::reject()
    {
        cancel();
        QDialog::reject();
    }

    void DatasetReportDialog::onProgress(int done)
    {
        if (m_running && !m_cancelRequested)
            m_progress->setValue(done);
    }

    void DatasetReportDialog::onFailed(const QString& message)
    {
        m_report = {};
        m_error = message;
        onFinished();
    }

    void DatasetReportDialog::onFinished()
    {
        m_running = false;
        m_finished = true;
        const int total = int(m_dataset.samples.size());
        m_cancelled = m_cancelRequested && m_report.checked < total;
        m_cancelButton->setVisible(false);
        m_progress->setVisible(false);

        if (!m_error.isEmpty()) {
            m_checkedLabel->setText(tr("the check failed: %1").arg(m_error));
        } else {
            int errors = 0, warnings = 0;
            for (const msup::DatasetProblem& p : std::as_const(m_report.problems))
                (p.severity == msup::DatasetProblem::Severity::Error ? errors : warnings)++;
            QString text = m_cancelled
                ? tr("cancelled after %1 of %n pair(s): the figures cover those only", nullptr, total)
                      .arg(m_report.checked)
                : tr("%n pair(s) decoded", nullptr, m_report.checked);
            text += QStringLiteral(" — ") + tr("%n error(s)", nullptr, errors) + QStringLiteral(", ")
                + tr("%n warning(s)", nullptr, warnings);
            if (!m_report.badSamples.isEmpty())
                text += QStringLiteral(" — ")
                    + tr("%n pair(s) cannot be used for training", nullptr, int(m_report.badSamples.size()));
            m_checkedLabel->setText(text);
        }
        if (m_report.minSize.isValid()) {
            m_sizesLabel->setText(m_report.minSize == m_report.maxSize
                    ? tr("all %1").arg(sizeText(m_report.minSize))
                    : tr("from %1 to %2").arg(sizeText(m_report.minSize), sizeText(m_report.maxSize)));
        } else {
            m_sizesLabel->setText(tr("no readable image"));
        }
        fillChart();
        fillProblems();
        Q_EMIT reportReady();
    }

    void DatasetReportDialog::fillChart()
    {
        m_chart->clearPlottables();
        m_chart->clearItems();
        const int classes = m_dataset.numClasses();
        qint64 labelled = 0;
        for (qint64 pixels : std::as_const(m_report.classPixels))
            labelled += pixels;
        m_chartValues.clear();
        auto ticker = QSharedPointer<QCPAxisTickerText>::create();
        double top = 0;
        for (int k = 0; k < classes; ++k) {
            const qint64 pixels = m_report.classPixels.value(k, 0);
            const double share = labelled > 0 ? 100.0 * double(pixels) / double(labelled) : 0.0;
            m_chartValues << share;
            top = std::max(top, share);
            ticker->addTick(k, m_dataset.classNames[k]);
            auto* bars = new QCPBars(m_chart->xAxis, m_chart->yAxis);
            const QColor color = m_dataset.classColors.value(k, QColor(Qt::gray));
            bars->setName(m_dataset.classNames[k]);
            bars->setWidth(0.7);
            bars->setBrush(color);
            bars->setPen(QPen(color.darker(140)));
            bars->addData(k, share);
            if (m_finished && classes <= kMaxBarLabels) {
                auto* label = new QCPItemText(m_chart);
                label->position->setType(QCPItemPosition::ptPlotCoords);
                label->position->setCoords(k, share);
                label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
                label->setText(tr("%1 %").arg(formatNumber(share, share < 1 ? 2 : 1)));
                label->setClipToAxisRect(false);
            }
        }
        m_chart->xAxis->setTicker(ticker);
        m_chart->xAxis->setTickLabelRotation(classes > 6 ? 60 : 0);
        m_chart->xAxis->setRange(-0.6, std::max(0, classes - 1) + 0.6);
        m_chart->yAxis->setRange(0, top > 0 ? std::min(100.0, top * 1.15 + 1) : 100);
        qint64 all = labelled + m_report.voidPixels;
        QString title;
        if (!m_finished)
            title = tr("Class pixel frequencies: known once the pairs are decoded");
        else if (all > 0)
            title = tr("Class pixel frequencies (void: %1 % of all pixels)")
                        .arg(formatNumber(100.0 * double(m_report.voidPixels) / double(all), 2));
        else
            title = tr("Class pixel frequencies: no readable label map");
        if (m_chart->plotLayout()->rowCount() < 2) {
            m_chart->plotLayout()->insertRow(0);
            m_chart->plotLayout()->addElement(0, 0, new QCPTextElement(m_chart, title));
        } else if (auto* element = qobject_cast<QCPTextElement*>(m_chart->plotLayout()->element(0, 0))) {
            element->setText(title);
        }
        m_chart->replot(QCustomPlot::rpQueuedReplot);
    }

    void DatasetReportDialog::fillProblems()
    {
        m_problems->clear();
        const QVector<msup::DatasetProblem>& problems = m_finished ? m_report.problems : m_dataset.problems;
        const QDir root(m_dataset.root);
        const QIcon errorIcon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
        const QIcon warningIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
        for (const msup::DatasetProblem& p : problems) {
            const bool error = p.severity == msup::DatasetProblem::Severity::Error;
            const QString relative = p.file.isEmpty() ? QString()
                : (QFileInfo(p.file).isAbsolute()
                      && !root.relativeFilePath(p.file).startsWith(QLatin1String("..")))
                ? QDir::toNativeSeparators(root.relativeFilePath(p.file))
                : QDir::toNativeSeparators(p.file);
            const QString fix = !p.fix.isEmpty() ? p.fix
                : error
                ? tr("Replace or re-export this file, or remove the pair, then open the dataset again.")
                : tr("Check the file; the pair is kept.");
            auto* item = new QTreeWidgetItem(m_problems,
                { error ? tr("Error") : tr("Warning"), relative.isEmpty() ? tr("(dataset)") : relative,
                    p.message, fix });
            item->setIcon(0, error ? errorIcon : warningIcon);
            item->setToolTip(1, QDir::toNativeSeparators(p.file));
            item->setToolTip(2, p.message);
            item->setToolTip(3, fix);
        }
        if (problems.isEmpty())
            m_problemsCaption->setText(
                m_finished ? tr("No problems found.") : tr("No problems found while indexing."));
        else
            m_problemsCaption->setText(m_finished
                    ? tr("%n problem(s), each with its file and the fix:", nullptr, int(problems.size()))
                    : tr("%n problem(s) found while indexing (decoding may find more):", nullptr,
                        int(problems.size())));
    }

    int DatasetReportDialog::problemCount() const
    {
        return m_problems->topLevelItemCount();
    }

    QString DatasetReportDialog::reportText() const
    {
        QStringList lines;
        lines << tr("Folder: %1").arg(m_folderLabel->text());
        lines << tr("Format: %1").arg(m_formatLabel->text());
        lines << tr("Classes: %1").arg(m_dataset.classNames.join(QStringLiteral(", ")));
        lines << tr("Samples: %1").arg(m_splitsLabel->text());
        lines << tr("Image sizes: %1").arg(m_sizesLabel->text());
        lines << tr("Checked: %1").arg(m_checkedLabel->text());
        for (int k = 0; k < m_chartValues.size() && k < m_dataset.classNames.size(); ++k)
            lines << tr("  %1: %2 % of labelled pixels")
                         .arg(m_dataset.classNames[k], formatNumber(m_chartValues[k], 2));
        lines << m_problemsCaption->text();
        for (int i = 0; i < m_problems->topLevelItemCount(); ++i) {
            const QTreeWidgetItem* item = m_problems->topLevelItem(i);
            lines << QStringLiteral("  %1: %2: %3 %4")
                         .arg(item->text(0), item->toolTip(1), item->text(2), item->text(3));
        }
        return lines.join(QLatin1Char('\n'));
    }

    void DatasetReportDialog::copyReport()
    {
        QApplication::clipboard()->setText(reportText());
    }

} // namespace ui
} // namespace msup
