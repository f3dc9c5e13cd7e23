#include "ui/mask_panel.h"

#include "core/base/error.h"
#include "core/base/rng.h"
#include "core/data/image_io.h"
#include "core/masks/hole_generator.h"
#include "core/masks/mask_set.h"
#include "ui/background_task.h"
#include "ui/format.h"
#include "ui/image_view.h"
#include "ui/job_runner.h"
#include "ui/label_image.h"
#include "ui/widgets.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/qcustomplot_include.h"

namespace msup {
namespace ui {

    struct MaskPreview {
        int requestId = 0;
        QImage mask; // Grayscale8, 255 = hole
        QImage masked; // RGB888, holes mid-grey
        double ratio = -1;
        QString error;
    };

    // The strip: kStripCount masks with their seeds and ratios.
    struct MaskSamples {
        int requestId = 0;
        bool stale = false; // stopped because a newer request came
        QVector<QImage> masks;
        QVector<double> ratios;
        QVector<quint64> seeds;
        QString error;
    };

    struct MaskHistogram {
        int requestId = 0;
        bool stale = false;
        QVector<double> ratios;
        double lo = 0, hi = 0; // the interval they were drawn for
        QString error;
    };

    // One mask file of a folder and its hole ratio at the file's own size.
    struct FolderEntry {
        QString path;
        double ratio = 0;
    };

    // A mask folder as read once: every decodable file (name order), files read, files skipped.
    struct FolderMasks {
        QString folder;
        QVector<FolderEntry> all;
        int scanned = 0;
        QStringList skipped;
        QString error;
    };

    namespace {

        // Streams of the seeds derived from the seed field for the strip and the histogram, so that
        // they do not repeat the preview's mask (which uses the seed itself).
        constexpr std::uint64_t kStripStream = 0x5374;
        constexpr std::uint64_t kHistogramStream = 0x4869;
        constexpr int kThumbSize = 56;
        constexpr int kHistogramBins = 20;

        // The mask of a folder for a seed, as msup::MaskSet::generate draws it from a set loaded
        // for the same interval: the same entries in the same (name) order, the same pick by seed,
        // the same threshold and nearest-neighbour resize. So the preview shows what training uses.
        int pickEntry(const QVector<FolderEntry>& entries, std::uint64_t seed)
        {
            msup::Rng rng(seed);
            return rng.uniformInt(0, int(entries.size()) - 1);
        }

        cv::Mat folderMask(const QVector<FolderEntry>& entries, int width, int height, std::uint64_t seed)
        {
            const FolderEntry& e = entries[pickEntry(entries, seed)];
            const cv::Mat grey = cv::imread(e.path.toStdString(), cv::IMREAD_GRAYSCALE);
            if (grey.empty())
                throw msup::Error("mask can no longer be decoded", e.path.toStdString(),
                    "Check the mask folder was not changed.");
            cv::Mat mask;
            cv::threshold(grey, mask, 127, 255, cv::THRESH_BINARY);
            if (mask.cols == width && mask.rows == height)
                return mask;
            cv::Mat out;
            cv::resize(mask, out, cv::Size(width, height), 0, 0, cv::INTER_NEAREST);
            return out;
        }

        // "(0.5, 0.6]" in the user's locale.
        QString intervalText(double lo, double hi)
        {
            return QStringLiteral("(%1, %2]").arg(formatNumber(lo, 3), formatNumber(hi, 3));
        }

    } // namespace

    MaskPanel::MaskPanel(QWidget* parent)
        : QWidget(parent)
        , m_folderLoader(new JobRunner(this))
        , m_latestStrip(std::make_shared<std::atomic<int>>(0))
        , m_latestHistogram(std::make_shared<std::atomic<int>>(0))
        , m_runner(std::make_unique<LatestTaskRunner<MaskPreview>>(
              this, [this](const MaskPreview& preview) { onPreview(preview); }))
        , m_stripRunner(std::make_unique<LatestTaskRunner<MaskSamples>>(
              this, [this](const MaskSamples& samples) { onStrip(samples); }))
        , m_histogramRunner(std::make_unique<LatestTaskRunner<MaskHistogram>>(
              this, [this](const MaskHistogram& histogram) { onHistogram(histogram); }))
    {
        auto* layout = new QVBoxLayout(this);

        auto* explanation = new QLabel(
            tr("MaskSup trains one network on each image and on a copy with random streaks and holes "
               "removed; the masked branch must still segment the whole image, which teaches it "
               "context. Masks change every step during training; they are never used for "
               "prediction."),
            this);
        explanation->setWordWrap(true);
        layout->addWidget(explanation);

        auto* views = new QGridLayout;
        const QString captions[3]
            = { tr("Image"), tr("Mask (white = removed)"), tr("Masked image (as the network sees it)") };
        const QString tips[3] = { tr("The image selected in the sample list"),
            tr("The mask for the current seed, hole ratio and source (white = pixels removed)"),
            tr("The image with the mask's pixels replaced by mid-grey (0 after normalisation), as the "
               "context branch of the network sees it") };
        ImageView** targets[3] = { &m_imageView, &m_maskView, &m_maskedView };
        const char* names[3] = { "maskSourceView", "maskView", "maskedImageView" };
        for (int i = 0; i < 3; ++i) {
            auto* caption = new QLabel(captions[i], this);
            caption->setAlignment(Qt::AlignCenter);
            *targets[i] = new ImageView(this);
            (*targets[i])->setObjectName(QString::fromLatin1(names[i]));
            (*targets[i])->clear(tr("Select an image in the sample list"));
            (*targets[i])->setToolTip(tips[i]);
            views->addWidget(caption, 0, i);
            views->addWidget(*targets[i], 1, i);
            views->setColumnStretch(i, 1);
        }
        views->setRowStretch(1, 1);
        layout->addLayout(views, 1);

        auto* controls = new QHBoxLayout;
        m_rerollButton = new QPushButton(tr("&Reroll"), this);
        m_rerollButton->setObjectName(QStringLiteral("rerollButton"));
        // Single keys act while the focus is in this panel (other panels use letters too).
        auto* rerollKey = new QShortcut(QKeySequence(Qt::Key_R), this);
        rerollKey->setContext(Qt::WidgetWithChildrenShortcut);
        connect(rerollKey, &QShortcut::activated, m_rerollButton, &QPushButton::click);
        m_rerollButton->setToolTip(tr("Draw a new mask (next seed)  [R]"));
        connect(m_rerollButton, &QPushButton::clicked, this, &MaskPanel::reroll);
        controls->addWidget(m_rerollButton);

        auto* seedCaption = new QLabel(tr("Seed:"), this);
        m_seedSpin = new QSpinBox(this);
        m_seedSpin->setObjectName(QStringLiteral("maskSeedSpin"));
        m_seedSpin->setRange(0, std::numeric_limits<int>::max());
        m_seedSpin->setValue(1);
        m_seedSpin->setToolTip(tr("Seed of the mask shown; the 16 masks of the strip and the 500 of "
                                  "the histogram use seeds derived from it. Same seed, same masks."));
        seedCaption->setBuddy(m_seedSpin);
        connect(m_seedSpin, &QSpinBox::valueChanged, this, &MaskPanel::requestAll);
        controls->addWidget(seedCaption);
        controls->addWidget(m_seedSpin);

        auto* ratioCaption = new QLabel(tr("Hole ratio:"), this);
        m_ratioCombo = new QComboBox(this);
        m_ratioCombo->setObjectName(QStringLiteral("maskRatioCombo"));
        m_ratioCombo->setEditable(true);
        m_ratioCombo->setInsertPolicy(QComboBox::NoInsert);
        // "high" and "low" are shown in the interface language; the value stays the word the
        // config file and the command line take.
        m_ratioCombo->addItem(tr("high"), QStringLiteral("high"));
        m_ratioCombo->addItem(tr("low"), QStringLiteral("low"));
        for (const char* preset : { "0.1-0.2", "0.2-0.3", "0.3-0.4", "0.4-0.5", "0.6-0.7" })
            m_ratioCombo->addItem(QString::fromLatin1(preset), QString::fromLatin1(preset));
        m_ratioCombo->setToolTip(tr("“high” = 50–60 % of the pixels removed (the paper's best "
                                    "setting), “low” = 1–10 %, or a custom range “A-B” with "
                                    "0 ≤ A < B ≤ 1"));
        m_ratioCombo->setMinimumContentsLength(10);
        ratioCaption->setBuddy(m_ratioCombo);
        connect(m_ratioCombo, &QComboBox::currentTextChanged, this, &MaskPanel::onRatioTextChanged);
        controls->addWidget(ratioCaption);
        controls->addWidget(m_ratioCombo);

        // The interval (lo, hi] as two spin boxes, kept in step with the combo box.
        auto* intervalCaption = new QLabel(tr("Interval: ("), this);
        m_loSpin = new QDoubleSpinBox(this);
        m_loSpin->setObjectName(QStringLiteral("maskRatioLowSpin"));
        m_hiSpin = new QDoubleSpinBox(this);
        m_hiSpin->setObjectName(QStringLiteral("maskRatioHighSpin"));
        for (QDoubleSpinBox* spin : { m_loSpin, m_hiSpin }) {
            spin->setRange(0.0, 1.0);
            spin->setDecimals(3);
            spin->setSingleStep(0.01);
            spin->setKeyboardTracking(false);
            connect(spin, &QDoubleSpinBox::valueChanged, this, &MaskPanel::onIntervalSpinChanged);
        }
        m_loSpin->setToolTip(tr("Lower end of the hole-ratio interval (excluded): masks remove more "
                                "than this share of the pixels"));
        m_hiSpin->setToolTip(tr("Upper end of the hole-ratio interval (included): masks remove at "
                                "most this share of the pixels"));
        intervalCaption->setBuddy(m_loSpin);
        // The interval on a row of its own, its boxes and sliders never narrower than they need
        // (in one row with the rest they collapsed to empty squares on narrow docks).
        auto* intervalRow = new QHBoxLayout;
        intervalRow->addWidget(intervalCaption);
        for (QDoubleSpinBox* spin : { m_loSpin, m_hiSpin })
            spin->setMinimumWidth(spin->sizeHint().width());
        intervalRow->addWidget(m_loSpin);
        intervalRow->addWidget(new QLabel(QStringLiteral(","), this));
        intervalRow->addWidget(m_hiSpin);
        intervalRow->addWidget(new QLabel(QStringLiteral("]"), this));
        // The same interval as two sliders in percent, for dragging through the bins.
        m_loSlider = new QSlider(Qt::Horizontal, this);
        m_loSlider->setObjectName(QStringLiteral("maskRatioLowSlider"));
        m_hiSlider = new QSlider(Qt::Horizontal, this);
        m_hiSlider->setObjectName(QStringLiteral("maskRatioHighSlider"));
        for (auto [slider, spin] :
            { std::pair { m_loSlider, m_loSpin }, std::pair { m_hiSlider, m_hiSpin } }) {
            slider->setRange(0, 100);
            slider->setPageStep(10);
            slider->setMinimumWidth(80);
            slider->setMaximumWidth(160);
            slider->setToolTip(spin->toolTip() + tr(" (in percent)"));
            connect(slider, &QSlider::valueChanged, spin, [spin](int v) { spin->setValue(v / 100.0); });
            connect(spin, &QDoubleSpinBox::valueChanged, slider, [slider](double v) {
                const QSignalBlocker block(slider);
                slider->setValue(int(std::lround(v * 100)));
            });
            intervalRow->addWidget(slider);
        }

        // On a line of its own: beside the sliders a narrow dock squeezed it to a few pixels.
        m_measuredLabel = new QLabel(this);
        m_measuredLabel->setObjectName(QStringLiteral("measuredRatioLabel"));
        m_measuredLabel->setToolTip(tr("Share of the pixels the mask shown removes"));
        m_measuredLabel->setWordWrap(true);
        intervalRow->addStretch(1);
        controls->addStretch(1);
        layout->addLayout(controls);
        layout->addLayout(intervalRow);
        layout->addWidget(m_measuredLabel);

        m_ratioErrorLabel = errorLabel(QStringLiteral("ratioErrorLabel"), this);
        layout->addWidget(m_ratioErrorLabel);

        buildSourceRow(layout);
        buildSamplesRow(layout);
        buildBatchRow(layout);

        onRatioTextChanged();
    }

    void MaskPanel::buildSourceRow(QVBoxLayout* layout)
    {
        auto* row = new QHBoxLayout;
        auto* caption = new QLabel(tr("Mask &source:"), this);
        m_sourceCombo = new QComboBox(this);
        m_sourceCombo->setObjectName(QStringLiteral("maskSourceCombo"));
        m_sourceCombo->addItem(tr("Generator"));
        m_sourceCombo->addItem(tr("Mask folder…"));
        m_sourceCombo->setToolTip(tr("Where the masks come from: the built-in generator of streaks and "
                                     "holes, or a folder of mask images (white = hole, e.g. the NVIDIA "
                                     "irregular mask set); only the folder's masks whose hole ratio "
                                     "lies in the interval are used"));
        caption->setBuddy(m_sourceCombo);
        connect(m_sourceCombo, &QComboBox::activated, this, &MaskPanel::onSourceComboActivated);
        row->addWidget(caption);
        row->addWidget(m_sourceCombo);

        m_chooseFolderButton = pushButton(tr("Choose…"), QStringLiteral("chooseMaskFolderButton"),
            tr("Choose another folder of mask images"), this, this, &MaskPanel::chooseMaskFolder);
        m_chooseFolderButton->hide();
        row->addWidget(m_chooseFolderButton);

        m_loadProgress = new QProgressBar(this);
        m_loadProgress->setObjectName(QStringLiteral("maskFolderProgress"));
        m_loadProgress->setToolTip(tr("Reading every mask of the folder once to measure its hole ratio"));
        m_loadProgress->setMaximumWidth(220);
        m_loadProgress->hide();
        row->addWidget(m_loadProgress);
        m_loadCancelButton = pushButton(tr("Cancel"), QStringLiteral("maskFolderCancelButton"),
            tr("Stop reading the mask folder and go back to the generator"), this, this,
            &MaskPanel::cancelMaskFolderLoading);
        m_loadCancelButton->hide();
        row->addWidget(m_loadCancelButton);

        m_sourceStatusLabel = new QLabel(this);
        m_sourceStatusLabel->setObjectName(QStringLiteral("maskSourceStatusLabel"));
        m_sourceStatusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
        row->addWidget(m_sourceStatusLabel, 1);
        layout->addLayout(row);

        m_sourceErrorLabel = errorLabel(QStringLiteral("maskSourceErrorLabel"), this);
        m_sourceErrorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(m_sourceErrorLabel);

        // First: the bar and the button are hidden before the result is handled.
        bindProgress(m_folderLoader, m_loadProgress, m_loadCancelButton);
        connect(m_folderLoader, &JobRunner::failed, this, [this](const QString& message) {
            FolderMasks failure;
            failure.error = message;
            onFolderLoaded(m_jobLoadId, failure);
        });
    }

    void MaskPanel::buildSamplesRow(QVBoxLayout* layout)
    {
        auto* row = new QHBoxLayout;

        auto* stripBox = new QGroupBox(tr("%1 random masks for these settings").arg(kStripCount), this);
        stripBox->setObjectName(QStringLiteral("maskStrip"));
        stripBox->setToolTip(tr("Masks for %1 seeds derived from the seed field, drawn at %2 × %2 px "
                                "as training draws them at its image size")
                                 .arg(kStripCount)
                                 .arg(kSampleSize));
        auto* stripLayout = new QVBoxLayout(stripBox);
        auto* grid = new QGridLayout;
        grid->setSpacing(3);
        for (int i = 0; i < kStripCount; ++i) {
            auto* thumb = new QLabel(stripBox);
            thumb->setObjectName(QStringLiteral("maskThumb%1").arg(i));
            thumb->setFixedSize(kThumbSize, kThumbSize);
            thumb->setAlignment(Qt::AlignCenter);
            thumb->setStyleSheet(QStringLiteral("background: #202020;"));
            grid->addWidget(thumb, i / 8, i % 8);
            m_thumbs << thumb;
        }
        stripLayout->addLayout(grid);
        m_stripLabel = new QLabel(stripBox);
        m_stripLabel->setObjectName(QStringLiteral("maskStripLabel"));
        stripLayout->addWidget(m_stripLabel);
        stripLayout->addStretch(1);
        row->addWidget(stripBox);

        auto* histogramBox
            = new QGroupBox(tr("Hole ratios of %1 masks for these settings").arg(kHistogramSamples), this);
        histogramBox->setToolTip(tr("Histogram of the hole ratios of %1 masks (seeds derived from the "
                                    "seed field); the red lines mark the interval (lo, hi]. For a mask "
                                    "folder, each sampled file's own ratio.")
                                     .arg(kHistogramSamples));
        auto* histogramLayout = new QVBoxLayout(histogramBox);
        m_histogramPlot = new QCustomPlot(histogramBox);
        m_histogramPlot->setObjectName(QStringLiteral("maskHistogramPlot"));
        m_histogramPlot->setMinimumSize(280, 150);
        m_histogramPlot->xAxis->setLabel(tr("hole ratio"));
        m_histogramPlot->yAxis->setLabel(tr("masks"));
        m_histogramBars = new QCPBars(m_histogramPlot->xAxis, m_histogramPlot->yAxis);
        m_histogramBars->setPen(QPen(QColor(0x2c, 0x7f, 0xb8)));
        m_histogramBars->setBrush(QColor(0x2c, 0x7f, 0xb8, 160));
        m_loLine = new QCPItemStraightLine(m_histogramPlot);
        m_hiLine = new QCPItemStraightLine(m_histogramPlot);
        for (QCPItemStraightLine* line : { m_loLine, m_hiLine })
            line->setPen(QPen(QColor(0xc0, 0x39, 0x2b), 1.5, Qt::DashLine));
        histogramLayout->addWidget(m_histogramPlot, 1);
        m_histogramLabel = new QLabel(histogramBox);
        m_histogramLabel->setObjectName(QStringLiteral("maskHistogramLabel"));
        m_histogramLabel->setWordWrap(true); // a long summary (longer languages) wraps, never cut
        histogramLayout->addWidget(m_histogramLabel);
        row->addWidget(histogramBox, 1);

        layout->addLayout(row);
    }

    void MaskPanel::buildBatchRow(QVBoxLayout* layout)
    {
        auto* box = new QGroupBox(tr("One training batch as the network receives it"), this);
        box->setObjectName(QStringLiteral("trainingBatchBox"));
        box->setToolTip(tr("The masked inputs of the context branch for batch 1 of epoch 1 of a run with "
                           "the Training tab's settings (dataset, seed, image size, batch size, "
                           "augmentation, hole ratio, mask source and fill): the same split, order and "
                           "masks as that run"));
        auto* boxLayout = new QVBoxLayout(box);
        auto* row = new QHBoxLayout;
        m_batchButton = new QPushButton(tr("Show trainin&g batch"), box);
        m_batchButton->setObjectName(QStringLiteral("trainingBatchButton"));
        auto* batchKey = new QShortcut(QKeySequence(Qt::Key_B), this);
        batchKey->setContext(Qt::WidgetWithChildrenShortcut);
        connect(batchKey, &QShortcut::activated, m_batchButton, &QPushButton::click);
        m_batchButton->setToolTip(
            tr("Compute the first training batch with the Training tab's settings (B)"));
        connect(m_batchButton, &QPushButton::clicked, this, [this] {
            m_batchButton->setEnabled(false);
            m_batchLabel->setText(tr("Preparing the batch…"));
            Q_EMIT trainingBatchRequested();
        });
        row->addWidget(m_batchButton);
        m_batchLabel = textLabel(QStringLiteral("trainingBatchLabel"), box);
        row->addWidget(m_batchLabel, 1);
        boxLayout->addLayout(row);
        auto* grid = new QHBoxLayout;
        grid->setSpacing(3);
        for (int i = 0; i < 8; ++i) {
            auto* thumb = new QLabel(box);
            thumb->setObjectName(QStringLiteral("trainingBatchThumb%1").arg(i));
            thumb->setFixedSize(kThumbSize * 2, kThumbSize * 2);
            thumb->setAlignment(Qt::AlignCenter);
            thumb->setStyleSheet(QStringLiteral("background: #202020;"));
            grid->addWidget(thumb);
            m_batchThumbs << thumb;
        }
        grid->addStretch(1);
        boxLayout->addLayout(grid);
        layout->addWidget(box);
    }

    void MaskPanel::setTrainingBatch(
        const QVector<QImage>& masked, const QStringList& ids, const QString& caption)
    {
        m_batchButton->setEnabled(true);
        m_batchImages = masked;
        for (int i = 0; i < m_batchThumbs.size(); ++i) {
            QLabel* thumb = m_batchThumbs[i];
            if (i < masked.size()) {
                thumb->setPixmap(QPixmap::fromImage(
                    masked[i].scaled(thumb->size(), Qt::KeepAspectRatio, Qt::FastTransformation)));
                thumb->setToolTip(ids.value(i));
            } else {
                thumb->clear();
                thumb->setToolTip({});
            }
        }
        m_batchLabel->setText(masked.size() > m_batchThumbs.size() ? tr("%1 (the first %2 of %3 images)")
                                                                         .arg(caption)
                                                                         .arg(m_batchThumbs.size())
                                                                         .arg(masked.size())
                                                                   : caption);
    }

    void MaskPanel::setTrainingBatchError(const QString& message)
    {
        m_batchButton->setEnabled(true);
        m_batchImages.clear();
        for (QLabel* thumb : m_batchThumbs)
            thumb->clear();
        m_batchLabel->setText(tr("No batch: %1").arg(message));
    }

    MaskPanel::~MaskPanel()
    {
        // Running jobs hold their own copies of what they need; make them stop early (the folder
        // loader's runner also waits for its job).
        ++*m_latestStrip;
        ++*m_latestHistogram;
    }

    void MaskPanel::setImage(const QImage& rgb)
    {
        m_image = rgb.convertToFormat(QImage::Format_RGB888);
        m_imageView->setImage(m_image);
        requestPreview();
    }

    void MaskPanel::clearImage()
    {
        m_image = QImage();
        ++m_requestId;
        m_runner->dropPending();
        m_measuredRatio = -1;
        m_measuredLabel->clear();
        for (ImageView* view : { m_imageView, m_maskView, m_maskedView })
            view->clear(tr("Select an image in the sample list"));
    }

    int MaskPanel::seed() const
    {
        return m_seedSpin->value();
    }

    void MaskPanel::setSeed(int seed)
    {
        m_seedSpin->setValue(seed);
    }

    QString MaskPanel::ratioText() const
    {
        // A listed entry gives its value (its text may be translated), a typed range its text.
        const int i = m_ratioCombo->findText(m_ratioCombo->currentText());
        return i >= 0 ? m_ratioCombo->itemData(i).toString() : m_ratioCombo->currentText().trimmed();
    }

    void MaskPanel::setRatioText(const QString& text)
    {
        const int i = m_ratioCombo->findData(text.trimmed());
        if (i >= 0)
            m_ratioCombo->setCurrentIndex(i);
        else
            m_ratioCombo->setCurrentText(text);
    }

    QImage MaskPanel::maskImage() const
    {
        return m_maskView->image();
    }

    QImage MaskPanel::maskedImage() const
    {
        return m_maskedView->image();
    }

    void MaskPanel::reroll()
    {
        if (m_seedSpin->value() < m_seedSpin->maximum())
            m_seedSpin->setValue(m_seedSpin->value() + 1);
        else
            m_seedSpin->setValue(0);
    }

    void MaskPanel::onRatioTextChanged()
    {
        const QString text = ratioText();
        try {
            const msup::HoleRatioRange range = msup::HoleRatioRange::parse(text.toStdString());
            m_ratioError.clear();
            m_ratioErrorLabel->hide();
            m_ratioCombo->setStyleSheet(QString());
            {
                const QSignalBlocker blockLo(m_loSpin);
                const QSignalBlocker blockHi(m_hiSpin);
                m_loSpin->setValue(range.lo);
                m_hiSpin->setValue(range.hi);
                const QSignalBlocker blockLoSlider(m_loSlider);
                const QSignalBlocker blockHiSlider(m_hiSlider);
                m_loSlider->setValue(int(std::lround(range.lo * 100)));
                m_hiSlider->setValue(int(std::lround(range.hi * 100)));
            }
            Q_EMIT holeRatioChanged();
            if (range.lo == m_lo && range.hi == m_hi && m_rangeApplied)
                return;
            m_rangeApplied = true;
            m_lo = range.lo;
            m_hi = range.hi;
            if (m_folder)
                refilterFolder(); // requests everything
            else
                requestAll();
        } catch (const std::exception& e) {
            m_ratioError = QString::fromLocal8Bit(e.what());
            m_ratioErrorLabel->setText(tr("Invalid hole ratio: %1").arg(m_ratioError));
            m_ratioErrorLabel->show();
            m_ratioCombo->setStyleSheet(QStringLiteral("QComboBox { color: #c0392b; }"));
        }
    }

    void MaskPanel::onIntervalSpinChanged()
    {
        // "A-B" in the C locale, as HoleRatioRange::parse reads it.
        const QString text
            = QString::number(m_loSpin->value()) + QLatin1Char('-') + QString::number(m_hiSpin->value());
        if (text != ratioText())
            setRatioText(text);
    }

    // --- mask source ---------------------------------------------------------------------------

    QString MaskPanel::maskFolder() const
    {
        if (m_folder)
            return m_folder->folder;
        return m_loading ? m_pendingFolder : QString();
    }

    int MaskPanel::maskFolderKept() const
    {
        return m_folderEntries ? int(m_folderEntries->size()) : 0;
    }

    int MaskPanel::maskFolderScanned() const
    {
        return m_folder ? m_folder->scanned : 0;
    }

    QStringList MaskPanel::maskFolderSkipped() const
    {
        return m_folder ? m_folder->skipped : QStringList();
    }

    QString MaskPanel::maskSourceStatus() const
    {
        return m_folder ? m_sourceStatusLabel->text() : QString();
    }

    void MaskPanel::setSourceCombo(Source source)
    {
        const QSignalBlocker block(m_sourceCombo);
        m_sourceCombo->setCurrentIndex(source == Source::Generator ? 0 : 1);
        m_chooseFolderButton->setVisible(source == Source::Folder);
    }

    void MaskPanel::onSourceComboActivated(int index)
    {
        if (index == 0) {
            if (m_source != Source::Generator || m_loading)
                useGenerator();
            return;
        }
        chooseMaskFolder();
    }

    void MaskPanel::chooseMaskFolder()
    {
        const QString start = maskFolder().isEmpty() ? QDir::homePath() : maskFolder();
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder of mask images"), start);
        if (folder.isEmpty()) {
            setSourceCombo(m_source); // dialog cancelled: keep the current source
            return;
        }
        setMaskFolder(folder);
    }

    void MaskPanel::showSourceError(const QString& message)
    {
        m_sourceError = message;
        m_sourceErrorLabel->setText(message);
        m_sourceErrorLabel->setVisible(!message.isEmpty());
    }

    void MaskPanel::setMaskFolder(const QString& folder)
    {
        if (folder.trimmed().isEmpty())
            return;
        m_source = Source::Folder;
        setSourceCombo(Source::Folder);
        m_folder.reset();
        m_folderEntries.reset();
        m_pendingFolder = folder;
        showSourceError({});
        const QString shown = QDir::toNativeSeparators(folder);
        m_sourceStatusLabel->setText(tr("Reading the masks of %1…").arg(shown));
        m_sourceStatusLabel->setToolTip(shown);

        m_loading = true;
        const int loadId = ++m_loadId;
        m_jobLoadId = loadId;
        m_loadProgress->setFormat(tr("%v of %m masks"));
        requestAll(); // shows "loading" in place of the masks
        Q_EMIT maskSourceChanged();

        // A load still running is overtaken (its result dropped). A cancelled load ends with the
        // core's "cancelled" error, shown like any other (DeliverResult keeps errors failures).
        m_folderLoader->start<FolderMasks>(
            [folder](msup::Progress& progress) {
                // Every decodable mask is kept (ratio > -1): the interval is applied in the panel, so
                // changing it never reads the folder again.
                const msup::MaskSet set
                    = msup::MaskSet::load(folder, msup::HoleRatioRange { -1.0, 1.0 }, progress);
                FolderMasks result;
                result.folder = set.folder();
                result.scanned = set.scanned();
                result.skipped = set.skipped();
                result.all.reserve(set.entries().size());
                for (const msup::MaskSet::Entry& e : set.entries())
                    result.all.push_back({ e.path, e.ratio });
                return result;
            },
            [this, loadId](const FolderMasks& loaded) { onFolderLoaded(loadId, loaded); },
            JobRunner::OnCancel::DeliverResult);
    }

    void MaskPanel::useGenerator()
    {
        if (m_loading) {
            m_folderLoader->cancel();
            m_loading = false;
        }
        ++m_loadId; // a load still running is ignored when it ends
        m_loadProgress->hide();
        m_loadCancelButton->hide();
        m_source = Source::Generator;
        m_folder.reset();
        m_folderEntries.reset();
        m_pendingFolder.clear();
        setSourceCombo(Source::Generator);
        m_sourceStatusLabel->clear();
        m_sourceStatusLabel->setToolTip(QString());
        showSourceError({});
        requestAll();
        Q_EMIT maskSourceChanged();
    }

    void MaskPanel::cancelMaskFolderLoading()
    {
        if (m_loading)
            m_folderLoader->cancel(); // the load ends with a "cancelled" error
    }

    void MaskPanel::onFolderLoaded(int loadId, const FolderMasks& loaded)
    {
        if (loadId != m_loadId)
            return; // overtaken by another folder or by the generator
        m_loading = false;
        if (!loaded.error.isEmpty()) {
            // Back to the generator, with the error (which names the folder) left in view.
            const QString message = loaded.error;
            useGenerator();
            showSourceError(message);
            Q_EMIT maskFolderFailed(message);
            return;
        }
        m_folder = std::make_shared<const FolderMasks>(loaded);
        m_pendingFolder.clear();
        refilterFolder();
        Q_EMIT maskFolderLoaded();
    }

    void MaskPanel::refilterFolder()
    {
        if (!m_folder)
            return;
        auto entries = std::make_shared<QVector<FolderEntry>>();
        double lowest = 2, highest = -1;
        for (const FolderEntry& e : m_folder->all) {
            lowest = std::min(lowest, e.ratio);
            highest = std::max(highest, e.ratio);
            if (e.ratio > m_lo && e.ratio <= m_hi)
                entries->push_back(e);
        }
        const QString shown = QDir::toNativeSeparators(m_folder->folder);
        QString status = tr("%1 of %2 masks in %3")
                             .arg(entries->size())
                             .arg(m_folder->scanned)
                             .arg(intervalText(m_lo, m_hi));
        QString tip = shown;
        if (!m_folder->skipped.isEmpty()) {
            status
                += QStringLiteral(" · ") + tr("%n file(s) skipped", nullptr, int(m_folder->skipped.size()));
            tip += QLatin1Char('\n') + tr("Skipped:") + QLatin1Char('\n')
                + QStringList(m_folder->skipped.mid(0, 20)).join(QLatin1Char('\n'));
            if (m_folder->skipped.size() > 20)
                tip += QStringLiteral("\n…");
        }
        m_sourceStatusLabel->setText(status);
        m_sourceStatusLabel->setToolTip(tip);
        if (entries->isEmpty()) {
            m_folderEntries.reset();
            showSourceError(tr("%1: none of its %2 masks has a hole ratio in %3 (their ratios go from %4 "
                               "to %5). Choose a hole-ratio interval the masks cover, or another folder.")
                                .arg(shown)
                                .arg(m_folder->all.size())
                                .arg(intervalText(m_lo, m_hi))
                                .arg(formatNumber(lowest, 3))
                                .arg(formatNumber(highest, 3)));
        } else {
            m_folderEntries = entries;
            showSourceError({});
        }
        requestAll();
    }

    bool MaskPanel::masksAvailable() const
    {
        return m_source == Source::Generator || (m_folderEntries && !m_folderEntries->isEmpty());
    }

    // --- previews ------------------------------------------------------------------------------

    void MaskPanel::requestAll()
    {
        requestPreview();
        requestSamples();
    }

    void MaskPanel::requestPreview()
    {
        if (m_image.isNull() || !m_ratioError.isEmpty())
            return;
        if (m_image.width() < 16 || m_image.height() < 16) {
            m_measuredLabel->setText(tr("Image too small for a mask (16 × 16 px at least)"));
            return;
        }
        if (!masksAvailable()) {
            ++m_requestId;
            m_runner->dropPending();
            m_measuredRatio = -1;
            const QString text = m_loading ? tr("Reading the mask folder…") : tr("No mask in the interval");
            m_measuredLabel->setText(text);
            m_maskView->clear(text);
            m_maskedView->clear(text);
            return;
        }
        const QImage image = m_image;
        msup::HoleRatioRange range;
        range.lo = m_lo;
        range.hi = m_hi;
        const auto entries = m_source == Source::Folder ? m_folderEntries : nullptr;
        const int seed = m_seedSpin->value();
        const int requestId = ++m_requestId;
        m_measuredLabel->setText(tr("Generating…"));
        m_runner->request([image, range, entries, seed, requestId]() {
            MaskPreview preview;
            preview.requestId = requestId;
            const cv::Mat mask = entries
                ? folderMask(*entries, image.width(), image.height(), static_cast<std::uint64_t>(seed))
                : msup::HoleGenerator(range).generate(
                    image.width(), image.height(), static_cast<std::uint64_t>(seed));
            preview.ratio = msup::holeRatio(mask);
            preview.mask = msup::gray8ToQImage(mask);
            preview.masked = applyHoles(image, mask);
            return preview;
        });
    }

    void MaskPanel::onPreview(const MaskPreview& preview)
    {
        if (!preview.error.isEmpty()) {
            m_measuredLabel->setText(tr("Mask generation failed: %1").arg(preview.error));
            return;
        }
        if (preview.requestId != m_requestId)
            return;
        m_measuredRatio = preview.ratio;
        m_maskView->setImage(preview.mask);
        m_maskedView->setImage(preview.masked);
        m_measuredLabel->setText(tr("Measured hole ratio: %1 % (target %2–%3 %)")
                                     .arg(formatNumber(preview.ratio * 100, 1))
                                     .arg(formatNumber(m_lo * 100, 0))
                                     .arg(formatNumber(m_hi * 100, 0)));
        Q_EMIT previewUpdated();
    }

    void MaskPanel::clearSamples(const QString& text)
    {
        ++*m_latestStrip;
        ++*m_latestHistogram;
        ++m_stripId;
        ++m_histogramId;
        m_stripRunner->dropPending();
        m_histogramRunner->dropPending();
        m_stripMasks.clear();
        m_histogramRatios.clear();
        m_histogramCounts.clear();
        for (QLabel* thumb : m_thumbs) {
            thumb->clear();
            thumb->setToolTip(QString());
        }
        m_stripLabel->setText(text);
        m_histogramBars->data()->clear();
        m_histogramPlot->replot();
        m_histogramLabel->setText(text);
    }

    void MaskPanel::showEvent(QShowEvent* event)
    {
        QWidget::showEvent(event);
        if (m_samplesDirty)
            requestSamples();
    }

    void MaskPanel::requestSamples()
    {
        if (!m_ratioError.isEmpty())
            return;
        if (!masksAvailable()) {
            clearSamples(m_loading ? tr("Reading the mask folder…") : tr("No mask in the interval"));
            m_samplesDirty = false;
            return;
        }
        // What the accessors return always describes the current settings: nothing until the
        // new results arrive (the thumbnails and bars stay in view until then).
        m_stripMasks.clear();
        m_histogramRatios.clear();
        m_histogramCounts.clear();
        // The strip and the histogram cost ~500 masks: only computed while the panel is shown.
        if (!isVisible()) {
            // Results of jobs still running describe older settings: drop them.
            ++*m_latestStrip;
            ++*m_latestHistogram;
            ++m_stripId;
            ++m_histogramId;
            m_samplesDirty = true;
            return;
        }
        m_samplesDirty = false;

        msup::HoleRatioRange range;
        range.lo = m_lo;
        range.hi = m_hi;
        const auto entries = m_source == Source::Folder ? m_folderEntries : nullptr;
        const auto seed = static_cast<std::uint64_t>(m_seedSpin->value());

        const int stripId = ++m_stripId;
        *m_latestStrip = stripId;
        m_stripLabel->setText(tr("Generating…"));
        m_stripRunner->request([range, entries, seed, stripId, latest = m_latestStrip]() {
            MaskSamples samples;
            samples.requestId = stripId;
            const msup::HoleGenerator generator(range);
            for (int i = 0; i < kStripCount; ++i) {
                if (latest->load() != stripId) {
                    samples.stale = true;
                    return samples;
                }
                const std::uint64_t s = msup::Rng::derive(seed, kStripStream, std::uint64_t(i));
                const cv::Mat mask = entries ? folderMask(*entries, kSampleSize, kSampleSize, s)
                                             : generator.generate(kSampleSize, kSampleSize, s);
                samples.masks << msup::gray8ToQImage(mask);
                samples.ratios << msup::holeRatio(mask);
                samples.seeds << s;
            }
            return samples;
        });

        const int histogramId = ++m_histogramId;
        *m_latestHistogram = histogramId;
        m_histogramLabel->setText(tr("Generating…"));
        m_histogramRunner->request([range, entries, seed, histogramId, latest = m_latestHistogram]() {
            MaskHistogram histogram;
            histogram.requestId = histogramId;
            histogram.lo = range.lo;
            histogram.hi = range.hi;
            const msup::HoleGenerator generator(range);
            histogram.ratios.reserve(kHistogramSamples);
            for (int i = 0; i < kHistogramSamples; ++i) {
                if (latest->load() != histogramId) {
                    histogram.stale = true;
                    return histogram;
                }
                const std::uint64_t s = msup::Rng::derive(seed, kHistogramStream, std::uint64_t(i));
                // A folder's masks: the measured ratio of the file the seed picks (no decoding).
                histogram.ratios << (entries
                        ? (*entries)[pickEntry(*entries, s)].ratio
                        : msup::holeRatio(generator.generate(kSampleSize, kSampleSize, s)));
            }
            return histogram;
        });
    }

    void MaskPanel::onStrip(const MaskSamples& samples)
    {
        if (!samples.error.isEmpty()) {
            m_stripLabel->setText(tr("Mask generation failed: %1").arg(samples.error));
            return;
        }
        if (samples.stale || samples.requestId != m_stripId)
            return;
        m_stripMasks = samples.masks;
        double sum = 0;
        for (int i = 0; i < m_thumbs.size() && i < samples.masks.size(); ++i) {
            m_thumbs[i]->setPixmap(QPixmap::fromImage(samples.masks[i].scaled(
                kThumbSize, kThumbSize, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
            m_thumbs[i]->setToolTip(tr("Seed %1: %2 % of the pixels removed")
                                        .arg(samples.seeds[i])
                                        .arg(formatNumber(samples.ratios[i] * 100, 1)));
            sum += samples.ratios[i];
        }
        m_stripLabel->setText(
            tr("Mean hole ratio %1 %")
                .arg(formatNumber(samples.ratios.isEmpty() ? 0 : 100 * sum / samples.ratios.size(), 1)));
        Q_EMIT stripUpdated();
    }

    void MaskPanel::onHistogram(const MaskHistogram& histogram)
    {
        if (!histogram.error.isEmpty()) {
            m_histogramLabel->setText(tr("Mask generation failed: %1").arg(histogram.error));
            return;
        }
        if (histogram.stale || histogram.requestId != m_histogramId || histogram.ratios.isEmpty())
            return;
        m_histogramRatios = histogram.ratios;

        // Bins of (lo, hi] / kHistogramBins, aligned on lo, each (start, end]; a ratio outside the
        // interval (never for the generator) gets bins of its own beyond the marks.
        const double lo = histogram.lo, hi = histogram.hi;
        const double width = (hi - lo) / kHistogramBins;
        auto binOf = [&](double r) { return int(std::ceil((r - lo) / width - 1e-9)) - 1; };
        int first = 0, last = kHistogramBins - 1;
        double sum = 0, lowest = 2, highest = -1;
        for (double r : histogram.ratios) {
            first = std::min(first, binOf(r));
            last = std::max(last, binOf(r));
            sum += r;
            lowest = std::min(lowest, r);
            highest = std::max(highest, r);
        }
        m_histogramCounts = QVector<int>(last - first + 1, 0);
        for (double r : histogram.ratios)
            ++m_histogramCounts[binOf(r) - first];
        QVector<double> keys, values;
        int peak = 0;
        for (int b = 0; b < m_histogramCounts.size(); ++b) {
            keys << lo + (first + b + 0.5) * width;
            values << m_histogramCounts[b];
            peak = std::max(peak, m_histogramCounts[b]);
        }
        m_histogramBars->setWidth(width);
        m_histogramBars->setData(keys, values, true);
        m_loLine->point1->setCoords(lo, 0);
        m_loLine->point2->setCoords(lo, 1);
        m_hiLine->point1->setCoords(hi, 0);
        m_hiLine->point2->setCoords(hi, 1);
        m_histogramPlot->xAxis->setRange(lo + first * width - width, lo + (last + 1) * width + width);
        m_histogramPlot->yAxis->setRange(0, std::max(1.0, peak * 1.15));
        m_histogramPlot->replot();
        m_histogramLabel->setText(tr("%1 masks: mean %2 %, from %3 to %4 % (interval %5)")
                                      .arg(histogram.ratios.size())
                                      .arg(formatNumber(100 * sum / histogram.ratios.size(), 1))
                                      .arg(formatNumber(100 * lowest, 1))
                                      .arg(formatNumber(100 * highest, 1))
                                      .arg(intervalText(lo, hi)));
        Q_EMIT histogramUpdated();
    }

} // namespace ui
} // namespace msup
