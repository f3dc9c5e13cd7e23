#include "ui/dataset_panel.h"

#include "core/data/image_io.h"
#include "core/io/overlay.h"
#include "ui/background_task.h"
#include "ui/image_view.h"
#include "ui/label_image.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPainter>
#include <QPromise>
#include <QPushButton>
#include <QSlider>
#include <QStyle>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace msup {
namespace ui {

    namespace {

        constexpr int kThumbnailSize = 96;

        QIcon placeholderIcon()
        {
            QPixmap pixmap(kThumbnailSize, kThumbnailSize);
            pixmap.fill(Qt::transparent);
            QPainter painter(&pixmap);
            painter.setPen(Qt::NoPen);
            painter.setBrush(QColor(0x80, 0x80, 0x80, 0x60));
            painter.drawRoundedRect(QRectF(8, 8, kThumbnailSize - 16, kThumbnailSize - 16), 6, 6);
            return QIcon(pixmap);
        }

        // Thumbnails keep a square canvas so the grid stays regular whatever the aspect ratio.
        QIcon squareIcon(const QImage& image)
        {
            QPixmap pixmap(kThumbnailSize, kThumbnailSize);
            pixmap.fill(Qt::transparent);
            QPainter painter(&pixmap);
            const QImage scaled
                = image.scaled(kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
            painter.drawImage(
                (kThumbnailSize - scaled.width()) / 2, (kThumbnailSize - scaled.height()) / 2, scaled);
            return QIcon(pixmap);
        }

    } // namespace

    struct Thumbnail {
        int generation = 0;
        int index = -1;
        QImage image; // already reduced to the thumbnail size
        QString error;
    };

    struct LoadedSample {
        int generation = 0;
        int index = -1;
        QString imagePath;
        QImage rgb;
        QImage labels; // class indices as Grayscale8
        QString labelError;
        QString error;
        int instances = -1; // object instances in the annotation (GLaS), -1 when not applicable
    };

    DatasetPanel::DatasetPanel(QWidget* parent)
        : QWidget(parent)
        , m_thumbnailWatcher(new QFutureWatcher<Thumbnail>(this))
        , m_loader(std::make_unique<LatestTaskRunner<LoadedSample>>(
              this, [this](const LoadedSample& loaded) { onSampleLoaded(loaded); }))
    {
        buildSamplesWidget();
        buildView();
        connect(m_thumbnailWatcher, &QFutureWatcher<Thumbnail>::resultReadyAt, this,
            &DatasetPanel::onThumbnailReady);
        connect(m_thumbnailWatcher, &QFutureWatcher<Thumbnail>::finished, this, [this] {
            if (!m_thumbnailWatcher->isCanceled())
                Q_EMIT thumbnailsFinished();
        });
        clearDataset();
    }

    DatasetPanel::~DatasetPanel()
    {
        // The decoding task checks for cancellation between images; the pool finishes it alone.
        m_thumbnailWatcher->cancel();
        // The samples widget may have been moved into a dock: it is owned by its new parent.
    }

    void DatasetPanel::buildSamplesWidget()
    {
        m_samplesWidget = new QWidget(this);
        m_samplesWidget->setObjectName(QStringLiteral("samplesWidget"));
        auto* layout = new QVBoxLayout(m_samplesWidget);
        layout->setContentsMargins(4, 4, 4, 4);

        m_summaryLabel = new QLabel(m_samplesWidget);
        m_summaryLabel->setObjectName(QStringLiteral("datasetSummaryLabel"));
        m_summaryLabel->setWordWrap(true);
        m_summaryLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(m_summaryLabel);

        m_thumbnails = new QListWidget(m_samplesWidget);
        m_thumbnails->setObjectName(QStringLiteral("thumbnailList"));
        m_thumbnails->setViewMode(QListView::IconMode);
        m_thumbnails->setIconSize(QSize(kThumbnailSize, kThumbnailSize));
        m_thumbnails->setGridSize(QSize(kThumbnailSize + 16, kThumbnailSize + 28));
        m_thumbnails->setResizeMode(QListView::Adjust);
        m_thumbnails->setMovement(QListView::Static);
        m_thumbnails->setUniformItemSizes(true);
        m_thumbnails->setWordWrap(false);
        m_thumbnails->setSelectionMode(QAbstractItemView::SingleSelection);
        m_thumbnails->setMinimumWidth(2 * (kThumbnailSize + 16) + 24);
        m_thumbnails->setToolTip(tr("Samples of the dataset. Select one to view it with its labels, "
                                    "its masked versions and its prediction."));
        connect(m_thumbnails, &QListWidget::currentRowChanged, this, &DatasetPanel::onCurrentRowChanged);
        layout->addWidget(m_thumbnails, 1);

        auto* problemsRow = new QHBoxLayout;
        m_problemsLabel = new QLabel(m_samplesWidget);
        m_problemsLabel->setObjectName(QStringLiteral("problemsLabel"));
        m_problemsLabel->setWordWrap(true);
        m_problemsButton = new QPushButton(tr("Details…"), m_samplesWidget);
        m_problemsButton->setObjectName(QStringLiteral("problemsButton"));
        m_problemsButton->setToolTip(tr("List every file skipped while indexing and how to fix it"));
        connect(m_problemsButton, &QPushButton::clicked, this, &DatasetPanel::showProblems);
        problemsRow->addWidget(m_problemsLabel, 1);
        problemsRow->addWidget(m_problemsButton);
        layout->addLayout(problemsRow);
    }

    void DatasetPanel::buildView()
    {
        auto* layout = new QVBoxLayout(this);
        m_sampleLabel = new QLabel(this);
        m_sampleLabel->setObjectName(QStringLiteral("sampleLabel"));
        m_sampleLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_sampleLabel->setWordWrap(true);
        layout->addWidget(m_sampleLabel);

        m_view = new ImageView(this);
        m_view->setObjectName(QStringLiteral("datasetImageView"));
        layout->addWidget(m_view, 1);

        auto* controls = new QHBoxLayout;
        auto* opacityCaption = new QLabel(tr("Label opacity:"), this);
        m_opacitySlider = new QSlider(Qt::Horizontal, this);
        m_opacitySlider->setObjectName(QStringLiteral("labelOpacitySlider"));
        m_opacitySlider->setRange(0, 100);
        m_opacitySlider->setValue(50);
        m_opacitySlider->setMaximumWidth(240);
        m_opacitySlider->setToolTip(tr("0 %: image only; 100 %: label colours only"));
        opacityCaption->setBuddy(m_opacitySlider);
        m_opacityValue = new QLabel(this);
        m_opacityValue->setMinimumWidth(40);
        connect(m_opacitySlider, &QSlider::valueChanged, this, [this](int value) {
            m_opacityValue->setText(tr("%1 %").arg(value));
            updateOverlay();
        });
        m_opacityValue->setText(tr("%1 %").arg(m_opacitySlider->value()));
        controls->addWidget(opacityCaption);
        controls->addWidget(m_opacitySlider);
        controls->addWidget(m_opacityValue);
        controls->addSpacing(16);
        m_legendLabel = new QLabel(this);
        m_legendLabel->setObjectName(QStringLiteral("classLegendLabel"));
        m_legendLabel->setTextFormat(Qt::RichText);
        m_legendLabel->setWordWrap(true);
        controls->addWidget(m_legendLabel, 1);
        layout->addLayout(controls);
    }

    QString DatasetPanel::datasetName() const
    {
        if (!m_hasDataset)
            return {};
        return QFileInfo(QDir::cleanPath(m_dataset.root)).fileName();
    }

    void DatasetPanel::clearDataset()
    {
        ++m_generation;
        m_thumbnailWatcher->cancel();
        m_loader->dropPending();
        m_dataset = msup::Dataset();
        m_hasDataset = false;
        m_decodedThumbnails = 0;
        m_thumbnails->clear();
        m_currentImage = QImage();
        m_rgb = cv::Mat();
        m_labels = cv::Mat();
        m_summaryLabel->setText(tr("No dataset open. Use File ▸ Open dataset… or drop a folder here."));
        m_sampleLabel->clear();
        m_view->clear(tr("No dataset open"));
        updateClassLegend();
        updateProblems();
    }

    void DatasetPanel::setDataset(const msup::Dataset& dataset)
    {
        clearDataset();
        m_dataset = dataset;
        m_hasDataset = true;

        m_summaryLabel->setText(
            tr("<b>%1</b><br>%2 · %n sample(s) · %3 classes", nullptr, int(dataset.samples.size()))
                .arg(datasetName().toHtmlEscaped(), msup::formatName(dataset.format).toHtmlEscaped())
                .arg(dataset.numClasses()));
        m_summaryLabel->setToolTip(QDir::toNativeSeparators(dataset.root));

        const QIcon placeholder = placeholderIcon();
        m_thumbnails->setUpdatesEnabled(false);
        for (int i = 0; i < dataset.samples.size(); ++i) {
            auto* item = new QListWidgetItem(placeholder, dataset.samples[i].id, m_thumbnails);
            item->setData(Qt::UserRole, i);
            item->setToolTip(QDir::toNativeSeparators(dataset.samples[i].imagePath));
            item->setSizeHint(m_thumbnails->gridSize());
        }
        m_thumbnails->setUpdatesEnabled(true);
        updateClassLegend();
        updateProblems();
        startThumbnails();
        if (!dataset.samples.isEmpty())
            m_thumbnails->setCurrentRow(0);
        else
            m_view->clear(tr("This dataset has no usable image/label pairs (see the problems list)."));
    }

    void DatasetPanel::startThumbnails()
    {
        QStringList paths;
        paths.reserve(m_dataset.samples.size());
        for (const msup::Sample& sample : std::as_const(m_dataset.samples))
            paths << sample.imagePath;
        const int generation = m_generation;
        m_thumbnailWatcher->setFuture(QtConcurrent::run([paths, generation](QPromise<Thumbnail>& promise) {
            for (int i = 0; i < paths.size(); ++i) {
                if (promise.isCanceled())
                    return;
                Thumbnail thumbnail;
                thumbnail.generation = generation;
                thumbnail.index = i;
                try {
                    const QImage image = msup::rgbToQImage(msup::loadImageRgb(paths[i]));
                    thumbnail.image = image.scaled(
                        kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
                } catch (const std::exception& e) {
                    thumbnail.error = QString::fromLocal8Bit(e.what());
                }
                promise.addResult(thumbnail);
            }
        }));
    }

    void DatasetPanel::onThumbnailReady(int resultIndex)
    {
        const Thumbnail thumbnail = m_thumbnailWatcher->resultAt(resultIndex);
        if (thumbnail.generation != m_generation)
            return;
        QListWidgetItem* item = m_thumbnails->item(thumbnail.index);
        if (!item)
            return;
        ++m_decodedThumbnails;
        if (!thumbnail.error.isEmpty()) {
            item->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
            item->setToolTip(thumbnail.error);
            return;
        }
        item->setIcon(squareIcon(thumbnail.image));
    }

    int DatasetPanel::thumbnailCount() const
    {
        return m_thumbnails->count();
    }

    bool DatasetPanel::thumbnailsDone() const
    {
        return m_hasDataset && m_decodedThumbnails >= m_thumbnails->count();
    }

    int DatasetPanel::currentIndex() const
    {
        QListWidgetItem* item = m_thumbnails->currentItem();
        return item ? item->data(Qt::UserRole).toInt() : -1;
    }

    void DatasetPanel::setCurrentIndex(int index)
    {
        if (index >= 0 && index < m_thumbnails->count())
            m_thumbnails->setCurrentRow(index);
    }

    QString DatasetPanel::currentImagePath() const
    {
        const int index = currentIndex();
        if (index < 0 || index >= m_dataset.samples.size())
            return {};
        return m_dataset.samples[index].imagePath;
    }

    void DatasetPanel::onCurrentRowChanged(int row)
    {
        if (row < 0 || row >= m_dataset.samples.size())
            return;
        const msup::Sample sample = m_dataset.samples[row];
        m_sampleLabel->setText(tr("%1 — loading…").arg(sample.id));
        Q_EMIT currentSampleChanged(row, sample.imagePath);

        const msup::Dataset dataset = m_dataset;
        const int generation = m_generation;
        m_loader->request([dataset, sample, generation, row]() {
            LoadedSample loaded;
            loaded.generation = generation;
            loaded.index = row;
            loaded.imagePath = sample.imagePath;
            cv::Mat rgb;
            try {
                rgb = msup::loadImageRgb(sample.imagePath);
                loaded.rgb = msup::rgbToQImage(rgb);
            } catch (const std::exception& e) {
                loaded.error = QString::fromLocal8Bit(e.what());
                return loaded;
            }
            try {
                loaded.labels
                    = msup::gray8ToQImage(msup::loadLabels(dataset, sample, QSize(rgb.cols, rgb.rows)));
                loaded.instances = msup::countInstances(dataset, sample);
            } catch (const std::exception& e) {
                loaded.labelError = QString::fromLocal8Bit(e.what());
            }
            return loaded;
        });
    }

    void DatasetPanel::onSampleLoaded(const LoadedSample& loaded)
    {
        if (loaded.generation != m_generation)
            return;
        if (loaded.index >= 0 && loaded.index < m_dataset.samples.size() && loaded.index != currentIndex())
            return; // the selection moved on; its own load is on the way
        const QString id = loaded.index >= 0 && loaded.index < m_dataset.samples.size()
            ? m_dataset.samples[loaded.index].id
            : QString();
        if (!loaded.error.isEmpty()) {
            m_currentImage = QImage();
            m_rgb = cv::Mat();
            m_labels = cv::Mat();
            m_sampleLabel->setText(tr("%1 — unreadable").arg(id));
            m_view->clear(loaded.error);
            showError(tr("Could not read the image of sample “%1”.").arg(id),
                loaded.error + QStringLiteral("\n\n")
                    + tr("Check that the file is a complete, readable image, or remove this "
                         "pair from the dataset folder and open it again."));
            return;
        }
        m_currentImage = loaded.rgb;
        m_rgb = msup::qImageToRgb(loaded.rgb);
        m_labels = msup::qImageToGray8(loaded.labels);
        m_labelError = loaded.labelError;
        QString text = tr("%1 — %2 × %3 px").arg(id).arg(loaded.rgb.width()).arg(loaded.rgb.height());
        // Per-image facts the format provides: official split, GLaS grade, gland instances.
        const msup::Sample& sample = m_dataset.samples[loaded.index];
        if (!sample.split.isEmpty())
            text += QStringLiteral(" — ") + tr("split %1").arg(sample.split);
        if (!sample.info.isEmpty())
            text += QStringLiteral(" — ") + sample.info;
        if (loaded.instances >= 0)
            text += QStringLiteral(" — ") + tr("%n instance(s)", nullptr, loaded.instances);
        if (!m_labelError.isEmpty())
            text += QStringLiteral(" — ") + tr("labels unreadable: %1").arg(m_labelError);
        m_sampleLabel->setText(text);
        m_sampleLabel->setToolTip(QDir::toNativeSeparators(loaded.imagePath));
        updateOverlay();
        if (!m_labelError.isEmpty())
            showError(tr("Could not read the labels of sample “%1”.").arg(id),
                m_labelError + QStringLiteral("\n\n")
                    + tr("The image is shown without labels. Fix or replace the label file, "
                         "then open the dataset again."));
        Q_EMIT currentImageLoaded(loaded.rgb, loaded.imagePath);
    }

    double DatasetPanel::overlayOpacity() const
    {
        return m_opacitySlider->value() / 100.0;
    }

    void DatasetPanel::setOverlayOpacity(double opacity)
    {
        m_opacitySlider->setValue(qRound(qBound(0.0, opacity, 1.0) * 100));
    }

    QImage DatasetPanel::overlayImage() const
    {
        return m_view->image();
    }

    void DatasetPanel::updateOverlay()
    {
        if (m_rgb.empty())
            return;
        if (m_labels.empty()) {
            m_view->setImage(m_currentImage);
            return;
        }
        const msup::OverlayOptions options
            = msup::overlayOptionsFor(m_dataset.numClasses(), m_dataset.ignoreIndex, overlayOpacity());
        try {
            m_view->setImage(msup::colorOverlay(m_rgb, m_labels, m_dataset.classColors, options));
        } catch (const std::exception& e) {
            m_view->setImage(m_currentImage);
            m_sampleLabel->setText(m_sampleLabel->text() + QStringLiteral(" — ")
                + tr("overlay failed: %1").arg(QString::fromLocal8Bit(e.what())));
        }
    }

    void DatasetPanel::updateClassLegend()
    {
        if (!m_hasDataset || m_dataset.classNames.isEmpty()) {
            m_legendLabel->clear();
            return;
        }
        QStringList parts;
        for (int i = 0; i < m_dataset.classNames.size(); ++i) {
            const QColor color
                = i < m_dataset.classColors.size() ? m_dataset.classColors[i] : QColor(Qt::gray);
            parts << QStringLiteral("<span style=\"color:%1; font-size:large\">■</span>&nbsp;%2")
                         .arg(color.name(), m_dataset.classNames[i].toHtmlEscaped());
        }
        m_legendLabel->setText(tr("Classes: %1").arg(parts.join(QStringLiteral(" &nbsp; "))));
    }

    void DatasetPanel::updateProblems()
    {
        const int count = m_hasDataset ? int(m_dataset.problems.size()) : 0;
        m_problemsButton->setVisible(count > 0);
        if (count == 0) {
            m_problemsLabel->setText(m_hasDataset ? tr("No problems found.") : QString());
            m_problemsLabel->setToolTip({});
            return;
        }
        m_problemsLabel->setText(QStringLiteral("<span style=\"color:#c0392b\">⚠</span> ")
            + tr("%n problem(s) found while indexing", nullptr, count));
        QStringList lines;
        for (int i = 0; i < count && i < 15; ++i)
            lines << m_dataset.problems[i].toString();
        if (count > 15)
            lines << tr("… and %n more", nullptr, count - 15);
        m_problemsLabel->setToolTip(lines.join(QLatin1Char('\n')));
    }

    void DatasetPanel::showProblems()
    {
        if (!m_hasDataset || m_dataset.problems.isEmpty())
            return;
        QStringList lines;
        int errors = 0;
        for (const msup::DatasetProblem& problem : std::as_const(m_dataset.problems)) {
            if (problem.severity == msup::DatasetProblem::Severity::Error)
                ++errors;
            lines << problem.toString();
        }
        auto* box = new QMessageBox(QMessageBox::Information, tr("Dataset problems"),
            tr("%n problem(s) were found while indexing “%1”.", nullptr, int(m_dataset.problems.size()))
                .arg(QDir::toNativeSeparators(m_dataset.root)),
            QMessageBox::Close, this);
        box->setInformativeText(
            tr("%n of them made a pair unusable; those pairs are not in the sample list.", nullptr, errors));
        box->setDetailedText(lines.join(QLatin1Char('\n')));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }

    void DatasetPanel::showError(const QString& text, const QString& details)
    {
        // One error box at a time, so browsing a folder of broken files does not pile up dialogs.
        if (m_errorBox) {
            m_errorBox->setText(text);
            m_errorBox->setInformativeText(details);
            return;
        }
        m_errorBox
            = new QMessageBox(QMessageBox::Warning, tr("Unreadable sample"), text, QMessageBox::Close, this);
        m_errorBox->setInformativeText(details);
        m_errorBox->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_errorBox, &QObject::destroyed, this, [this] { m_errorBox = nullptr; });
        m_errorBox->open();
    }

} // namespace ui
} // namespace msup
