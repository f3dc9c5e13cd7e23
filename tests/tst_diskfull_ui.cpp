// Disk full in the GUI: a training run whose checkpoint cannot be written ends in the Training
// panel's "Training failed" dialog naming the file and the free space (the previous checkpoint
// intact); saving the log to a full disk says so. Writes fail through RLIMIT_FSIZE (no LD_PRELOAD).
#include "core/data/synth.h"
#include "core/train/training_worker.h"
#include "tests/support/file_size_limit.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"
#include "ui/log_panel.h"
#include "ui/training_panel.h"

#include <QFile>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/resource.h>

namespace {

using msup::test::FileSizeLimit;
using msup::test::readAll;

} // namespace

class TestDiskFullUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void trainingFailureShowsADialog();
    void savingTheLogToAFullDiskSaysSo();
};

void TestDiskFullUi::trainingFailureShowsADialog()
{
    QTemporaryDir tmp;
    const QString glands = msup::test::writeTinyDataset(
        tmp.filePath(QStringLiteral("glands")), msup::SynthKind::Glands, 8, 64, 1);
    const msup::TrainConfig c = msup::test::tinyConfig(glands, tmp.filePath(QStringLiteral("run")));
    {
        msup::TrainingController controller;
        QSignalSpy finished(&controller, &msup::TrainingController::finished);
        QVERIFY(controller.start(c));
        QVERIFY(finished.wait(120000));
    }
    const QString last = c.outDir + QStringLiteral("/checkpoints/last.pt");
    const QByteArray lastBytes = readAll(last);
    QVERIFY(!lastBytes.isEmpty());

    msup::ui::TrainingPanel panel;
    panel.setDataset(glands, QStringLiteral("glands"));
    QSignalSpy failed(&panel, &msup::ui::TrainingPanel::trainingFailed);
    {
        FileSizeLimit limit(rlim_t(lastBytes.size() / 2));
        QVERIFY(panel.resumeTraining(c.outDir, 2));
        QVERIFY(failed.wait(120000));
    }
    QMessageBox* dialog = nullptr;
    for (QMessageBox* box : panel.findChildren<QMessageBox*>())
        if (box->windowTitle() == QStringLiteral("Training failed"))
            dialog = box;
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    const QString text = dialog->informativeText();
    QVERIFY2(text.contains(QStringLiteral(".pt: could not be written completely")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral(" free of ")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Resume in the Training panel")), qPrintable(text));
    QCOMPARE(readAll(last), lastBytes);
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isTraining(), 30000);
    dialog->close();
}

void TestDiskFullUi::savingTheLogToAFullDiskSaysSo()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("studio.log"));
    msup::ui::LogPanel panel;
    panel.info(QStringLiteral("first"));
    QVERIFY(panel.saveTo(path));
    const QByteArray kept = readAll(path);
    for (int i = 0; i < 200; ++i)
        panel.info(QStringLiteral("line %1 of a long session").arg(i));
    QString error;
    {
        FileSizeLimit limit(2048);
        QVERIFY(!panel.saveTo(path, &error));
    }
    QVERIFY2(error.startsWith(path + QStringLiteral(": ")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral(" free of ")), qPrintable(error));
    QCOMPARE(readAll(path), kept);
}

QTEST_MAIN(TestDiskFullUi)
#include "tst_diskfull_ui.moc"
