#pragma once

#include <QImage>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <atomic>
#include <memory>

class QComboBox;
class QCPBars;
class QCPItemStraightLine;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;
class QVBoxLayout;

namespace msup {
namespace ui {

    class ImageView;
    struct MaskPreview;
    struct MaskSamples;
    struct MaskHistogram;
    struct FolderMasks;
    struct FolderEntry;
    class JobRunner;
    template <typename Result> class LatestTaskRunner;

    // Shows what MaskSup does to the current image: the image, a random "streaks and holes" mask
    // for the chosen seed and hole ratio, and the masked image exactly as the context branch of the
    // network sees it (holes are mid-grey, i.e. 0 after normalisation). Below them, 16 random masks
    // and the histogram of the hole ratios of 500 masks for the same settings.
    //
    // The masks come from the generator or from a folder of mask images (white = hole), read once
    // in the background (progress, Cancel) to measure each file's hole ratio; only the masks whose
    // ratio lies in the interval (lo, hi] are used, picked by seed exactly as training does.
    // Everything is computed in the background; only the newest request of each kind is kept, and
    // a computation overtaken by a newer request stops early.
    class MaskPanel : public QWidget {
        Q_OBJECT
    public:
        enum class Source { Generator, Folder };

        // Masks in the strip, masks behind the histogram, and the size (square, px) both are drawn
        // at: the order of a training size, so that they look like the masks training uses.
        static constexpr int kStripCount = 16;
        static constexpr int kHistogramSamples = 500;
        static constexpr int kSampleSize = 128;

        explicit MaskPanel(QWidget* parent = nullptr);
        ~MaskPanel() override;

        void setImage(const QImage& rgb);
        void clearImage();

        int seed() const;
        void setSeed(int seed);
        QString ratioText() const;
        void setRatioText(const QString& text);
        // Empty when the ratio text is valid, else the message shown under the combo box.
        QString ratioError() const { return m_ratioError; }
        // The interval (lo, hi] in use (the last valid ratio text).
        double ratioLow() const { return m_lo; }
        double ratioHigh() const { return m_hi; }
        // Hole ratio of the mask shown (-1 before the first mask).
        double measuredHoleRatio() const { return m_measuredRatio; }
        QImage maskImage() const;
        QImage maskedImage() const;

        // Mask source. setMaskFolder() switches to the folder and loads it in the background
        // (maskFolderLoaded() or maskFolderFailed() follows); useGenerator() switches back.
        Source source() const { return m_source; }
        void setMaskFolder(const QString& folder);
        void useGenerator();
        QString maskFolder() const;
        bool isLoadingMaskFolder() const { return m_loading; }
        void cancelMaskFolderLoading();
        // Masks of the folder in the current interval, files read, and "file: why" per skipped file
        // (0, 0 and empty without a loaded folder).
        int maskFolderKept() const;
        int maskFolderScanned() const;
        QStringList maskFolderSkipped() const;
        // "N of M masks in (lo, hi]…" for a loaded folder, else empty.
        QString maskSourceStatus() const;
        // The error shown for the mask source (folder missing, empty, unreadable, no mask in the
        // interval, loading cancelled), naming the folder; empty when there is none.
        QString maskSourceError() const { return m_sourceError; }

        // The 16 masks of the strip (Grayscale8, kSampleSize², white = hole), empty until computed.
        QVector<QImage> stripMasks() const { return m_stripMasks; }
        // The hole ratios behind the histogram (kHistogramSamples values) and its bar heights.
        QVector<double> histogramRatios() const { return m_histogramRatios; }
        QVector<int> histogramCounts() const { return m_histogramCounts; }

        // The masked inputs of one training batch exactly as the network receives them (same split,
        // order, augmentation, masks and fill as the run with the Training tab's settings). The
        // panel asks with trainingBatchRequested(); the main window computes the batch in the
        // background and hands it over here (or the error, naming the file or setting).
        void setTrainingBatch(const QVector<QImage>& masked, const QStringList& ids, const QString& caption);
        void setTrainingBatchError(const QString& message);
        QVector<QImage> trainingBatch() const { return m_batchImages; }

    public Q_SLOTS:
        void reroll();

    Q_SIGNALS:
        void previewUpdated();
        void stripUpdated();
        void histogramUpdated();
        void maskFolderLoaded();
        void maskFolderFailed(const QString& message);
        void trainingBatchRequested();
        // A valid hole ratio text, and the mask source (folder or generator), were chosen: training's
        // hole_ratio and mask_folder follow them (MainWindow).
        void holeRatioChanged();
        void maskSourceChanged();

    protected:
        void showEvent(QShowEvent* event) override;

    private:
        void buildSourceRow(QVBoxLayout* layout);
        void buildSamplesRow(QVBoxLayout* layout);
        void buildBatchRow(QVBoxLayout* layout);
        void onRatioTextChanged();
        void onIntervalSpinChanged();
        void onSourceComboActivated(int index);
        void chooseMaskFolder();
        void onFolderLoaded(int loadId, const FolderMasks& loaded);
        void refilterFolder();
        void showSourceError(const QString& message);
        void setSourceCombo(Source source);
        bool masksAvailable() const;
        void requestAll();
        void requestPreview();
        void requestSamples();
        void onPreview(const MaskPreview& preview);
        void onStrip(const MaskSamples& samples);
        void onHistogram(const MaskHistogram& histogram);
        void clearSamples(const QString& text);

        QImage m_image;
        QString m_ratioError;
        double m_lo = 0.5;
        double m_hi = 0.6;
        double m_measuredRatio = -1;
        bool m_rangeApplied = false;
        int m_requestId = 0;

        // Mask source state: the whole folder as read (every decodable file with its ratio) and the
        // entries in the current interval.
        Source m_source = Source::Generator;
        std::shared_ptr<const FolderMasks> m_folder;
        std::shared_ptr<const QVector<FolderEntry>> m_folderEntries;
        QString m_sourceError;
        QString m_pendingFolder;
        JobRunner* m_folderLoader = nullptr; // reads a mask folder
        bool m_loading = false; // a folder is being read
        int m_loadId = 0;
        int m_jobLoadId = 0; // the load the runner's current job belongs to

        // Strip and histogram: results, request ids, and the counters that stop overtaken jobs.
        QVector<QImage> m_stripMasks;
        QVector<double> m_histogramRatios;
        QVector<int> m_histogramCounts;
        int m_stripId = 0;
        int m_histogramId = 0;
        std::shared_ptr<std::atomic<int>> m_latestStrip;
        std::shared_ptr<std::atomic<int>> m_latestHistogram;
        bool m_samplesDirty = true;

        ImageView* m_imageView = nullptr;
        ImageView* m_maskView = nullptr;
        ImageView* m_maskedView = nullptr;
        QPushButton* m_rerollButton = nullptr;
        QSpinBox* m_seedSpin = nullptr;
        QComboBox* m_ratioCombo = nullptr;
        QDoubleSpinBox* m_loSpin = nullptr;
        QDoubleSpinBox* m_hiSpin = nullptr;
        QSlider* m_loSlider = nullptr;
        QSlider* m_hiSlider = nullptr;
        QLabel* m_ratioErrorLabel = nullptr;
        QLabel* m_measuredLabel = nullptr;
        QComboBox* m_sourceCombo = nullptr;
        QPushButton* m_batchButton = nullptr;
        QLabel* m_batchLabel = nullptr;
        QVector<QLabel*> m_batchThumbs;
        QVector<QImage> m_batchImages;
        QPushButton* m_chooseFolderButton = nullptr;
        QLabel* m_sourceStatusLabel = nullptr;
        QLabel* m_sourceErrorLabel = nullptr;
        QProgressBar* m_loadProgress = nullptr;
        QPushButton* m_loadCancelButton = nullptr;
        QVector<QLabel*> m_thumbs;
        QLabel* m_stripLabel = nullptr;
        QCustomPlot* m_histogramPlot = nullptr;
        QCPBars* m_histogramBars = nullptr;
        QCPItemStraightLine* m_loLine = nullptr;
        QCPItemStraightLine* m_hiLine = nullptr;
        QLabel* m_histogramLabel = nullptr;
        std::unique_ptr<LatestTaskRunner<MaskPreview>> m_runner;
        std::unique_ptr<LatestTaskRunner<MaskSamples>> m_stripRunner;
        std::unique_ptr<LatestTaskRunner<MaskHistogram>> m_histogramRunner;
    };

} // namespace ui
} // namespace msup
