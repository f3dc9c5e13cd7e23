// Widget tests of MaskSup Studio's main window (run with QT_QPA_PLATFORM=offscreen).
#include "core/data/synth.h"
#include "core/train/training_session.h"
#include "ui/dataset_panel.h"
#include "ui/main_window.h"
#include "ui/mask_panel.h"
#include "ui/prediction_panel.h"
#include "ui/sample_dataset_dialog.h"
#include "ui/training_panel.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <algorithm>

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

QMessageBox* visibleMessageBoxMentioning(const QString& needle)
{
    const QWidgetList windows = QApplication::topLevelWidgets();
    for (QWidget* widget : windows) {
        auto* box = qobject_cast<QMessageBox*>(widget);
        if (box && box->isVisible()
            && (box->text().contains(needle) || box->informativeText().contains(needle)))
            return box;
    }
    return nullptr;
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
    void glasSampleShowsSplitGradeAndInstances();
    void predictionReloadsAnOverwrittenCheckpoint();

private:
    void openDataset(MainWindow& window);

    QTemporaryDir m_tmp;
    QString m_datasetDir;
};

void TestStudioUi::initTestCase()
{
    // Keep the user's settings and data folders out of the tests.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("MaskSupTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_studio_ui"));
    QSettings().clear();

    QVERIFY(m_tmp.isValid());
    m_datasetDir = m_tmp.filePath(QStringLiteral("glands"));
    msup::SynthOptions options;
    options.kind = msup::SynthKind::Glands;
    options.count = 8;
    options.size = 64;
    options.seed = 3;
    options.outDir = m_datasetDir;
    QCOMPARE(msup::writeSynthDataset(options), 8);
}

void TestStudioUi::openDataset(MainWindow& window)
{
    QSignalSpy opened(&window, &MainWindow::datasetOpened);
    window.openDataset(m_datasetDir);
    QVERIFY(opened.wait(30000));
    QVERIFY(window.datasetPanel()->hasDataset());
}

void TestStudioUi::opensDatasetAndDecodesThumbnails()
{
    MainWindow window;
    QCOMPARE(window.windowTitle(), QStringLiteral("MaskSup Studio"));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    openDataset(window);
    if (QTest::currentTestFailed())
        return;

    msup::ui::DatasetPanel* panel = window.datasetPanel();
    QCOMPARE(panel->dataset().samples.size(), 8);
    QCOMPARE(panel->thumbnailCount(), 8);
    QTRY_VERIFY_WITH_TIMEOUT(panel->thumbnailsDone(), 30000);
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

    // The finished run's checkpoint goes to the prediction panel, which predicts the selection.
    QTRY_VERIFY_WITH_TIMEOUT(!checkpoint.isEmpty(), 5000);
    const QString path = window.predictionPanel()->checkpointPath();
    QVERIFY(!path.isEmpty());
    QVERIFY2(QFileInfo::exists(path), qPrintable(path));
    QVERIFY(path == result.bestCheckpoint || path == result.lastCheckpoint);
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
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
    const auto result = finished.first().first().value<msup::TrainResult>();
    QVERIFY(result.stopped);
    QVERIFY(result.epochsCompleted < 500);
    // Then the window closes by itself (and is deleted).
    QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), 10000);
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
        msup::TrainConfig c;
        c.datasetPath = dataset;
        c.outDir = run;
        c.width = 2;
        c.imageSize = 32;
        c.batchSize = 4;
        c.epochs = 1;
        c.device = QStringLiteral("cpu");
        c.threads = 1;
        return msup::TrainingSession(c).run({}).bestCheckpoint;
    };
    const QString scenes = m_tmp.filePath(QStringLiteral("scenes-for-reload"));
    msup::SynthOptions o;
    o.kind = msup::SynthKind::Scenes;
    o.count = 6;
    o.size = 64;
    o.outDir = scenes;
    msup::writeSynthDataset(o);
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

QTEST_MAIN(TestStudioUi)
#include "tst_studio_ui.moc"
