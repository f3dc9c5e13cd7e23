// Widget tests of MaskSup Studio's main window (run with QT_QPA_PLATFORM=offscreen).
#include "core/base/error.h"
#include "core/data/image_io.h"
#include "core/data/nyu_mat.h"
#include "core/data/synth.h"
#include "core/io/overlay.h"
#include "core/train/training_session.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"
#include "tests/support/widgets.h"
#include "ui/dataset_panel.h"
#include "ui/dataset_report_dialog.h"
#include "ui/export_dialog.h"
#include "ui/label_image.h"
#include "ui/main_window.h"
#include "ui/mask_panel.h"
#include "ui/prediction_panel.h"
#include "ui/qcustomplot_include.h"
#include "ui/robustness_panel.h"
#include "ui/runs_panel.h"
#include "ui/sample_dataset_dialog.h"
#include "ui/sample_list_model.h"
#include "ui/training_charts.h"
#include "ui/training_panel.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>
#include <QtTest>

#include <algorithm>
#include <cstring>

using msup::ui::MainWindow;
using msup::ui::TrainingPanel;

namespace {

// Counts the ticks of a 10 ms timer and the longest gap between two of them: a blocked GUI
// thread shows up as a long gap.
class TickProbe {
public:
    TickProbe()
    {
        m_timer.setInterval(10);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.elapsed();
            m_maxGap = std::max(m_maxGap, now - m_last);
            m_last = now;
            ++m_ticks;
        });
    }
    void start()
    {
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    int ticks() const { return m_ticks; }
    qint64 maxGapMs() const { return m_maxGap; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_maxGap = 0;
    int m_ticks = 0;
};

using msup::test::visibleMessageBoxMentioning;

// Pixels where two images of the same size differ.
int differingPixels(const QImage& a, const QImage& b)
{
    const QImage x = a.convertToFormat(QImage::Format_RGB888);
    const QImage y = b.convertToFormat(QImage::Format_RGB888);
    if (x.size() != y.size())
        return -1;
    int n = 0;
    for (int row = 0; row < x.height(); ++row)
        for (int col = 0; col < x.width(); ++col)
            n += std::memcmp(x.constScanLine(row) + 3 * col, y.constScanLine(row) + 3 * col, 3) != 0 ? 1 : 0;
    return n;
}

} // namespace

class TestStudioUi : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void opensDatasetAndDecodesThumbnails();
    void folderWithoutDatasetShowsError_data();
    void folderWithoutDatasetShowsError();
    void maskPreviewFollowsRatioAndSeed();
    void trainingKeepsEventLoopRunning();
    void droppingAFolderOpensIt();
    void firstStartGeneratesTheGlandsSample();
    void closingDuringTrainingStopsTheRun();
    void pauseResumeAndStopButtons();
    void glasSampleShowsSplitGradeAndInstances();
    void predictionReloadsAnOverwrittenCheckpoint();
    void thumbnailsAreDecodedOnlyWhenShown();
    void searchFiltersByName();
    void splitFilterShowsOneOfficialSplit();
    void classFilterScansLabelsInBackground();
    void outlineModeDrawsClassBoundaries();
    void labelBoundariesOfASquare();
    void legendListsClassesAndMarksThePresentOnes();
    void importShowsTheDatasetReport();
    void datasetReportCanBeCancelled();
    void nyuMatFramesAreBrowsedAndPredicted();
    void masksTabShowsATrainingBatch();
    void robustnessTabFollowsDatasetAndRuns();

private:
    void openDataset(MainWindow& window);
    void openScenes(MainWindow& window);

    QTemporaryDir m_tmp;
    QString m_datasetDir;
    QString m_scenesDir;
};

void TestStudioUi::initTestCase()
{
    // Keep the user's settings and data folders out of the tests.
    msup::test::isolateSettings(QStringLiteral("tst_studio_ui"));

    QVERIFY(m_tmp.isValid());
    m_datasetDir = msup::test::writeTinyDataset(
        m_tmp.filePath(QStringLiteral("glands")), msup::SynthKind::Glands, 8, 64, 3);
    m_scenesDir = msup::test::writeTinyDataset(
        m_tmp.filePath(QStringLiteral("scenes")), msup::SynthKind::Scenes, 16, 64, 5);
}

void TestStudioUi::openScenes(MainWindow& window)
{
    QVERIFY(msup::test::openDatasetAndWait(window, m_scenesDir));
    QCOMPARE(window.datasetPanel()->dataset().samples.size(), 16);
}

void TestStudioUi::openDataset(MainWindow& window)
{
    QVERIFY(msup::test::openDatasetAndWait(window, m_datasetDir));
}

void TestStudioUi::opensDatasetAndDecodesThumbnails()
{
    MainWindow window;
    QCOMPARE(window.windowTitle(), QStringLiteral("MaskSup Studio"));
    openDataset(window);
    if (QTest::currentTestFailed())
        return;

    msup::ui::DatasetPanel* panel = window.datasetPanel();
    QCOMPARE(panel->dataset().samples.size(), 8);
    QCOMPARE(panel->thumbnailCount(), 8);
    // The grid shows the 8 thumbnails, so all 8 are requested and decoded in the background.
    QTRY_VERIFY_WITH_TIMEOUT(panel->decodedThumbnailCount() > 0 && panel->thumbnailsDone(), 30000);
    QCOMPARE(panel->decodedThumbnailCount(), panel->requestedThumbnailCount());
    QVERIFY(panel->decodedThumbnailCount() <= 8);
    QCOMPARE(panel->currentIndex(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!panel->currentImage().isNull(), 30000);
    QCOMPARE(panel->currentImage().size(), QSize(64, 64));
    QCOMPARE(panel->overlayImage().size(), QSize(64, 64));
    QCOMPARE(panel->datasetName(), QStringLiteral("glands"));
    QCOMPARE(window.trainingPanel()->datasetRoot(), panel->dataset().root);
    // The prediction panel follows the selection.
    QCOMPARE(window.predictionPanel()->imagePath(), panel->currentImagePath());

    QSignalSpy loaded(panel, &msup::ui::DatasetPanel::currentImageLoaded);
    panel->setCurrentIndex(3);
    QVERIFY(loaded.wait(30000));
    QCOMPARE(loaded.last().at(1).toString(), panel->dataset().samples[3].imagePath);
}

void TestStudioUi::folderWithoutDatasetShowsError_data()
{
    QTest::addColumn<bool>("exists");
    QTest::newRow("folder without images") << true;
    QTest::newRow("missing folder") << false;
}

void TestStudioUi::folderWithoutDatasetShowsError()
{
    QFETCH(bool, exists);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString folder = dir.filePath(QStringLiteral("not-a-dataset"));
    if (exists) {
        QVERIFY(QDir().mkpath(folder));
        QFile notes(folder + QStringLiteral("/notes.txt"));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("no images here\n");
    }

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy failed(&window, &MainWindow::datasetOpenFailed);
    QSignalSpy opened(&window, &MainWindow::datasetOpened);
    window.openDataset(folder);
    QVERIFY(failed.wait(30000));
    QCOMPARE(opened.count(), 0);
    QVERIFY(!window.datasetPanel()->hasDataset());

    const QString shown = QDir::toNativeSeparators(folder);
    QMessageBox* box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((box = visibleMessageBoxMentioning(shown)) != nullptr, 5000);
    QVERIFY(box->text().contains(shown));
    QVERIFY(!box->informativeText().isEmpty());
    QPointer<QMessageBox> guard(box);
    box->close();
    QTRY_VERIFY(guard.isNull()); // deleted on close
    QVERIFY(window.isVisible());
}

void TestStudioUi::maskPreviewFollowsRatioAndSeed()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showTab(MainWindow::Tab::Masks);
    msup::ui::MaskPanel* masks = window.maskPanel();
    QSignalSpy updated(masks, &msup::ui::MaskPanel::previewUpdated);
    masks->setRatioText(QStringLiteral("high"));
    openDataset(window);
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY_WITH_TIMEOUT(masks->measuredHoleRatio() >= 0, 30000);
    QVERIFY2(masks->measuredHoleRatio() > 0.4 && masks->measuredHoleRatio() < 0.75,
        qPrintable(QString::number(masks->measuredHoleRatio())));

    // Holes are mid-grey in the masked image, elsewhere it is the image.
    const QImage mask = masks->maskImage();
    const QImage masked = masks->maskedImage().convertToFormat(QImage::Format_RGB888);
    const QImage image = window.datasetPanel()->currentImage().convertToFormat(QImage::Format_RGB888);
    QCOMPARE(mask.size(), QSize(64, 64));
    QCOMPARE(masked.size(), QSize(64, 64));
    int holes = 0;
    for (int y = 0; y < mask.height(); ++y) {
        for (int x = 0; x < mask.width(); ++x) {
            const bool hole = qGray(mask.pixel(x, y)) != 0;
            holes += hole ? 1 : 0;
            const QRgb expected = hole ? qRgb(128, 128, 128) : image.pixel(x, y);
            QCOMPARE(masked.pixel(x, y), expected);
        }
    }
    QCOMPARE(holes / double(64 * 64), masks->measuredHoleRatio());

    // Invalid ratio: reported inline, the preview stays.
    auto* errorLabel = masks->findChild<QLabel*>(QStringLiteral("ratioErrorLabel"));
    QVERIFY(errorLabel);
    masks->setRatioText(QStringLiteral("0.9-0.2"));
    QVERIFY(!masks->ratioError().isEmpty());
    QVERIFY(errorLabel->isVisible());
    masks->setRatioText(QStringLiteral("low"));
    QVERIFY(masks->ratioError().isEmpty());
    QVERIFY(!errorLabel->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(masks->measuredHoleRatio() < 0.2, 30000);

    // Reroll: next seed, new mask.
    const int seed = masks->seed();
    const QImage before = masks->maskImage();
    updated.clear();
    masks->reroll();
    QCOMPARE(masks->seed(), seed + 1);
    QVERIFY(updated.wait(30000));
    QVERIFY(masks->maskImage() != before);
}

void TestStudioUi::trainingKeepsEventLoopRunning()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showTab(MainWindow::Tab::Training);
    openDataset(window);
    if (QTest::currentTestFailed())
        return;

    TrainingPanel* training = window.trainingPanel();
    msup::TrainConfig config = training->config();
    config.width = 4;
    config.imageSize = 32;
    config.batchSize = 4;
    config.epochs = 2;
    config.device = QStringLiteral("cpu");
    config.mode = QStringLiteral("masksup");
    config.outDir = m_tmp.filePath(QStringLiteral("run"));
    training->setConfig(config);
    const msup::TrainConfig applied = training->config();
    QCOMPARE(applied.width, 4);
    QCOMPARE(applied.imageSize, 32);
    QCOMPARE(applied.batchSize, 4);
    QCOMPARE(applied.epochs, 2);
    QCOMPARE(applied.device, QStringLiteral("cpu"));
    QCOMPARE(applied.mode, QStringLiteral("masksup"));
    QCOMPARE(QDir::cleanPath(applied.outDir), QDir::cleanPath(config.outDir));

    QSignalSpy finished(training, &TrainingPanel::trainingFinished);
    QSignalSpy failed(training, &TrainingPanel::trainingFailed);
    QSignalSpy checkpoint(window.predictionPanel(), &msup::ui::PredictionPanel::checkpointChanged);
    QSignalSpy predicted(window.predictionPanel(), &msup::ui::PredictionPanel::predictionReady);

    TickProbe probe;
    probe.start();
    QElapsedTimer clock;
    clock.start();
    QVERIFY(training->startTraining());
    QVERIFY(training->isTraining());

    QTRY_VERIFY_WITH_TIMEOUT(training->lossPointCount() > 0 || !failed.isEmpty(), 120000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    const int ticksAtFirstPoint = probe.ticks();
    QVERIFY2(ticksAtFirstPoint > 5, qPrintable(QString::number(ticksAtFirstPoint)));
    QVERIFY2(probe.maxGapMs() < 1000, qPrintable(QString::number(probe.maxGapMs())));

    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !failed.isEmpty(), 300000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    const qint64 elapsedMs = clock.elapsed();
    probe.stop();
    QVERIFY(probe.ticks() > ticksAtFirstPoint);
    QVERIFY2(probe.maxGapMs() < 1000, qPrintable(QString::number(probe.maxGapMs())));
    QVERIFY(!training->isTraining());

    qInfo("training: %d loss points, %d replots, %d ticks in %lld ms, longest gap %lld ms",
        training->lossPointCount(), training->replotCount(), probe.ticks(), elapsedMs, probe.maxGapMs());

    const auto result = finished.first().first().value<msup::TrainResult>();
    QVERIFY(!result.stopped);
    QCOMPARE(result.epochsCompleted, 2);
    QCOMPARE(training->miouPointCount(), 2);
    QVERIFY(training->lossPointCount() >= 2);
    // Redrawn by the timer, not once per batch.
    QVERIFY2(training->replotCount() <= elapsedMs / 250 + 4,
        qPrintable(QStringLiteral("%1 replots in %2 ms").arg(training->replotCount()).arg(elapsedMs)));

    // The epoch charts: per-class IoU (a line per class), learning rate, the confusion matrix.
    msup::ui::TrainingCharts* charts = training->charts();
    using Chart = msup::ui::TrainingCharts::Chart;
    QCOMPARE(charts->classCount(), 2);
    QCustomPlot* iou = charts->chart(Chart::PerClassIou);
    QCOMPARE(iou->graphCount(), 2);
    QCOMPARE(iou->graph(0)->name(), QStringLiteral("background"));
    QCOMPARE(iou->graph(1)->dataCount(), 2);
    QCOMPARE(charts->chart(Chart::LearningRate)->graph(0)->dataCount(), 2);
    for (int t = 0; t < 2; ++t) // rows normalised: each true class's shares sum to 1
        QVERIFY(std::abs(charts->confusionShare(t, 0) + charts->confusionShare(t, 1) - 1.0) < 1e-9);
    charts->setClassVisible(1, false); // what a legend click does
    QVERIFY(!charts->isClassVisible(1));
    QVERIFY(!iou->graph(1)->visible());
    charts->setClassVisible(1, true);
    // Exports: CSV with the metrics.jsonl values, SVG and PNG drawings.
    const QString csvPath = m_tmp.filePath(QStringLiteral("iou.csv"));
    charts->exportChart(Chart::PerClassIou, csvPath);
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0], QByteArray("epoch,iou_background,iou_gland"));
    QFile jsonl(result.runDir + QStringLiteral("/metrics.jsonl"));
    QVERIFY(jsonl.open(QIODevice::ReadOnly));
    const QJsonObject second = QJsonDocument::fromJson(jsonl.readAll().trimmed().split('\n').last()).object();
    QCOMPARE(rows[2].split(',')[2].toDouble(),
        second.value(QStringLiteral("per_class_iou")).toArray().at(1).toDouble());
    QCOMPARE(second.value(QStringLiteral("confusion")).toArray().size(), 4);
    charts->exportChart(Chart::Confusion, m_tmp.filePath(QStringLiteral("confusion.svg")));
    QFile svg(m_tmp.filePath(QStringLiteral("confusion.svg")));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QVERIFY(svg.readAll().contains("<svg"));
    charts->exportChart(Chart::LearningRate, m_tmp.filePath(QStringLiteral("lr.png")));
    QVERIFY(!QImage(m_tmp.filePath(QStringLiteral("lr.png"))).isNull());
    QVERIFY_EXCEPTION_THROWN(
        charts->exportChart(Chart::LearningRate, m_tmp.filePath(QStringLiteral("lr.gif"))), msup::Error);

    // The finished run's checkpoint goes to the prediction panel, which predicts the selection.
    QTRY_VERIFY_WITH_TIMEOUT(!checkpoint.isEmpty(), 5000);
    const QString path = window.predictionPanel()->checkpointPath();
    QVERIFY(!path.isEmpty());
    QVERIFY2(QFileInfo::exists(path), qPrintable(path));
    QVERIFY(path == result.bestCheckpoint || path == result.lastCheckpoint);
    // The run is listed in the Runs tab, and File ▸ Export predictions… starts from its checkpoint.
    QVERIFY(window.runsPanel()->runFolders().contains(QDir::cleanPath(result.runDir)));
    window.findChild<QAction*>(QStringLiteral("exportPredictionsAction"))->trigger();
    msup::ui::ExportDialog* exportDialog = window.findChild<msup::ui::ExportDialog*>();
    QVERIFY(exportDialog && exportDialog->isVisible());
    QCOMPARE(exportDialog->checkpoint(), path);
    exportDialog->close();
    QTRY_VERIFY_WITH_TIMEOUT(!predicted.isEmpty(), 60000);
    QCOMPARE(window.predictionPanel()->overlayImage().size(), QSize(64, 64));
    const QString exported = m_tmp.filePath(QStringLiteral("overlay.png"));
    QVERIFY(window.predictionPanel()->exportOverlayTo(exported));
    QCOMPARE(QImage(exported).size(), QSize(64, 64));
}

void TestStudioUi::droppingAFolderOpensIt()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy opened(&window, &MainWindow::datasetOpened);

    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(m_datasetDir) });
    const QPoint where = window.rect().center();
    QDragEnterEvent enter(where, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(where), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QVERIFY(opened.wait(30000));
    QCOMPARE(QDir::cleanPath(opened.first().first().toString()), QDir::cleanPath(m_datasetDir));

    // A dropped file that is neither a folder nor a checkpoint is refused.
    QMimeData text;
    text.setUrls({ QUrl::fromLocalFile(window.datasetPanel()->dataset().samples[0].imagePath) });
    QDragEnterEvent refused(where, Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QApplication::sendEvent(&window, &refused);
    QVERIFY(!refused.isAccepted());
}

void TestStudioUi::firstStartGeneratesTheGlandsSample()
{
    const QString sample = msup::ui::defaultSampleDatasetDir();
    QVERIFY(sample.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    QDir(sample).removeRecursively();
    QSettings().remove(QStringLiteral("dataset/last"));

    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy generated(&window, &MainWindow::sampleDatasetGenerated);
        QSignalSpy opened(&window, &MainWindow::datasetOpened);
        window.openInitialDataset(QString());
        QVERIFY(window.isGeneratingSample());
        QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 120000);
        QCOMPARE(generated.count(), 1);
        QCOMPARE(QDir::cleanPath(window.datasetRoot()), QDir::cleanPath(sample));
        QCOMPARE(window.datasetPanel()->dataset().samples.size(), 24);
        QCOMPARE(window.datasetPanel()->dataset().samples[0].imagePath.isEmpty(), false);
        QCOMPARE(QImage(window.datasetPanel()->dataset().samples[0].imagePath).size(), QSize(256, 256));
    }
    {
        // Next start: the last dataset is opened again, nothing is generated.
        MainWindow window;
        QSignalSpy generated(&window, &MainWindow::sampleDatasetGenerated);
        QSignalSpy opened(&window, &MainWindow::datasetOpened);
        window.openInitialDataset(QString());
        QVERIFY(!window.isGeneratingSample());
        QVERIFY(opened.wait(30000));
        QCOMPARE(generated.count(), 0);
        QCOMPARE(QDir::cleanPath(window.datasetRoot()), QDir::cleanPath(sample));
    }
    {
        // A folder on the command line wins.
        MainWindow window;
        QSignalSpy opened(&window, &MainWindow::datasetOpened);
        window.openInitialDataset(m_datasetDir);
        QVERIFY(opened.wait(30000));
        QCOMPARE(QDir::cleanPath(window.datasetRoot()), QDir::cleanPath(m_datasetDir));
    }
    QDir(sample).removeRecursively();
}

void TestStudioUi::pauseResumeAndStopButtons()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    openDataset(window);
    if (QTest::currentTestFailed())
        return;
    TrainingPanel* training = window.trainingPanel();
    auto* pause = training->findChild<QPushButton*>(QStringLiteral("pauseButton"));
    auto* stop = training->findChild<QPushButton*>(QStringLiteral("stopButton"));
    auto* status = training->findChild<QLabel*>(QStringLiteral("trainingStatusLabel"));
    QVERIFY(pause && stop && status);
    QVERIFY(!pause->isEnabled()); // nothing to pause yet
    msup::TrainConfig config = training->config();
    config.width = 4;
    config.imageSize = 32;
    config.batchSize = 2;
    config.epochs = 500;
    config.device = QStringLiteral("cpu");
    config.outDir = m_tmp.filePath(QStringLiteral("run-paused"));
    training->setConfig(config);
    QSignalSpy finished(training, &TrainingPanel::trainingFinished);
    QVERIFY(training->startTraining());
    QTRY_VERIFY_WITH_TIMEOUT(training->lossPointCount() > 0, 120000);
    QTRY_VERIFY(pause->isEnabled());
    pause->click();
    QCOMPARE(pause->text(), QStringLiteral("Resume"));
    // The worker confirms it is held between two batches; from then on no batch arrives.
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Paused")), 30000);
    const int held = training->lossPointCount();
    QTest::qWait(300);
    QCOMPARE(training->lossPointCount(), held);
    pause->click(); // resume
    QCOMPARE(pause->text(), QStringLiteral("Pause"));
    QTRY_VERIFY_WITH_TIMEOUT(training->lossPointCount() > held, 30000);
    // Pause again, then stop while paused: the run ends cleanly with a checkpoint.
    pause->click();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Paused")), 30000);
    stop->click();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
    const auto result = finished.first().first().value<msup::TrainResult>();
    QVERIFY(result.stopped);
    QVERIFY(QFile::exists(result.lastCheckpoint));
    QVERIFY(!pause->isChecked());
    QVERIFY(!pause->isEnabled());

    // Both bars followed the run: the epoch bar counts the batches of one epoch.
    auto* epochBar = training->findChild<QProgressBar*>(QStringLiteral("epochProgressBar"));
    auto* runBar = training->findChild<QProgressBar*>(QStringLiteral("runProgressBar"));
    QVERIFY(epochBar && runBar);
    QVERIFY(epochBar->maximum() >= 1 && epochBar->value() <= epochBar->maximum());
    QVERIFY(runBar->maximum() >= 500 * epochBar->maximum());

    // Training ▸ Resume from checkpoint continues the stopped run to 2 epochs in all (one more than
    // were done when Stop landed, on a machine so loaded that it landed after the second).
    const int doneBefore = result.epochsCompleted;
    const int total = std::max(2, doneBefore + 1);
    finished.clear();
    QSignalSpy history(training, &TrainingPanel::historyLoaded);
    QVERIFY(training->resumeTraining(config.outDir, total));
    // The completed epochs are redrawn from the run's metrics (read in the background): losses,
    // validation mIoU and per-class IoU.
    QTRY_VERIFY_WITH_TIMEOUT(!history.isEmpty(), 30000);
    QCOMPARE(history.first().first().toInt(), doneBefore);
    if (doneBefore > 0) {
        QVERIFY(training->lossPointCount() >= doneBefore);
        auto* iou = training->charts()->findChild<QCustomPlot*>(QStringLiteral("perClassIouChart"));
        QVERIFY(iou && iou->graphCount() > 0);
        QCOMPARE(iou->graph(0)->dataCount(), doneBefore);
    }
    QVERIFY(training->miouPointCount() >= doneBefore);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 120000);
    const auto resumed = finished.first().first().value<msup::TrainResult>();
    QVERIFY(!resumed.stopped);
    QCOMPARE(resumed.epochsCompleted, total);
    QCOMPARE(QDir::cleanPath(resumed.runDir), QDir::cleanPath(config.outDir));
    QCOMPARE(training->miouPointCount(), total);
    QCOMPARE(epochBar->value(), epochBar->maximum());
}

void TestStudioUi::closingDuringTrainingStopsTheRun()
{
    auto* window = new MainWindow;
    QPointer<MainWindow> guard(window);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window));
    openDataset(*window);
    if (QTest::currentTestFailed())
        return;

    TrainingPanel* training = window->trainingPanel();
    msup::TrainConfig config = training->config();
    config.width = 4;
    config.imageSize = 32;
    config.batchSize = 2;
    config.epochs = 500; // far longer than the test: only a stop ends it
    config.device = QStringLiteral("cpu");
    config.outDir = m_tmp.filePath(QStringLiteral("run-closed"));
    training->setConfig(config);
    QSignalSpy finished(training, &TrainingPanel::trainingFinished);
    QVERIFY(training->startTraining());
    QTRY_VERIFY_WITH_TIMEOUT(training->lossPointCount() > 0, 120000);

    // Answer "Yes" to the question the window asks before closing.
    bool answered = false;
    QTimer::singleShot(200, [&answered] {
        for (QWidget* widget : QApplication::topLevelWidgets()) {
            auto* box = qobject_cast<QMessageBox*>(widget);
            if (box && box->isVisible() && box->button(QMessageBox::Yes)) {
                answered = true;
                box->button(QMessageBox::Yes)->click();
                return;
            }
        }
    });
    QVERIFY(!window->close()); // refused for now: the run must stop first
    QVERIFY(answered);
    // Once stopped, the untitled project is asked about (Save / Discard / Cancel): Cancel keeps
    // the window open with the run stopped; closing again and Discard quits cleanly.
    QString question;
    auto answerProject = [&question](QMessageBox::StandardButton button) {
        auto* timer = new QTimer;
        timer->setInterval(50);
        QObject::connect(timer, &QTimer::timeout, [timer, button, &question] {
            for (QWidget* widget : QApplication::topLevelWidgets()) {
                auto* box = qobject_cast<QMessageBox*>(widget);
                if (box && box->isVisible() && box->objectName() == QLatin1String("saveProjectQuestion")) {
                    question = box->informativeText();
                    timer->deleteLater();
                    box->button(button)->click();
                    return;
                }
            }
        });
        timer->start();
    };
    answerProject(QMessageBox::Cancel);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
    const auto result = finished.first().first().value<msup::TrainResult>();
    QVERIFY(result.stopped);
    QVERIFY(result.epochsCompleted < 500);
    QTRY_VERIFY_WITH_TIMEOUT(!question.isEmpty(), 10000);
    // Truthful about what is lost: the run folders stay on disk.
    QVERIFY2(question.contains(QStringLiteral("stay on disk")), qPrintable(question));
    QTest::qWait(200);
    QVERIFY(!guard.isNull());
    QVERIFY(window->isVisible());
    QVERIFY(!training->isTraining());
    question.clear();
    answerProject(QMessageBox::Discard);
    window->close();
    QVERIFY(!question.isEmpty());
    // Then the window closes (and is deleted), recording a clean exit.
    QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), 10000);
    QVERIFY(QSettings().value(QStringLiteral("project/cleanExit")).toBool());
}

// A GLaS image: the sample line shows its official split, its grade from Grade.csv and the number
// of gland instances of its annotation (computed in the background).
void TestStudioUi::glasSampleShowsSplitGradeAndInstances()
{
    QTemporaryDir tmp;
    const QString dir = tmp.path();
    QImage image(60, 40, QImage::Format_RGB888);
    image.fill(QColor(220, 170, 200));
    QImage anno(60, 40, QImage::Format_Indexed8);
    QVector<QRgb> grey;
    for (int i = 0; i < 256; ++i)
        grey << qRgb(i, i, i);
    anno.setColorTable(grey);
    anno.fill(0);
    for (int g = 1; g <= 3; ++g)
        anno.setPixel(10 * g, 10, uint(g)); // three instances
    QVERIFY(image.save(dir + QStringLiteral("/train_1.bmp"), "BMP"));
    QVERIFY(anno.save(dir + QStringLiteral("/train_1_anno.bmp"), "BMP"));
    QFile grades(dir + QStringLiteral("/Grade.csv"));
    QVERIFY(grades.open(QIODevice::WriteOnly));
    grades.write(
        "name,patient ID, grade (GlaS), grade (Sirinukunwattana et al. 2015)\r\ntrain_1,2, benign, healthy");
    grades.close();

    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::datasetOpened);
    window.openDataset(dir);
    QVERIFY(opened.wait(30000));
    auto* label = window.datasetPanel()->findChild<QLabel*>(QStringLiteral("sampleLabel"));
    QVERIFY(label);
    QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(QStringLiteral("instance")), 30000);
    QVERIFY2(label->text().contains(QStringLiteral("split train")), qPrintable(label->text()));
    QVERIFY2(label->text().contains(QStringLiteral("benign (healthy)")), qPrintable(label->text()));
    QVERIFY2(
        label->text().contains(QStringLiteral("— 3 instance")), qPrintable(label->text())); // any plural form
}

// The prediction panel keeps its model loaded between images, but a run that overwrites the
// checkpoint file (same path) must be picked up: here a binary model is replaced by a 6-class one.
void TestStudioUi::predictionReloadsAnOverwrittenCheckpoint()
{
    auto trainTiny = [&](const QString& dataset, const QString& run) {
        return msup::TrainingSession(msup::test::tinyConfig(dataset, run, 2, 4)).run({}).bestCheckpoint;
    };
    const QString scenes = m_tmp.filePath(QStringLiteral("scenes-for-reload"));
    msup::test::writeTinyDataset(scenes, msup::SynthKind::Scenes, 6, 64, 1);
    const QString binary = trainTiny(m_datasetDir, m_tmp.filePath(QStringLiteral("reload-binary")));
    const QString multi = trainTiny(scenes, m_tmp.filePath(QStringLiteral("reload-multi")));
    const QString shared = m_tmp.filePath(QStringLiteral("shared-best.pt"));
    QVERIFY(QFile::copy(binary, shared));

    msup::ui::PredictionPanel panel;
    QSignalSpy predicted(&panel, &msup::ui::PredictionPanel::predictionReady);
    panel.setImagePath(m_datasetDir + QStringLiteral("/images/synth_0000.png"));
    panel.setCheckpoint(shared);
    QVERIFY(predicted.wait(60000));
    QCOMPARE(panel.checkpointInfo().classNames.size(), 2);

    QVERIFY(QFile::remove(shared));
    QVERIFY(QFile::copy(multi, shared));
    predicted.clear();
    panel.predict();
    QVERIFY(predicted.wait(60000));
    QCOMPARE(panel.checkpointInfo().classNames.size(), 6);
}

// A dataset of 1,000 samples opens at once: only the rows the grid shows are decoded, and scrolling
// decodes the rows that come into view.
void TestStudioUi::thumbnailsAreDecodedOnlyWhenShown()
{
    MainWindow window;
    window.resize(900, 600);
    openDataset(window);
    if (QTest::currentTestFailed())
        return;
    msup::ui::DatasetPanel* panel = window.datasetPanel();
    msup::Dataset big = panel->dataset();
    const QVector<msup::Sample> eight = big.samples;
    big.samples.clear();
    for (int i = 0; i < 1000; ++i) {
        msup::Sample s = eight[i % eight.size()];
        s.id = QStringLiteral("big_%1").arg(i, 4, 10, QLatin1Char('0'));
        big.samples << s;
    }
    // Speed is measured by the benchmarks; here: opening decodes nothing up front.
    panel->setDataset(big);
    QCOMPARE(panel->thumbnailCount(), 1000);
    QCOMPARE(panel->decodedThumbnailCount(), 0); // nothing decoded up front

    QTRY_VERIFY_WITH_TIMEOUT(panel->decodedThumbnailCount() > 0 && panel->thumbnailsDone(), 30000);
    QTest::qWait(200); // nothing else trickles in once the visible rows are done
    const int decoded = panel->decodedThumbnailCount();
    qInfo("thumbnails decoded after opening 1,000 samples: %d", decoded);
    QVERIFY2(decoded < 100, qPrintable(QString::number(decoded)));
    QCOMPARE(decoded, panel->requestedThumbnailCount());

    auto* view = window.findChild<QListView*>(QStringLiteral("thumbnailList"));
    QVERIFY(view);
    const QModelIndex last = view->model()->index(999, 0);
    QVERIFY(!view->viewport()->rect().intersects(view->visualRect(last)));
    view->scrollToBottom();
    QTRY_VERIFY_WITH_TIMEOUT(panel->decodedThumbnailCount() > decoded && panel->thumbnailsDone(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(panel->sampleModel()->hasThumbnail(999), 30000);
    QVERIFY(!panel->sampleModel()->hasThumbnail(500)); // never shown
    QVERIFY2(
        panel->decodedThumbnailCount() < 200, qPrintable(QString::number(panel->decodedThumbnailCount())));
}

void TestStudioUi::searchFiltersByName()
{
    MainWindow window;
    openDataset(window);
    if (QTest::currentTestFailed())
        return;
    msup::ui::DatasetPanel* panel = window.datasetPanel();
    auto* search = window.findChild<QLineEdit*>(QStringLiteral("sampleSearchEdit"));
    auto* count = window.findChild<QLabel*>(QStringLiteral("sampleCountLabel"));
    QVERIFY(search && count);
    QCOMPARE(panel->visibleSampleCount(), 8);
    QVERIFY2(count->text().startsWith(QStringLiteral("8 of 8")), qPrintable(count->text()));

    // Ctrl+F puts the cursor in the search field; typing filters.
    // Deprecated since Qt 6.5 (kept: it activates at once, QWidget::activateWindow only asks the platform).
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_DEPRECATED
    QApplication::setActiveWindow(&window);
    QT_WARNING_POP
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.showTab(MainWindow::Tab::Masks);
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(search->hasFocus());
    QTest::keyClicks(search, QStringLiteral("0003"));
    QCOMPARE(panel->visibleSamples(), QVector<int>({ 3 }));
    QCOMPARE(panel->thumbnailCount(), 1);
    QVERIFY2(count->text().startsWith(QStringLiteral("1 of 8")), qPrintable(count->text()));

    panel->setSearchText(QStringLiteral("SYNTH_000")); // any case
    QCOMPARE(panel->visibleSampleCount(), 8);
    panel->setSearchText(QStringLiteral("_0005"));
    QCOMPARE(panel->visibleSamples(), QVector<int>({ 5 }));
    panel->setSearchText(QStringLiteral("no such sample"));
    QCOMPARE(panel->visibleSampleCount(), 0);
    QVERIFY2(count->text().startsWith(QStringLiteral("0 of 8")), qPrintable(count->text()));

    // Selecting a hidden sample clears the filters rather than refusing.
    QSignalSpy loaded(panel, &msup::ui::DatasetPanel::currentImageLoaded);
    panel->setCurrentIndex(6);
    QCOMPARE(panel->currentIndex(), 6);
    QCOMPARE(panel->searchText(), QString());
    QCOMPARE(panel->visibleSampleCount(), 8);
    QVERIFY(loaded.wait(30000));
    QCOMPARE(loaded.last().at(1).toString(), panel->dataset().samples[6].imagePath);
}

void TestStudioUi::splitFilterShowsOneOfficialSplit()
{
    QTemporaryDir tmp;
    msup::test::writeGlasFolder(tmp.path(),
        { QStringLiteral("train_1"), QStringLiteral("train_2"), QStringLiteral("train_3"),
            QStringLiteral("testA_1"), QStringLiteral("testA_2"), QStringLiteral("testB_1") });
    if (QTest::currentTestFailed())
        return;
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy opened(&window, &MainWindow::datasetOpened);
    window.openDataset(tmp.path());
    QVERIFY(opened.wait(30000));
    msup::ui::DatasetPanel* panel = window.datasetPanel();
    QCOMPARE(panel->dataset().samples.size(), 6);

    auto* combo = window.findChild<QComboBox*>(QStringLiteral("splitFilterCombo"));
    QVERIFY(combo);
    QVERIFY(combo->isVisible());
    QCOMPARE(combo->count(), 4); // all splits, train, testA, testB
    QCOMPARE(combo->itemText(2), QStringLiteral("testA"));
    combo->setCurrentIndex(2);
    QCOMPARE(panel->splitFilter(), QStringLiteral("testA"));
    const QVector<int> shown = panel->visibleSamples();
    QCOMPARE(shown.size(), 2);
    for (int i : shown)
        QCOMPARE(panel->dataset().samples[i].split, QStringLiteral("testA"));

    // Filters combine: testA and "_2".
    panel->setSearchText(QStringLiteral("_2"));
    QCOMPARE(panel->visibleSampleCount(), 1);
    QCOMPARE(panel->dataset().samples[panel->visibleSamples().first()].id, QStringLiteral("testA_2"));
    panel->setSearchText({});
    panel->setSplitFilter(QStringLiteral("train"));
    QCOMPARE(panel->visibleSampleCount(), 3);
    panel->setSplitFilter({});
    QCOMPARE(panel->visibleSampleCount(), 6);

    // A dataset without official splits has no split filter.
    openDataset(window);
    QVERIFY(!combo->isVisible());
    QCOMPARE(panel->visibleSampleCount(), 8);
}

// The class filter scans the label maps in the background the first time and ends up showing
// exactly the samples whose labels contain the class.
void TestStudioUi::classFilterScansLabelsInBackground()
{
    MainWindow window;
    openScenes(window);
    if (QTest::currentTestFailed())
        return;
    msup::ui::DatasetPanel* panel = window.datasetPanel();
    const msup::Dataset& dataset = panel->dataset();
    const int lamp = dataset.classNames.indexOf(QStringLiteral("lamp"));
    QVERIFY(lamp > 0);
    QVector<int> expected;
    for (int i = 0; i < dataset.samples.size(); ++i) {
        const cv::Mat labels = msup::loadLabels(dataset, dataset.samples[i]);
        bool found = false;
        for (int y = 0; y < labels.rows && !found; ++y)
            for (int x = 0; x < labels.cols && !found; ++x)
                found = labels.at<uchar>(y, x) == lamp;
        if (found)
            expected << i;
    }
    QVERIFY2(!expected.isEmpty() && expected.size() < dataset.samples.size(),
        qPrintable(QString::number(expected.size())));

    auto* combo = window.findChild<QComboBox*>(QStringLiteral("classFilterCombo"));
    QVERIFY(combo);
    QCOMPARE(combo->count(), dataset.numClasses() + 1);
    QCOMPARE(combo->itemText(lamp + 1), QStringLiteral("lamp"));
    QSignalSpy scanned(panel, &msup::ui::DatasetPanel::classScanFinished);
    combo->setCurrentIndex(lamp + 1);
    QCOMPARE(panel->classFilter(), lamp);
    QTRY_VERIFY_WITH_TIMEOUT(!scanned.isEmpty(), 30000);
    QVERIFY(!panel->isScanningClasses());
    QTRY_COMPARE(panel->visibleSamples(), expected);
    auto* count = window.findChild<QLabel*>(QStringLiteral("sampleCountLabel"));
    QVERIFY2(
        count->text().startsWith(QStringLiteral("%1 of 16").arg(expected.size())), qPrintable(count->text()));

    // The scan is kept: another class filters at once, without scanning again.
    panel->setClassFilter(dataset.classNames.indexOf(QStringLiteral("wall")));
    QVERIFY(!panel->isScanningClasses());
    QVERIFY(panel->visibleSampleCount() > expected.size());
    panel->setClassFilter(-1);
    QCOMPARE(panel->visibleSampleCount(), 16);
    QCOMPARE(scanned.count(), 1);
}

void TestStudioUi::outlineModeDrawsClassBoundaries()
{
    MainWindow window;
    openScenes(window);
    if (QTest::currentTestFailed())
        return;
    msup::ui::DatasetPanel* panel = window.datasetPanel();
    QTRY_VERIFY_WITH_TIMEOUT(!panel->currentImage().isNull(), 30000);
    QCOMPARE(panel->outlineMode(), false);
    panel->setOverlayOpacity(1.0);
    const QImage image = panel->currentImage();
    const QImage filled = panel->overlayImage();
    const int filledPixels = differingPixels(filled, image);
    QVERIFY(filledPixels > 0);

    panel->setOutlineMode(true);
    const QImage outline = panel->overlayImage();
    const int outlinePixels = differingPixels(outline, image);
    QVERIFY2(outlinePixels > 0 && outlinePixels < filledPixels / 2,
        qPrintable(QStringLiteral("%1 outline vs %2 filled").arg(outlinePixels).arg(filledPixels)));
    // Every outline pixel is coloured exactly as in the filled view (opacity 1: the class colour).
    const QImage a = outline.convertToFormat(QImage::Format_RGB32),
                 b = filled.convertToFormat(QImage::Format_RGB32);
    const QImage c = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            if (a.pixel(x, y) != c.pixel(x, y))
                QCOMPARE(a.pixel(x, y), b.pixel(x, y));

    // O toggles the outline (the Dataset tab is shown).
    window.showTab(MainWindow::Tab::Dataset);
    // Deprecated since Qt 6.5 (kept: it activates at once, QWidget::activateWindow only asks the platform).
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_DEPRECATED
    QApplication::setActiveWindow(&window);
    QT_WARNING_POP
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto* check = window.findChild<QCheckBox*>(QStringLiteral("outlineCheck"));
    QVERIFY(check);
    check->setFocus();
    QTest::keyClick(&window, Qt::Key_O);
    QTRY_VERIFY(!panel->outlineMode());
    QCOMPARE(differingPixels(panel->overlayImage(), filled), 0);
}

void TestStudioUi::labelBoundariesOfASquare()
{
    cv::Mat labels(8, 8, CV_8UC1, cv::Scalar(0));
    labels(cv::Rect(2, 2, 4, 4)).setTo(1);
    const cv::Mat thin = msup::labelBoundaries(labels, 1);
    // The 12 edge pixels of the square and the 16 outside pixels touching its sides.
    QCOMPARE(cv::countNonZero(thin), 28);
    QCOMPARE(thin.at<uchar>(3, 3), uchar(0)); // inside
    QCOMPARE(thin.at<uchar>(2, 2), uchar(255)); // corner of the square
    QCOMPARE(thin.at<uchar>(1, 1), uchar(0)); // diagonal only: not a 4-neighbour
    QCOMPARE(thin.at<uchar>(0, 0), uchar(0));
    const cv::Mat thick = msup::labelBoundaries(labels, 2);
    // Dilated by one pixel it covers the whole 8×8 map but its 4 corners.
    QCOMPARE(cv::countNonZero(thick), 60);
    QCOMPARE(thick.at<uchar>(0, 0), uchar(0));
    QCOMPARE(thick.at<uchar>(1, 1), uchar(255));
    QCOMPARE(thick.at<uchar>(3, 3), uchar(255));
}

void TestStudioUi::legendListsClassesAndMarksThePresentOnes()
{
    MainWindow window;
    openScenes(window);
    if (QTest::currentTestFailed())
        return;
    msup::ui::DatasetPanel* panel = window.datasetPanel();
    QTRY_VERIFY_WITH_TIMEOUT(!panel->currentImage().isNull(), 30000);
    const msup::Dataset& dataset = panel->dataset();
    // The scenes have a void border: the legend ends with "void".
    QStringList expected = dataset.classNames;
    expected << QStringLiteral("void");
    QCOMPARE(panel->legendEntries(), expected);

    const cv::Mat labels = msup::loadLabels(dataset, dataset.samples[panel->currentIndex()]);
    QStringList present;
    for (int k = 0; k < dataset.numClasses(); ++k)
        if (cv::countNonZero(labels == k) > 0)
            present << dataset.classNames[k];
    QVERIFY(!present.isEmpty());
    QCOMPARE(panel->presentClassNames(), present);
    auto* label = window.findChild<QLabel*>(QStringLiteral("sampleLabel"));
    QVERIFY(label);
    QVERIFY2(label->text().contains(QStringLiteral("classes present: ") + present.join(QStringLiteral(", "))),
        qPrintable(label->text()));
    QVERIFY2(label->text().contains(QStringLiteral("64 × 64 px")), qPrintable(label->text()));
    QVERIFY2(label->text().contains(QStringLiteral("000001.png")), qPrintable(label->text()));

    // A binary dataset without void: its two classes only.
    openDataset(window);
    QTRY_VERIFY_WITH_TIMEOUT(
        panel->legendEntries() == QStringList({ QStringLiteral("background"), QStringLiteral("gland") }),
        30000);
}

// Importing (File ▸ Open dataset…, a dropped folder) shows the report: format, classes, counts,
// sizes, class pixel frequencies and every problem with its file and a fix.
void TestStudioUi::importShowsTheDatasetReport()
{
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(QStringLiteral("broken-glands"));
    msup::test::writeTinyDataset(dir, msup::SynthKind::Glands, 6, 48, 9);
    {
        QFile image(dir + QStringLiteral("/images/synth_0002.png"));
        QVERIFY(image.open(QIODevice::WriteOnly | QIODevice::Truncate));
        image.write("this is not a PNG file");
    }
    QSettings().remove(QStringLiteral("dataset/reportOnOpen"));

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Opening programmatically (start-up, command line) shows no report.
    openDataset(window);
    QVERIFY(!window.datasetReportDialog());

    QSignalSpy opened(&window, &MainWindow::datasetOpened);
    window.importDataset(dir);
    QVERIFY(opened.wait(30000));
    msup::ui::DatasetReportDialog* dialog = window.datasetReportDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QSignalSpy ready(dialog, &msup::ui::DatasetReportDialog::reportReady);
    if (!dialog->isFinished())
        QVERIFY(ready.wait(60000));
    QVERIFY(!dialog->wasCancelled());
    QCOMPARE(dialog->report().checked, 6);

    auto text = [dialog](const char* name) {
        auto* label = dialog->findChild<QLabel*>(QLatin1String(name));
        return label ? label->text() : QStringLiteral("<missing %1>").arg(QLatin1String(name));
    };
    QCOMPARE(text("reportFormatLabel"), msup::formatName(dialog->dataset().format));
    QVERIFY2(
        text("reportClassesLabel").contains(QStringLiteral("gland")), qPrintable(text("reportClassesLabel")));
    QVERIFY2(
        text("reportSplitsLabel").contains(QStringLiteral("6 pair")), qPrintable(text("reportSplitsLabel")));
    QVERIFY2(text("reportSizesLabel").contains(QStringLiteral("48 × 48 px")),
        qPrintable(text("reportSizesLabel")));
    QVERIFY2(text("reportCheckedLabel").contains(QStringLiteral("1 error")),
        qPrintable(text("reportCheckedLabel")));

    // One bar per class, shares of the labelled pixels.
    const QVector<double> bars = dialog->chartValues();
    QCOMPARE(bars.size(), 2);
    QVERIFY(bars[0] > 0 && bars[1] > 0);
    QVERIFY(qAbs(bars[0] + bars[1] - 100.0) < 1e-6);

    // The unreadable image is listed with its file and a fix.
    auto* problems = dialog->findChild<QTreeWidget*>(QStringLiteral("reportProblems"));
    QVERIFY(problems);
    QTreeWidgetItem* broken = nullptr;
    for (int i = 0; i < problems->topLevelItemCount(); ++i)
        if (problems->topLevelItem(i)->text(1).contains(QStringLiteral("synth_0002.png")))
            broken = problems->topLevelItem(i);
    QVERIFY2(broken, qPrintable(dialog->reportText()));
    QVERIFY(!broken->text(2).isEmpty());
    QVERIFY(!broken->text(3).isEmpty());
    QVERIFY(dialog->reportText().contains(QStringLiteral("synth_0002.png")));

    // The report can be turned off for later imports.
    auto* check = dialog->findChild<QCheckBox*>(QStringLiteral("reportOnOpenCheck"));
    QVERIFY(check && check->isChecked());
    check->setChecked(false);
    QVERIFY(!msup::ui::DatasetReportDialog::showOnOpen());
    dialog->close();
    QTRY_VERIFY(!window.datasetReportDialog()); // deleted on close
    window.importDataset(dir);
    QVERIFY(opened.wait(30000));
    QVERIFY(!window.datasetReportDialog());
    QSettings().remove(QStringLiteral("dataset/reportOnOpen"));
}

void TestStudioUi::datasetReportCanBeCancelled()
{
    msup::Dataset dataset = msup::openDataset(m_datasetDir);
    const QVector<msup::Sample> eight = dataset.samples;
    dataset.samples.clear();
    for (int i = 0; i < 2000; ++i)
        dataset.samples << eight[i % eight.size()];

    msup::ui::DatasetReportDialog dialog(dataset);
    dialog.show();
    QSignalSpy ready(&dialog, &msup::ui::DatasetReportDialog::reportReady);
    dialog.start();
    QVERIFY(dialog.isRunning());
    auto* cancel = dialog.findChild<QAbstractButton*>(QStringLiteral("reportCancelButton"));
    QVERIFY(cancel && cancel->isVisible());
    cancel->click();
    QVERIFY(ready.wait(60000));
    QVERIFY(dialog.wasCancelled());
    QVERIFY2(dialog.report().checked < 2000, qPrintable(QString::number(dialog.report().checked)));
    auto* checked = dialog.findChild<QLabel*>(QStringLiteral("reportCheckedLabel"));
    QVERIFY2(checked->text().contains(QStringLiteral("cancelled")), qPrintable(checked->text()));
}

// NYUDv2 as downloaded: nyu_depth_v2_labeled.mat (frames read lazily) with the metadata beside it.
// The browser shows the frames, and the prediction panel segments the frame shown (it has no image
// file of its own).
void TestStudioUi::nyuMatFramesAreBrowsedAndPredicted()
{
    const QString meta = msup::test::sharedDir(QStringLiteral("datasets/nyudv2/nyuv2-meta-data"));
    if (!QFileInfo::exists(meta))
        QSKIP("shared/datasets/nyudv2 is not beside the repository");
    const QString root = m_tmp.filePath(QStringLiteral("nyu"));
    QVERIFY(QDir().mkpath(root + QStringLiteral("/meta")));
    for (const char* f : { "classMapping40.mat", "class13Mapping.mat", "splits.mat" })
        QVERIFY(QFile::copy(
            meta + QLatin1Char('/') + QLatin1String(f), root + QStringLiteral("/meta/") + QLatin1String(f)));
    std::vector<cv::Mat> rgb, labels;
    for (int k = 0; k < 4; ++k) {
        rgb.emplace_back(48, 64, CV_8UC3, cv::Scalar(40 * k, 100, 200));
        cv::Mat lab(48, 64, CV_16UC1, cv::Scalar(0));
        lab.rowRange(0, 24).setTo(21); // some 894-class label
        labels.push_back(lab);
    }
    const QString file = root + QStringLiteral("/nyu_depth_v2_labeled.mat");
    msup::writeNyuMatFile(file, rgb, labels);
    const msup::TrainConfig c = msup::test::tinyConfig(file, m_tmp.filePath(QStringLiteral("nyu-run")), 2, 2);
    const QString checkpoint = msup::TrainingSession(c).run({}).bestCheckpoint;
    QVERIFY(QFile::exists(checkpoint));

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy opened(&window, &MainWindow::datasetOpened);
    window.openDataset(file);
    QVERIFY(opened.wait(30000));
    msup::ui::DatasetPanel* panel = window.datasetPanel();
    QCOMPARE(msup::formatName(panel->dataset().format), QStringLiteral("nyudv2-mat"));
    QCOMPARE(panel->dataset().samples.size(), 4);
    QCOMPARE(panel->dataset().numClasses(), 40);
    QTRY_VERIFY_WITH_TIMEOUT(!panel->currentImage().isNull(), 30000);
    QCOMPARE(panel->currentImage().size(), QSize(64, 48));
    QCOMPARE(panel->currentImage().pixelColor(3, 3), QColor(0, 100, 200)); // frame 1, R first

    msup::ui::PredictionPanel* prediction = window.predictionPanel();
    QSignalSpy predicted(prediction, &msup::ui::PredictionPanel::predictionReady);
    prediction->setCheckpoint(checkpoint);
    QVERIFY(predicted.wait(60000));
    QCOMPARE(prediction->imagePath(), QDir(root).filePath(QStringLiteral("frame_0001")));
    QCOMPARE(prediction->overlayImage().size(), QSize(64, 48));
    predicted.clear();
    panel->setCurrentIndex(2);
    QVERIFY(predicted.wait(60000));
    QCOMPARE(prediction->imagePath(), QDir(root).filePath(QStringLiteral("frame_0003")));
}

// The Masks tab shows the masked inputs of the first training batch of a run with the Training
// tab's settings: what previewTrainingBatch() gives, at the training size.
void TestStudioUi::masksTabShowsATrainingBatch()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    msup::ui::MaskPanel* masks = window.maskPanel();
    auto* button = masks->findChild<QPushButton*>(QStringLiteral("trainingBatchButton"));
    QVERIFY(button);
    auto* label = masks->findChild<QLabel*>(QStringLiteral("trainingBatchLabel"));
    button->click(); // no dataset yet: a message, not a crash
    QVERIFY(label->text().contains(QStringLiteral("open a dataset")));
    openDataset(window);
    if (QTest::currentTestFailed())
        return;
    msup::TrainConfig config = window.trainingPanel()->config();
    config.imageSize = 32;
    config.batchSize = 4;
    config.seed = 9;
    config.outDir = m_tmp.filePath(QStringLiteral("batch-run"));
    window.trainingPanel()->setConfig(config);
    config = window.trainingPanel()->config();
    button->click();
    QTRY_VERIFY_WITH_TIMEOUT(!masks->trainingBatch().isEmpty(), 30000);
    const msup::BatchPreview expected = msup::previewTrainingBatch(config, 1, 1);
    QCOMPARE(masks->trainingBatch().size(), int(expected.masked.size()));
    QCOMPARE(masks->trainingBatch().first().size(), QSize(32, 32));
    QCOMPARE(masks->trainingBatch().first(), msup::rgbToQImage(expected.masked.front()));
    QVERIFY(label->text().contains(QStringLiteral("seed 9")));
}

void TestStudioUi::robustnessTabFollowsDatasetAndRuns()
{
    MainWindow window;
    openDataset(window);
    if (QTest::currentTestFailed())
        return;
    msup::ui::RobustnessPanel* robustness = window.robustnessPanel();
    QVERIFY(robustness);
    window.showTab(MainWindow::Tab::Robustness);
    QVERIFY(window.currentTab() == MainWindow::Tab::Robustness);
    QCOMPARE(window.panelDock(MainWindow::Tab::Robustness)->widget(), robustness);
    auto* dataset = robustness->findChild<QLineEdit*>(QStringLiteral("robustnessDatasetEdit"));
    QVERIFY(dataset);
    QCOMPARE(QDir::cleanPath(dataset->text()), QDir::cleanPath(m_datasetDir));
}

QTEST_MAIN(TestStudioUi)
#include "tst_studio_ui.moc"
