// Prediction export: the engine (msup::exportPredictions) with a real tiny checkpoint, and the
// ExportDialog driven offscreen (background export, progress, summary, settings).
#include "core/base/error.h"
#include "core/data/image_io.h"
#include "core/data/split.h"
#include "core/data/synth.h"
#include "core/train/batch_export.h"
#include "core/train/predictor.h"
#include "core/train/training_session.h"
#include "core/train/training_worker.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"
#include "ui/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>
#include <QtTest>

#include <atomic>

using namespace msup;

namespace {

// Answers the next QMessageBox that opens (a modal box runs its own event loop, so a timer polls
// for it) and records what it showed.
struct BoxAnswer {
    QString text;
    QMessageBox::StandardButton defaultButton = QMessageBox::NoButton;
    int shown = 0;
};

QTimer* answerBoxes(QObject* parent, QMessageBox::StandardButton answer, BoxAnswer* seen)
{
    auto* timer = new QTimer(parent);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, parent, [answer, seen] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box)
            return;
        ++seen->shown;
        seen->text = box->text();
        seen->defaultButton = box->standardButton(box->defaultButton());
        box->button(answer)->click();
    });
    timer->start();
    return timer;
}

using msup::test::folderBytes;

} // namespace

class TestExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void exportFolderWritesEveryFile();
    void secondExportOverwrites();
    void cancelAfterFirstImage();
    void legendAndTitleAnnotateTheOverlay();
    void inputsAreCollectedOnceAndMissingOnesListed();
    void badCheckpointAndNoOutputAreErrors();
    void dialogExportsInTheBackground();
    void dialogCancelStopsEarly();
    void dialogExportsUncertaintyWithTiles();
    void exportNeverReplacesDatasetOrForeignFiles();
    void exportOfADatasetFolderLeavesMasksOut();
    void dialogSuggestsAFolderOutsideTheDataset();
    void dialogAsksBeforeReplacingItsOwnOutputs();
    void trainingReportsSkippedPairsToTheGui();

private:
    QString freshDir(const QString& name) const;
    QTemporaryDir m_dir;
    QString m_checkpoint;
    QString m_dataset; // the synthetic glands (images/ + masks/)
    QString m_images; // 3 images of different sizes + 1 corrupt file
    QStringList m_imageFiles; // the 3 good ones, sorted by name
};

void TestExport::initTestCase()
{
    msup::test::isolateSettings(QStringLiteral("tst_export"));
    QVERIFY(m_dir.isValid());

    const QString dataset = msup::test::writeTinyDataset(m_dir.filePath(QStringLiteral("glands")));
    m_dataset = dataset;

    TrainConfig c = msup::test::twoEpochConfig(dataset, m_dir.filePath(QStringLiteral("run")));
    c.epochs = 1;
    TrainingSession(c).run({});
    m_checkpoint = c.outDir + QStringLiteral("/checkpoints/best.pt");
    QVERIFY(QFile::exists(m_checkpoint));

    // Three inputs of different sizes cut from the synthetic images, and one corrupt "image".
    m_images = m_dir.filePath(QStringLiteral("inputs"));
    QVERIFY(QDir().mkpath(m_images));
    const QFileInfoList sources
        = QDir(dataset + QStringLiteral("/images")).entryInfoList(QDir::Files, QDir::Name);
    QVERIFY(sources.size() >= 3);
    const QSize sizes[] = { QSize(64, 64), QSize(70, 50), QSize(45, 90) };
    for (int i = 0; i < 3; ++i) {
        const QImage src(sources[i].absoluteFilePath());
        QVERIFY(!src.isNull());
        const QString path = m_images + QStringLiteral("/img%1.png").arg(i);
        QVERIFY(src.scaled(sizes[i]).convertToFormat(QImage::Format_RGB888).save(path));
        m_imageFiles << path;
    }
    QFile broken(m_images + QStringLiteral("/broken.png"));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("\x89PNG\r\n\x1a\n this is not an image");
    broken.close();
    QFile notes(m_images + QStringLiteral("/notes.txt")); // not an image: not picked up
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("hello");
}

QString TestExport::freshDir(const QString& name) const
{
    const QString dir = m_dir.filePath(name);
    QDir(dir).removeRecursively();
    return dir;
}

void TestExport::exportFolderWritesEveryFile()
{
    ExportOptions o;
    o.checkpoint = m_checkpoint;
    o.inputs = { m_images };
    o.outDir = freshDir(QStringLiteral("out1"));
    o.probabilities = true;
    o.device = QStringLiteral("cpu");
    QVector<int> dones;
    std::atomic_bool stop { false };
    FunctionProgress progress(
        [&](int done, int total, const std::string&) {
            dones << done;
            stop = total != 4;
        },
        &stop);
    const ExportSummary s = exportPredictions(o, progress);
    QCOMPARE(dones, QVector<int>({ 0, 1, 2, 3, 4 }));
    QVERIFY(!s.cancelled);
    QCOMPARE(s.imagesTotal, 4);
    QCOMPARE(s.imagesExported, 3);
    QCOMPARE(s.overwritten, 0);
    QCOMPARE(s.written.size(), 9);
    QCOMPARE(s.outDir, QDir(o.outDir).absolutePath());
    QVERIFY(s.seconds >= 0);
    QCOMPARE(s.skipped.size(), 1);
    QVERIFY(s.skipped[0].file.endsWith(QLatin1String("broken.png")));
    QVERIFY(!s.skipped[0].reason.isEmpty());
    QVERIFY(!s.skipped[0].reason.startsWith(s.skipped[0].file)); // the reason, not the path again

    Predictor predictor(m_checkpoint, QStringLiteral("cpu"));
    const CheckpointInfo& info = predictor.info();
    const int classes = int(info.classNames.size());
    QCOMPARE(classes, 2);
    const QStringList expected { QStringLiteral("img0_mask.png"), QStringLiteral("img0_overlay.png"),
        QStringLiteral("img0_prob.npy"), QStringLiteral("img1_mask.png"), QStringLiteral("img1_overlay.png"),
        QStringLiteral("img1_prob.npy"), QStringLiteral("img2_mask.png"), QStringLiteral("img2_overlay.png"),
        QStringLiteral("img2_prob.npy") };
    QCOMPARE(QDir(o.outDir).entryList(QDir::Files, QDir::Name), expected);

    for (const QString& file : m_imageFiles) {
        const QString stem = QFileInfo(file).completeBaseName();
        const QImage input(file);
        const QImage overlay(QDir(o.outDir).filePath(stem + QStringLiteral("_overlay.png")));
        QCOMPARE(overlay.size(), input.size());

        const QImage mask(QDir(o.outDir).filePath(stem + QStringLiteral("_mask.png")));
        QCOMPARE(mask.format(), QImage::Format_Indexed8);
        QCOMPARE(mask.size(), input.size());
        const QVector<QRgb> table = mask.colorTable();
        QVERIFY(table.size() >= classes);
        for (int c = 0; c < classes; ++c)
            QCOMPARE(table[c], info.classColors[c].rgb());
        const cv::Mat labels = predictor.predict(loadImageRgb(file));
        QCOMPARE(labels.cols, mask.width());
        QCOMPARE(labels.rows, mask.height());
        for (int y = 0; y < labels.rows; ++y)
            QVERIFY2(
                std::equal(labels.ptr<uchar>(y), labels.ptr<uchar>(y) + labels.cols, mask.constScanLine(y)),
                qPrintable(QStringLiteral("%1: row %2 differs from Predictor::predict").arg(stem).arg(y)));

        QFile npy(QDir(o.outDir).filePath(stem + QStringLiteral("_prob.npy")));
        QVERIFY(npy.open(QIODevice::ReadOnly));
        const QByteArray bytes = npy.readAll();
        QVERIFY(bytes.startsWith(QByteArray("\x93NUMPY\x01\x00", 8)));
        const int headerLength = uchar(bytes[8]) | (uchar(bytes[9]) << 8);
        QCOMPARE((10 + headerLength) % 64, 0);
        const QByteArray header = bytes.mid(10, headerLength);
        QVERIFY(header.contains("'descr': '<f4'"));
        const int channels = info.outputChannels;
        QVERIFY2(header.contains(QStringLiteral("'shape': (%1, 32, 32)").arg(channels).toLatin1()),
            header.constData());
        QCOMPARE(bytes.size(), 10 + headerLength + channels * 32 * 32 * 4);
        const float* values = reinterpret_cast<const float*>(bytes.constData() + 10 + headerLength);
        for (int i = 0; i < channels * 32 * 32; ++i)
            QVERIFY(values[i] >= 0.f && values[i] <= 1.f);
    }
}

void TestExport::secondExportOverwrites()
{
    ExportOptions o;
    o.checkpoint = m_checkpoint;
    o.inputs = { m_imageFiles[0] };
    o.outDir = freshDir(QStringLiteral("out2"));
    o.labelMask = false;
    o.device = QStringLiteral("cpu");
    const ExportSummary first = exportPredictions(o);
    QCOMPARE(first.written.size(), 1);
    QCOMPARE(first.overwritten, 0);
    const ExportSummary second = exportPredictions(o);
    QCOMPARE(second.written, first.written);
    QCOMPARE(second.overwritten, 1);
    QCOMPARE(QDir(o.outDir).entryList(QDir::Files), QStringList { QStringLiteral("img0_overlay.png") });
}

void TestExport::cancelAfterFirstImage()
{
    ExportOptions o;
    o.checkpoint = m_checkpoint;
    o.inputs = m_imageFiles;
    o.outDir = freshDir(QStringLiteral("out3"));
    o.device = QStringLiteral("cpu");
    QStringList currents;
    std::atomic_bool stop { false };
    FunctionProgress progress(
        [&](int done, int, const std::string& current) {
            currents << QString::fromStdString(current);
            stop = done >= 1;
        },
        &stop);
    const ExportSummary s = exportPredictions(o, progress);
    QVERIFY(s.cancelled);
    QCOMPARE(s.imagesTotal, 3);
    QCOMPARE(s.imagesExported, 1);
    QVERIFY(s.skipped.isEmpty());
    QCOMPARE(currents, QStringList({ m_imageFiles[0], m_imageFiles[1] }));
    QCOMPARE(QDir(o.outDir).entryList(QDir::Files, QDir::Name),
        QStringList({ QStringLiteral("img0_mask.png"), QStringLiteral("img0_overlay.png") }));
    QCOMPARE(s.written.size(), 2);
}

void TestExport::legendAndTitleAnnotateTheOverlay()
{
    ExportOptions o;
    o.checkpoint = m_checkpoint;
    o.inputs = { m_imageFiles[1] };
    o.outDir = freshDir(QStringLiteral("out4"));
    o.labelMask = false;
    o.legend = true;
    o.title = QStringLiteral("%1 — MaskSup");
    o.device = QStringLiteral("cpu");
    const ExportSummary s = exportPredictions(o);
    QCOMPARE(s.written.size(), 1);
    const QImage input(m_imageFiles[1]);
    const QImage annotated(s.written.first());
    QCOMPARE(annotated.width(), input.width());
    QVERIFY(annotated.height() > input.height());

    // The strips directly: a title strip only adds the title's height; text is drawn into it.
    QImage plain(200, 100, QImage::Format_RGB32);
    plain.fill(Qt::darkGreen);
    const QStringList names { QStringLiteral("background"), QStringLiteral("gland") };
    const QVector<QColor> colors { QColor(Qt::black), QColor(255, 0, 0) };
    QCOMPARE(annotateOverlay(plain, QString(), false, names, colors), plain);
    const QImage titled = annotateOverlay(plain, QStringLiteral("Title"), false, names, colors);
    QVERIFY(titled.height() > plain.height());
    const int titleHeight = titled.height() - plain.height();
    bool ink = false;
    for (int y = 0; y < titleHeight && !ink; ++y)
        for (int x = 0; x < titled.width() && !ink; ++x)
            ink = titled.pixelColor(x, y).lightness() < 128;
    QVERIFY2(ink, "the title strip holds no text");
    QCOMPARE(titled.pixelColor(100, titleHeight + 50), QColor(Qt::darkGreen));
    // Binary legend: the gland swatch (red) and no background swatch.
    const QImage legend = annotateOverlay(plain, QString(), true, names, colors);
    QVERIFY(legend.height() > plain.height());
    bool red = false;
    for (int y = plain.height(); y < legend.height() && !red; ++y)
        for (int x = 0; x < legend.width() && !red; ++x)
            red = legend.pixel(x, y) == qRgb(255, 0, 0);
    QVERIFY(red);
    // Many classes on a narrow image wrap over several rows.
    QStringList many;
    QVector<QColor> manyColors;
    for (int i = 0; i < 13; ++i) {
        many << QStringLiteral("class number %1").arg(i);
        manyColors << QColor::fromHsv(i * 25, 200, 200);
    }
    const QImage wrapped = annotateOverlay(plain, QString(), true, many, manyColors);
    QVERIFY(wrapped.height() - plain.height() > 3 * (legend.height() - plain.height()));
}

void TestExport::inputsAreCollectedOnceAndMissingOnesListed()
{
    QVector<ExportSkip> problems;
    const QString empty = freshDir(QStringLiteral("emptyFolder"));
    QVERIFY(QDir().mkpath(empty));
    const QStringList files = collectExportImages(
        { m_imageFiles[2], m_images, m_images + QStringLiteral("/missing.png"), empty }, &problems);
    QCOMPARE(files.size(), 4); // img2 first (as given), then broken, img0, img1 from the folder
    QCOMPARE(files.first(), m_imageFiles[2]);
    QCOMPARE(files.count(m_imageFiles[2]), 1);
    QCOMPARE(problems.size(), 2);
    QVERIFY(problems[0].file.endsWith(QLatin1String("missing.png")));
    QCOMPARE(problems[1].file, empty);

    // Two inputs with the same name from different folders do not overwrite each other.
    const QString other = freshDir(QStringLiteral("other"));
    QVERIFY(QDir().mkpath(other));
    QVERIFY(QFile::copy(m_imageFiles[0], other + QStringLiteral("/img0.png")));
    ExportOptions o;
    o.checkpoint = m_checkpoint;
    o.inputs = { m_imageFiles[0], other + QStringLiteral("/img0.png") };
    o.outDir = freshDir(QStringLiteral("out5"));
    o.overlay = false;
    o.device = QStringLiteral("cpu");
    const ExportSummary s = exportPredictions(o);
    QCOMPARE(QDir(o.outDir).entryList(QDir::Files, QDir::Name),
        QStringList({ QStringLiteral("img0-2_mask.png"), QStringLiteral("img0_mask.png") }));
    QCOMPARE(s.overwritten, 0);
}

void TestExport::badCheckpointAndNoOutputAreErrors()
{
    ExportOptions o;
    o.checkpoint = m_dir.filePath(QStringLiteral("none.pt"));
    o.inputs = { m_images };
    o.outDir = freshDir(QStringLiteral("out6"));
    o.device = QStringLiteral("cpu");
    QVERIFY_THROWS_EXCEPTION(Error, exportPredictions(o));
    o.checkpoint = m_checkpoint;
    o.overlay = o.labelMask = o.probabilities = false;
    QVERIFY_THROWS_EXCEPTION(Error, exportPredictions(o));
    o.overlay = true;
    o.inputs = { m_dir.filePath(QStringLiteral("nothing-here")) };
    QVERIFY_THROWS_EXCEPTION(Error, exportPredictions(o));
}

void TestExport::dialogExportsInTheBackground()
{
    const QString out = freshDir(QStringLiteral("out-ui"));
    {
        ui::ExportDialog dialog;
        dialog.setDevice(QStringLiteral("cpu"));
        dialog.setCheckpoint(m_checkpoint);
        dialog.addInputs({ m_images, m_images }); // the duplicate is ignored
        QCOMPARE(dialog.inputs().size(), 1);
        dialog.setOutputFolder(out);
        auto* prob = dialog.findChild<QCheckBox*>(QStringLiteral("exportProbCheck"));
        auto* opacity = dialog.findChild<QSpinBox*>(QStringLiteral("exportOpacitySpin"));
        auto* exportButton = dialog.findChild<QPushButton*>(QStringLiteral("exportButton"));
        QVERIFY(prob && opacity && exportButton);
        prob->setChecked(true);
        opacity->setValue(70);
        QCOMPARE(dialog.options().opacity, 0.7);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(exportButton->isEnabled());

        int ticksWhileExporting = 0;
        QTimer ticker;
        ticker.setInterval(2);
        connect(&ticker, &QTimer::timeout, &dialog, [&] {
            if (dialog.isExporting())
                ++ticksWhileExporting;
        });
        ticker.start();
        QSignalSpy finished(&dialog, &ui::ExportDialog::exportFinished);
        QTest::mouseClick(exportButton, Qt::LeftButton);
        QVERIFY(dialog.isExporting()); // returned at once: the work is on another thread
        QVERIFY(!exportButton->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(dialog.hasSummary(), 120000);
        QCOMPARE(finished.size(), 1);
        QVERIFY2(ticksWhileExporting > 0, "the event loop was blocked during the export");
        QVERIFY2(dialog.lastError().isEmpty(), qPrintable(dialog.lastError()));

        const ExportSummary& s = dialog.summary();
        QCOMPARE(s.imagesExported, 3);
        QCOMPARE(s.written.size(), 9);
        for (const QString& path : s.written)
            QVERIFY(QFile::exists(path));
        QCOMPARE(QDir(out).entryList(QDir::Files).size(), 9);
        auto* summaryLabel = dialog.findChild<QLabel*>(QStringLiteral("exportSummaryLabel"));
        auto* skipped = dialog.findChild<QTreeWidget*>(QStringLiteral("exportSkippedList"));
        auto* openFolder = dialog.findChild<QPushButton*>(QStringLiteral("exportOpenFolderButton"));
        QVERIFY(summaryLabel && skipped && openFolder);
        QVERIFY(summaryLabel->isVisible());
        QVERIFY(summaryLabel->text().contains(QDir::toNativeSeparators(s.outDir)));
        QVERIFY(summaryLabel->text().contains(QLatin1String("9")));
        QCOMPARE(skipped->topLevelItemCount(), 1);
        QVERIFY(skipped->topLevelItem(0)->text(0).endsWith(QLatin1String("broken.png")));
        QVERIFY(!skipped->topLevelItem(0)->text(1).isEmpty());
        QVERIFY(openFolder->isVisible());
        QVERIFY(exportButton->isEnabled());
    }
    // The choices are remembered for the next dialog.
    ui::ExportDialog next;
    const ExportOptions o = next.options();
    QCOMPARE(QDir::cleanPath(o.outDir), QDir::cleanPath(out));
    QVERIFY(o.probabilities);
    QVERIFY(o.overlay && o.labelMask);
    QCOMPARE(o.opacity, 0.7);
    QVERIFY(o.inputs.isEmpty());
}

void TestExport::dialogExportsUncertaintyWithTiles()
{
    const QString out = freshDir(QStringLiteral("out-ui-uncertainty"));
    {
        ui::ExportDialog dialog;
        dialog.setDevice(QStringLiteral("cpu"));
        dialog.setCheckpoint(m_checkpoint);
        dialog.addInputs({ m_images });
        dialog.setOutputFolder(out);
        auto* uncertainty = dialog.findChild<QCheckBox*>(QStringLiteral("exportUncertaintyCheck"));
        auto* mode = dialog.findChild<QComboBox*>(QStringLiteral("inferenceModeCombo"));
        auto* scale = dialog.findChild<QDoubleSpinBox*>(QStringLiteral("inferenceScaleSpin"));
        auto* tta = dialog.findChild<QCheckBox*>(QStringLiteral("inferenceTtaCheck"));
        QVERIFY(uncertainty && mode && scale && tta);
        for (const char* name : { "exportOverlayCheck", "exportMaskCheck", "exportProbCheck" })
            dialog.findChild<QCheckBox*>(QLatin1String(name))->setChecked(false);
        uncertainty->setChecked(true);
        mode->setCurrentIndex(mode->findData(int(InferenceOptions::Mode::Tiles)));
        scale->setValue(0.5);
        tta->setChecked(true);
        const ExportOptions o = dialog.options();
        QVERIFY(o.uncertainty && !o.overlay && !o.labelMask && !o.probabilities);
        QCOMPARE(o.inference.mode, InferenceOptions::Mode::Tiles);
        QCOMPARE(o.inference.scale, 0.5);
        QVERIFY(o.inference.flipTta);
        auto* exportButton = dialog.findChild<QPushButton*>(QStringLiteral("exportButton"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(exportButton->isEnabled()); // the uncertainty alone is something to export
        QTest::mouseClick(exportButton, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.hasSummary(), 120000);
        QVERIFY2(dialog.lastError().isEmpty(), qPrintable(dialog.lastError()));
        QCOMPARE(dialog.summary().imagesExported, 3);
        // Two files per image: the heat map (at the image's size) and the .npy.
        QCOMPARE(QDir(out).entryList({ QStringLiteral("*_uncertainty.png") }, QDir::Files).size(), 3);
        QCOMPARE(QDir(out).entryList({ QStringLiteral("*_uncertainty.npy") }, QDir::Files).size(), 3);
    }
    const ExportOptions again = ui::ExportDialog().options(); // remembered
    QVERIFY(again.uncertainty);
    QCOMPARE(again.inference.mode, InferenceOptions::Mode::Tiles);
    QVERIFY(again.inference.flipTta);
}

void TestExport::dialogCancelStopsEarly()
{
    const QString out = freshDir(QStringLiteral("out-ui-cancel"));
    ui::ExportDialog dialog;
    dialog.setDevice(QStringLiteral("cpu"));
    dialog.setCheckpoint(m_checkpoint);
    dialog.addInputs(m_imageFiles);
    dialog.setOutputFolder(out);
    dialog.show();
    auto* exportButton = dialog.findChild<QPushButton*>(QStringLiteral("exportButton"));
    auto* cancelButton = dialog.findChild<QPushButton*>(QStringLiteral("exportCancelButton"));
    QVERIFY(exportButton && cancelButton);
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QVERIFY(cancelButton->isVisible() && cancelButton->isEnabled());
    QTest::mouseClick(cancelButton, Qt::LeftButton); // before the checkpoint has even loaded
    QTRY_VERIFY_WITH_TIMEOUT(dialog.hasSummary(), 60000);
    QVERIFY(dialog.summary().cancelled);
    QVERIFY(dialog.summary().imagesExported <= 1);
    QVERIFY(dialog.summaryText().contains(QLatin1String("Cancelled")));

    // A missing checkpoint is reported in the summary, not as a crash (an image exported before the
    // cancel is an earlier output: the dialog asks before replacing it).
    BoxAnswer seen;
    answerBoxes(&dialog, QMessageBox::Yes, &seen);
    dialog.setCheckpoint(m_dir.filePath(QStringLiteral("none.pt")));
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isExporting(), 60000);
    QVERIFY(!dialog.lastError().isEmpty());
    QVERIFY(dialog.summaryText().contains(QLatin1String("none.pt")));
}

// Issue 13, finding 2: the GUI's export with the dataset as output folder replaced its 40 masks.
void TestExport::exportNeverReplacesDatasetOrForeignFiles()
{
    const QString masks = m_dataset + QStringLiteral("/masks");
    const QHash<QString, QByteArray> datasetBefore = folderBytes(m_dataset);
    const QHash<QString, QByteArray> masksBefore = folderBytes(masks);
    ExportOptions o;
    o.checkpoint = m_checkpoint;
    o.inputs = { m_dataset + QStringLiteral("/images") };
    o.device = QStringLiteral("cpu");
    for (const QString& out : QStringList { m_dataset, masks, m_dataset + QStringLiteral("/predictions") }) {
        o.outDir = out;
        try {
            exportPredictions(o);
            QFAIL(qPrintable(QStringLiteral("exported into %1").arg(out)));
        } catch (const Error& e) {
            const QString message = QString::fromStdString(e.what());
            QVERIFY2(message.contains(QStringLiteral("dataset"))
                    && message.contains(QStringLiteral("glands-predictions")),
                e.what());
        }
    }
    QCOMPARE(folderBytes(m_dataset), datasetBefore);
    QCOMPARE(folderBytes(masks), masksBefore);
    QVERIFY(!QFileInfo::exists(m_dataset + QStringLiteral("/predictions")));

    // A folder with a file the export did not write: refused before anything is written.
    const QString mine = freshDir(QStringLiteral("mine"));
    QVERIFY(QDir().mkpath(mine));
    QFile user(mine + QStringLiteral("/img1_mask.png"));
    QVERIFY(user.open(QIODevice::WriteOnly));
    user.write("mine");
    user.close();
    o.inputs = m_imageFiles;
    o.outDir = mine;
    try {
        exportPredictions(o);
        QFAIL("replaced a file the export did not write");
    } catch (const Error& e) {
        QVERIFY2(QString::fromStdString(e.what()).contains(user.fileName()), e.what());
    }
    QCOMPARE(folderBytes(mine).keys(), QList<QString> { QStringLiteral("img1_mask.png") });
    QCOMPARE(folderBytes(mine).value(QStringLiteral("img1_mask.png")), QByteArray("mine"));
}

void TestExport::exportOfADatasetFolderLeavesMasksOut()
{
    ExportOptions o;
    o.checkpoint = m_checkpoint;
    o.inputs = { m_dataset };
    o.outDir = freshDir(QStringLiteral("glands-predictions"));
    o.device = QStringLiteral("cpu");
    const ExportSummary s = exportPredictions(o);
    QCOMPARE(s.imagesTotal, 10); // the 10 images, not their 10 masks
    QCOMPARE(s.imagesExported, 10);
    QCOMPARE(QDir(o.outDir).entryList({ QStringLiteral("*_overlay.png") }, QDir::Files).size(), 10);
    const ExportSummary again = exportPredictions(o);
    QCOMPARE(again.overwritten, 20); // its own earlier outputs, counted
}

void TestExport::dialogSuggestsAFolderOutsideTheDataset()
{
    ui::ExportDialog dialog;
    dialog.setOutputFolder(m_dataset + QStringLiteral("/masks"));
    dialog.addInputs({ m_dataset });
    QCOMPARE(QDir::cleanPath(dialog.options().outDir),
        QDir::cleanPath(m_dir.filePath(QStringLiteral("glands-predictions"))));
    // A folder the user chose outside any dataset is kept.
    const QString mine = m_dir.filePath(QStringLiteral("elsewhere"));
    dialog.setOutputFolder(mine);
    dialog.addInputs({ m_imageFiles[0] });
    QCOMPARE(QDir::cleanPath(dialog.options().outDir), QDir::cleanPath(mine));
}

void TestExport::dialogAsksBeforeReplacingItsOwnOutputs()
{
    const QString out = freshDir(QStringLiteral("out-ui-replace"));
    ui::ExportDialog dialog;
    dialog.setDevice(QStringLiteral("cpu"));
    dialog.setCheckpoint(m_checkpoint);
    dialog.addInputs(m_imageFiles);
    dialog.setOutputFolder(out);
    auto* prob = dialog.findChild<QCheckBox*>(QStringLiteral("exportProbCheck"));
    QVERIFY(prob);
    prob->setChecked(false);
    dialog.show();
    auto* exportButton = dialog.findChild<QPushButton*>(QStringLiteral("exportButton"));
    QVERIFY(exportButton);
    BoxAnswer seen;
    QTimer* answering = answerBoxes(&dialog, QMessageBox::No, &seen);
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.hasSummary() && !dialog.isExporting(), 120000);
    QCOMPARE(seen.shown, 0); // nothing to replace: no question
    QCOMPARE(dialog.summary().imagesExported, 3);
    const QHash<QString, QByteArray> first = folderBytes(out);

    // Again into the same folder: asked first, No is the default and leaves everything as it was.
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(seen.shown, 1, 10000);
    QCOMPARE(seen.defaultButton, QMessageBox::No);
    QVERIFY2(seen.text.contains(QLatin1String("6")), qPrintable(seen.text));
    QVERIFY(!dialog.isExporting());
    QCOMPARE(folderBytes(out), first);

    // Yes replaces them, and the summary says how many.
    delete answering;
    answerBoxes(&dialog, QMessageBox::Yes, &seen);
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isExporting() || dialog.summary().overwritten > 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isExporting(), 120000);
    QCOMPARE(seen.shown, 2);
    QCOMPARE(dialog.summary().overwritten, 6);
    QVERIFY(dialog.summaryText().contains(QLatin1String("6")));
}

// The GUI's training (TrainingController, which the Training panel drives and whose pairSkipped
// the main window writes to the Log panel) leaves out a pair that validation rejects and says which.
void TestExport::trainingReportsSkippedPairsToTheGui()
{
    const QString data = m_dir.filePath(QStringLiteral("glands-bad"));
    msup::test::writeTinyDataset(data, SynthKind::Glands, 6, 64, 8);
    TrainConfig c;
    // A pair of the training split (a run whose only validation pair is unusable stops instead).
    const Dataset ds = openDataset(data);
    const QString bad = ds.samples[defaultSplit(ds, c.valFraction, c.seed).train.first()].maskPath;
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        f.close();
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes.left(bytes.size() / 2)); // cut short
    }
    c = msup::test::tinyConfig(data, m_dir.filePath(QStringLiteral("run-bad")), 2, 2);
    TrainingController controller;
    QSignalSpy skipped(&controller, &TrainingController::pairSkipped);
    QSignalSpy finished(&controller, &TrainingController::finished);
    QSignalSpy failed(&controller, &TrainingController::failed);
    QVERIFY(controller.start(c));
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() + failed.size() > 0, 120000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    QCOMPARE(skipped.size(), 1);
    QCOMPARE(skipped.first().at(0).toString(), bad);
    QVERIFY(skipped.first().at(1).toString().contains(QStringLiteral("truncated")));
}

QTEST_MAIN(TestExport)
#include "tst_export.moc"
