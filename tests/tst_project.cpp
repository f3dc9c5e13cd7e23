// Project files (.masksup): the engine's reader/writer and the main window's project handling
// (run with QT_QPA_PLATFORM=offscreen).
#include "core/base/error.h"
#include "core/data/synth.h"
#include "core/io/project_file.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"
#include "tests/support/widgets.h"
#include "ui/dataset_panel.h"
#include "ui/main_window.h"
#include "ui/training_panel.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using msup::Project;
using msup::ui::MainWindow;

namespace {

using msup::test::readJsonObject;
using msup::test::visibleMessageBox;

void writeBytes(const QString& path, const QByteArray& bytes)
{
    QVERIFY(msup::test::writeAll(path, bytes));
}

// Clicks `button` of the "save the untitled project?" question as soon as it shows.
void answerSaveQuestion(QMessageBox::StandardButton button, bool* answered)
{
    auto* timer = new QTimer;
    timer->setInterval(50);
    QObject::connect(timer, &QTimer::timeout, [timer, button, answered] {
        QMessageBox* box = visibleMessageBox(QStringLiteral("saveProjectQuestion"));
        if (!box || !box->button(button))
            return;
        *answered = true;
        timer->stop();
        timer->deleteLater();
        box->button(button)->click();
    });
    timer->start();
    QTimer::singleShot(20000, timer, [timer] { timer->deleteLater(); });
}

} // namespace

class TestProject : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    // Engine.
    void roundTripKeepsEveryField();
    void pathsBelowTheProjectAreRelative_data();
    void pathsBelowTheProjectAreRelative();
    void loadErrorsNameLineKeyOrVersion_data();
    void loadErrorsNameLineKeyOrVersion();
    void missingFileIsAnError();
    void saveReplacesTheFileAtomically();

    // Main window.
    void saveAndReopenRestoresDatasetAndConfig();
    void recentProjectsAreCappedAndPruned();
    void autosaveWritesTheProject();
    void closingAnUntitledModifiedProjectAsks();
    void closingASavedProjectSavesIt();
    void lastProjectReopensAtStart();
    void autosaveIsOfferedAfterAnUncleanExit();
    void runsStartedFromTheWindowBelongToTheProject();
    void trainingSettingsHaveTheSameLimitsEverywhere();

private:
    void openDataset(MainWindow& window);

    QTemporaryDir m_tmp;
    QString m_datasetDir;
};

void TestProject::initTestCase()
{
    msup::test::isolateSettings(QStringLiteral("tst_project"));
    QFile::remove(MainWindow::autosavePath());

    QVERIFY(m_tmp.isValid());
    m_datasetDir = msup::test::writeTinyDataset(
        m_tmp.filePath(QStringLiteral("glands")), msup::SynthKind::Glands, 6, 64, 3);
}

void TestProject::init()
{
    // Each test starts like a first start: no last project, no autosave.
    QSettings settings;
    settings.remove(QStringLiteral("project"));
    QFile::remove(MainWindow::autosavePath());
}

void TestProject::openDataset(MainWindow& window)
{
    QVERIFY(msup::test::openDatasetAndWait(window, m_datasetDir));
}

// ---- Engine -------------------------------------------------------------------------------------

void TestProject::roundTripKeepsEveryField()
{
    const QString dir = m_tmp.filePath(QStringLiteral("roundtrip"));
    const QString file = dir + QStringLiteral("/study.masksup");
    Project p;
    p.datasetPath = dir + QStringLiteral("/data/glas");
    p.datasetFormat = QStringLiteral("nyudv2-mat-13");
    p.split = QStringLiteral("testA");
    p.training = QJsonObject { { QStringLiteral("model"), QStringLiteral("unetpp") },
        { QStringLiteral("width"), 8 }, { QStringLiteral("epochs"), 3 }, { QStringLiteral("lr"), 0.01 },
        { QStringLiteral("seed"), QStringLiteral("7") } };
    p.runFolders = QStringList { dir + QStringLiteral("/runs/a"), QStringLiteral("/elsewhere/runs/b") };
    p.presets.insert(QStringLiteral("fast"), QJsonObject { { QStringLiteral("epochs"), 2 } });
    p.presets.insert(QStringLiteral("paper"),
        QJsonObject { { QStringLiteral("preset"), QStringLiteral("glas-levit384") } });
    p.view = QJsonObject { { QStringLiteral("tab"), QStringLiteral("training") },
        { QStringLiteral("label_opacity"), 0.25 }, { QStringLiteral("label_outline"), true },
        { QStringLiteral("sample"), QStringLiteral("testA_3") } };
    msup::ProjectImageState reviewed;
    reviewed.reviewed = true;
    p.images.insert(QStringLiteral("0001"), reviewed);
    msup::ProjectImageState edited;
    edited.edited = true;
    edited.extra.insert(QStringLiteral("note"), QStringLiteral("from a newer version"));
    p.images.insert(QStringLiteral("0002"), edited);
    p.extra.insert(QStringLiteral("annotations"), QJsonObject { { QStringLiteral("brush"), 12 } });
    p.extra.insert(QStringLiteral("future_list"), QJsonArray { 1, 2, 3 });
    p.datasetExtra.insert(QStringLiteral("checksum"), QStringLiteral("abc"));

    msup::saveProject(file, p);
    const Project q = msup::loadProject(file);
    QVERIFY(q == p);
    QCOMPARE(q.version, Project::kFormatVersion);
    QCOMPARE(q.datasetPath, p.datasetPath);
    QCOMPARE(q.datasetFormat, p.datasetFormat);
    QCOMPARE(q.split, p.split);
    QCOMPARE(q.training, p.training);
    QCOMPARE(q.runFolders, p.runFolders);
    QCOMPARE(q.presets.keys(), p.presets.keys());
    QCOMPARE(q.presets.value(QStringLiteral("fast")), p.presets.value(QStringLiteral("fast")));
    QCOMPARE(q.view, p.view);
    QCOMPARE(q.images.size(), 2);
    QVERIFY(q.images.value(QStringLiteral("0001")).reviewed);
    QVERIFY(!q.images.value(QStringLiteral("0001")).edited);
    QVERIFY(q.images.value(QStringLiteral("0002")).edited);
    QCOMPARE(q.images.value(QStringLiteral("0002")).extra.value(QStringLiteral("note")).toString(),
        QStringLiteral("from a newer version"));
    QCOMPARE(q.extra, p.extra);
    QCOMPARE(q.datasetExtra, p.datasetExtra);

    // The file: relative paths below the project, absolute elsewhere, unknown keys written back.
    const QJsonObject json = readJsonObject(file);
    QCOMPARE(json.value(QStringLiteral("kind")).toString(), QStringLiteral("masksup-project"));
    QCOMPARE(json.value(QStringLiteral("version")).toInt(), 1);
    const QJsonObject dataset = json.value(QStringLiteral("dataset")).toObject();
    QCOMPARE(dataset.value(QStringLiteral("path")).toString(), QStringLiteral("data/glas"));
    QCOMPARE(dataset.value(QStringLiteral("checksum")).toString(), QStringLiteral("abc"));
    const QJsonArray runs = json.value(QStringLiteral("runs")).toArray();
    QCOMPARE(runs.at(0).toString(), QStringLiteral("runs/a"));
    QCOMPARE(runs.at(1).toString(), QStringLiteral("/elsewhere/runs/b"));
    QCOMPARE(json.value(QStringLiteral("annotations")).toObject().value(QStringLiteral("brush")).toInt(), 12);

    // Read and written again by this version: the same bytes.
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(q.toJson(file), f.readAll());
}

void TestProject::pathsBelowTheProjectAreRelative_data()
{
    QTest::addColumn<QString>("stored");
    QTest::addColumn<QString>("resolved"); // relative to the project folder, or absolute
    QTest::newRow("below") << QStringLiteral("data/glands") << QStringLiteral("data/glands");
    QTest::newRow("the folder itself") << QStringLiteral(".") << QString();
    QTest::newRow("beside") << QStringLiteral("../other/kvasir") << QStringLiteral("../other/kvasir");
    QTest::newRow("absolute") << QStringLiteral("/srv/datasets/nyu.mat")
                              << QStringLiteral("/srv/datasets/nyu.mat");
    QTest::newRow("dotted") << QStringLiteral("./data/../data/x") << QStringLiteral("data/x");
}

void TestProject::pathsBelowTheProjectAreRelative()
{
    QFETCH(QString, stored);
    QFETCH(QString, resolved);
    const QString dir = m_tmp.filePath(QStringLiteral("paths/project"));
    QVERIFY(QDir().mkpath(dir));
    const QString file = dir + QStringLiteral("/p.masksup");
    const QString expected = resolved.startsWith(QLatin1Char('/'))
        ? resolved
        : QDir::cleanPath(resolved.isEmpty() ? dir : QDir(dir).filePath(resolved));

    QJsonObject o { { QStringLiteral("kind"), QStringLiteral("masksup-project") },
        { QStringLiteral("version"), 1 },
        { QStringLiteral("dataset"), QJsonObject { { QStringLiteral("path"), stored } } },
        { QStringLiteral("runs"), QJsonArray { stored } } };
    writeBytes(file, QJsonDocument(o).toJson());
    const Project p = msup::loadProject(file);
    QCOMPARE(p.datasetPath, expected);
    QCOMPARE(p.runFolders, QStringList { expected });
    QCOMPARE(p.datasetFormat, QStringLiteral("auto"));

    // Saved again in another folder: paths that are no longer below it become absolute.
    const QString other = m_tmp.filePath(QStringLiteral("paths/elsewhere/p.masksup"));
    msup::saveProject(other, p);
    const QJsonObject json = readJsonObject(other);
    const QString written
        = json.value(QStringLiteral("dataset")).toObject().value(QStringLiteral("path")).toString();
    QVERIFY2(QDir::isAbsolutePath(written), qPrintable(written));
    QCOMPARE(msup::loadProject(other).datasetPath, expected);
}

void TestProject::loadErrorsNameLineKeyOrVersion_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("syntax error names the line")
        << QByteArray("{\n  \"kind\": \"masksup-project\",\n  \"version\": 1\n  \"split\": \"\"\n}\n")
        << QStringLiteral("line 4");
    QTest::newRow("truncated file") << QByteArray("{\n \"version\": 1,\n \"view\": {")
                                    << QStringLiteral("line 3");
    QTest::newRow("array at the top") << QByteArray("[1, 2]") << QStringLiteral("not an object");
    QTest::newRow("another kind") << QByteArray("{\"kind\": \"tiled-map\", \"version\": 1}")
                                  << QStringLiteral("kind 'tiled-map'");
    QTest::newRow("no version") << QByteArray("{\"kind\": \"masksup-project\"}")
                                << QStringLiteral("'version'");
    QTest::newRow("version as text") << QByteArray("{\"version\": \"1\"}")
                                     << QStringLiteral("key 'version' must be an integer, not a string");
    QTest::newRow("newer version") << QByteArray("{\"version\": 7}")
                                   << QStringLiteral("newer MaskSup Studio");
    QTest::newRow("version 0") << QByteArray("{\"version\": 0}")
                               << QStringLiteral("unknown project format version 0");
    QTest::newRow("dataset is text") << QByteArray("{\"version\": 1, \"dataset\": \"glands\"}")
                                     << QStringLiteral("key 'dataset' must be an object, not a string");
    QTest::newRow("dataset path is a number") << QByteArray("{\"version\": 1, \"dataset\": {\"path\": 5}}")
                                              << QStringLiteral("key 'dataset.path' must be a string");
    QTest::newRow("training is a list") << QByteArray("{\"version\": 1, \"training\": []}")
                                        << QStringLiteral("key 'training' must be an object, not an array");
    QTest::newRow("run is a number") << QByteArray("{\"version\": 1, \"runs\": [\"a\", 3]}")
                                     << QStringLiteral("key 'runs[1]'");
    QTest::newRow("preset is text") << QByteArray("{\"version\": 1, \"presets\": {\"p\": \"x\"}}")
                                    << QStringLiteral("key 'presets.p'");
    QTest::newRow("reviewed is text")
        << QByteArray("{\"version\": 1, \"images\": {\"0001\": {\"reviewed\": \"yes\"}}}")
        << QStringLiteral("key 'images.0001.reviewed' must be true or false");
    QTest::newRow("split is a number")
        << QByteArray("{\"version\": 1, \"split\": 2}") << QStringLiteral("'split'");
}

void TestProject::loadErrorsNameLineKeyOrVersion()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const QString file = m_tmp.filePath(QStringLiteral("broken.masksup"));
    writeBytes(file, bytes);
    try {
        msup::loadProject(file);
        QFAIL("loadProject accepted a broken file");
    } catch (const msup::Error& e) {
        const QString message = QString::fromStdString(e.what());
        QVERIFY2(message.contains(expected), qPrintable(message));
        QCOMPARE(QString::fromStdString(e.file()), file);
        QVERIFY(!e.hint().empty());
    }
}

void TestProject::missingFileIsAnError()
{
    const QString file = m_tmp.filePath(QStringLiteral("nowhere/none.masksup"));
    try {
        msup::loadProject(file);
        QFAIL("loadProject read a missing file");
    } catch (const msup::Error& e) {
        QVERIFY(QString::fromStdString(e.what()).contains(QStringLiteral("does not exist")));
        QCOMPARE(QString::fromStdString(e.file()), file);
    }
}

void TestProject::saveReplacesTheFileAtomically()
{
    const QString dir = m_tmp.filePath(QStringLiteral("atomic"));
    const QString file = dir + QStringLiteral("/p.masksup");
    Project p;
    p.split = QStringLiteral("train");
    msup::saveProject(file, p); // creates the folder
    p.split = QStringLiteral("testB");
    msup::saveProject(file, p);
    QCOMPARE(msup::loadProject(file).split, QStringLiteral("testB"));
    // Nothing but the project is left in the folder (no temporary file).
    QCOMPARE(QDir(dir).entryList(QDir::Files | QDir::Hidden), QStringList { QStringLiteral("p.masksup") });
    // A folder where the file should go: an error naming it, the folder untouched.
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/taken.masksup")));
    QVERIFY_THROWS_EXCEPTION(msup::Error, msup::saveProject(dir + QStringLiteral("/taken.masksup"), p));
}

// ---- Main window --------------------------------------------------------------------------------

void TestProject::saveAndReopenRestoresDatasetAndConfig()
{
    const QString file = m_tmp.filePath(QStringLiteral("study.masksup"));
    {
        MainWindow window;
        QCOMPARE(window.windowTitle(), QStringLiteral("MaskSup Studio"));
        QVERIFY(!window.isWindowModified());
        openDataset(window);
        if (QTest::currentTestFailed())
            return;
        // Opening a dataset changes the untitled project.
        QVERIFY(window.isProjectModified());
        QVERIFY(window.isWindowModified());
        QVERIFY(window.windowTitle().contains(QStringLiteral("[*]")));

        msup::TrainConfig config = window.trainingPanel()->config();
        config.width = 8;
        config.epochs = 3;
        window.trainingPanel()->setConfig(config);
        window.showTab(MainWindow::Tab::Training);
        window.datasetPanel()->setCurrentIndex(2);
        const QString sampleId = window.datasetPanel()->dataset().samples[2].id;

        QSignalSpy saved(&window, &MainWindow::projectSaved);
        QVERIFY(window.saveProjectTo(file));
        QCOMPARE(saved.count(), 1);
        QCOMPARE(window.projectPath(), file);
        QVERIFY(!window.isWindowModified());
        QCOMPARE(window.windowTitle(), QStringLiteral("study[*] — MaskSup Studio"));
        QCOMPARE(window.recentProjects().value(0), file);

        const QJsonObject json = readJsonObject(file);
        const QJsonObject dataset = json.value(QStringLiteral("dataset")).toObject();
        QCOMPARE(
            dataset.value(QStringLiteral("path")).toString(), QStringLiteral("glands")); // below the project
        QVERIFY(!dataset.value(QStringLiteral("format")).toString().isEmpty());
        const QJsonObject training = json.value(QStringLiteral("training")).toObject();
        QCOMPARE(training.value(QStringLiteral("width")).toInt(), 8);
        QCOMPARE(training.value(QStringLiteral("epochs")).toInt(), 3);
        QVERIFY(!training.contains(QStringLiteral("dataset")));
        QCOMPARE(training.value(QStringLiteral("out")).toString(), QString()); // the automatic run folder
        const QJsonObject view = json.value(QStringLiteral("view")).toObject();
        QCOMPARE(view.value(QStringLiteral("tab")).toString(), QStringLiteral("training"));
        QCOMPARE(view.value(QStringLiteral("sample")).toString(), sampleId);

        // An edit of the form marks the window at the next turn of the event loop (no polling);
        // Save clears the mark.
        auto* epochsSpin = window.trainingPanel()->findChild<QSpinBox*>(QStringLiteral("epochsSpin"));
        QVERIFY(epochsSpin);
        QSignalSpy edited(window.trainingPanel(), &msup::ui::TrainingPanel::configEdited);
        epochsSpin->setValue(4);
        QCOMPARE(edited.count(), 1);
        QCoreApplication::processEvents();
        QVERIFY(window.isWindowModified());
        QVERIFY(window.saveProject());
        QVERIFY(!window.isWindowModified());
        QCOMPARE(readJsonObject(file)
                     .value(QStringLiteral("training"))
                     .toObject()
                     .value(QStringLiteral("epochs"))
                     .toInt(),
            4);
        // View settings alone do not mark the project modified.
        window.showTab(MainWindow::Tab::Dataset);
        QVERIFY(!window.isProjectModified());
    }
    {
        // A new window opens the project: dataset, training form and view come back.
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&window, &MainWindow::projectOpened);
        QSignalSpy datasetOpened(&window, &MainWindow::datasetOpened);
        QVERIFY(window.openProject(file));
        QVERIFY(opened.wait(30000));
        QCOMPARE(datasetOpened.count(), 1);
        QCOMPARE(QDir::cleanPath(window.datasetRoot()), QDir::cleanPath(m_datasetDir));
        const msup::TrainConfig config = window.trainingPanel()->config();
        QCOMPARE(config.width, 8);
        QCOMPARE(config.epochs, 4);
        QCOMPARE(window.projectPath(), file);
        QCOMPARE(window.windowTitle(), QStringLiteral("study[*] — MaskSup Studio"));
        QVERIFY(!window.isProjectModified());
        QVERIFY(!window.isWindowModified());
        QCOMPARE(window.datasetPanel()->currentIndex(), 2);
        QVERIFY(window.currentTab() == MainWindow::Tab::Training);
        QVERIFY(window.panelDock(MainWindow::Tab::Training)->isVisible());
        QCOMPARE(window.recentProjects().value(0), file);
    }
}

void TestProject::recentProjectsAreCappedAndPruned()
{
    QSettings().remove(QStringLiteral("project/recent"));
    MainWindow window;
    const QString dir = m_tmp.filePath(QStringLiteral("recent"));
    QStringList files;
    for (int i = 0; i < 10; ++i) {
        files << dir + QStringLiteral("/p%1.masksup").arg(i);
        QVERIFY(window.saveProjectTo(files.last()));
    }
    QStringList expected;
    for (int i = 9; i >= 2; --i)
        expected << files[i];
    QCOMPARE(window.recentProjects(), expected); // newest first, at most 8

    // A project deleted meanwhile is dropped, with a message in the status bar.
    QVERIFY(QFile::remove(files[5]));
    window.refreshRecentProjects();
    expected.removeAll(files[5]);
    QCOMPARE(window.recentProjects(), expected);
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("p5.masksup")));
    QMenu* menu = window.recentProjectsMenu();
    QVERIFY(menu);
    int entries = 0;
    for (QAction* action : menu->actions())
        entries += action->statusTip().endsWith(QStringLiteral(".masksup")) ? 1 : 0;
    QCOMPARE(entries, 7);

    // Opening one that vanished: an error naming it, and it leaves the list.
    QVERIFY(QFile::remove(files[9]));
    QSignalSpy failed(&window, &MainWindow::projectOpenFailed);
    QVERIFY(!window.openProject(files[9]));
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.first().at(1).toString().contains(QStringLiteral("does not exist")));
    QVERIFY(!window.recentProjects().contains(files[9]));
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = visibleMessageBox(QStringLiteral("errorMessageBox"))) != nullptr);
    QVERIFY(box->text().contains(QDir::toNativeSeparators(files[9])));
    box->close();
}

void TestProject::autosaveWritesTheProject()
{
    MainWindow window;
    QVERIFY(!window.autosaveNow()); // nothing changed
    QVERIFY(!QFileInfo::exists(MainWindow::autosavePath()));
    openDataset(window);
    if (QTest::currentTestFailed())
        return;

    // Untitled: written to <AppDataLocation>/autosave.masksup.
    QVERIFY(window.autosaveNow());
    QVERIFY(QFileInfo::exists(MainWindow::autosavePath()));
    QVERIFY(MainWindow::autosavePath().startsWith(
        QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    QCOMPARE(QDir::cleanPath(msup::loadProject(MainWindow::autosavePath()).datasetPath),
        QDir::cleanPath(m_datasetDir));
    QVERIFY(window.projectPath().isEmpty());
    QVERIFY(window.isWindowModified()); // still untitled and unsaved

    // With a file: autosave writes the file itself, and the project is clean again.
    const QString file = m_tmp.filePath(QStringLiteral("autosaved/a.masksup"));
    QVERIFY(window.saveProjectTo(file));
    QVERIFY(!QFileInfo::exists(MainWindow::autosavePath())); // saved for real now
    QVERIFY(!window.autosaveNow());
    msup::TrainConfig config = window.trainingPanel()->config();
    config.epochs = 9;
    window.trainingPanel()->setConfig(config);
    QTRY_VERIFY(window.isWindowModified());
    QVERIFY(window.autosaveNow());
    QVERIFY(!window.isWindowModified());
    QCOMPARE(msup::loadProject(file).training.value(QStringLiteral("epochs")).toInt(), 9);
    QVERIFY(!QFileInfo::exists(MainWindow::autosavePath()));
}

void TestProject::closingAnUntitledModifiedProjectAsks()
{
    auto* window = new MainWindow;
    window->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<MainWindow> guard(window);
    openDataset(*window);
    if (QTest::currentTestFailed()) {
        delete window;
        return;
    }
    QVERIFY(window->isProjectModified());

    bool answered = false;
    answerSaveQuestion(QMessageBox::Cancel, &answered);
    QVERIFY(!window->close()); // Cancel: the window stays
    QVERIFY(answered);
    QVERIFY(window->isVisible());
    QVERIFY(!guard.isNull());

    answered = false;
    answerSaveQuestion(QMessageBox::Discard, &answered);
    QVERIFY(window->close());
    QVERIFY(answered);
    QTRY_VERIFY(guard.isNull());
    QVERIFY(!QFileInfo::exists(MainWindow::autosavePath()));
    QVERIFY(QSettings().value(QStringLiteral("project/cleanExit")).toBool());
}

void TestProject::closingASavedProjectSavesIt()
{
    const QString file = m_tmp.filePath(QStringLiteral("closing.masksup"));
    MainWindow window;
    openDataset(window);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(window.saveProjectTo(file));
    msup::TrainConfig config = window.trainingPanel()->config();
    config.width = 12;
    window.trainingPanel()->setConfig(config);
    window.showTab(MainWindow::Tab::Prediction);
    // No question: the project has a file, so it is saved.
    QVERIFY(window.close());
    QVERIFY(visibleMessageBox() == nullptr);
    const Project p = msup::loadProject(file);
    QCOMPARE(p.training.value(QStringLiteral("width")).toInt(), 12);
    QCOMPARE(p.view.value(QStringLiteral("tab")).toString(), QStringLiteral("prediction"));
    QCOMPARE(QSettings().value(QStringLiteral("project/last")).toString(), file);
}

void TestProject::lastProjectReopensAtStart()
{
    const QString file = m_tmp.filePath(QStringLiteral("last.masksup"));
    {
        MainWindow window;
        openDataset(window);
        if (QTest::currentTestFailed())
            return;
        msup::TrainConfig config = window.trainingPanel()->config();
        config.width = 6;
        window.trainingPanel()->setConfig(config);
        QVERIFY(window.saveProjectTo(file));
        QVERIFY(window.close());
    }
    {
        // Next start: the last project, with its dataset and settings.
        MainWindow window;
        QSignalSpy opened(&window, &MainWindow::projectOpened);
        window.openInitialDataset(QString());
        QVERIFY(opened.wait(30000));
        QCOMPARE(window.projectPath(), file);
        QCOMPARE(window.trainingPanel()->config().width, 6);
        QCOMPARE(QDir::cleanPath(window.datasetRoot()), QDir::cleanPath(m_datasetDir));
        QVERIFY(visibleMessageBox(QStringLiteral("restoreAutosaveQuestion")) == nullptr);
    }
    {
        // A dataset folder on the command line wins (an untitled project, unmodified).
        MainWindow window;
        QSignalSpy opened(&window, &MainWindow::datasetOpened);
        QSignalSpy projects(&window, &MainWindow::projectOpened);
        window.openInitialDataset(m_datasetDir);
        QVERIFY(opened.wait(30000));
        QCOMPARE(projects.count(), 0);
        QVERIFY(window.projectPath().isEmpty());
        QVERIFY(!window.isProjectModified());
    }
    {
        // So does a project file on the command line.
        MainWindow window;
        QSignalSpy projects(&window, &MainWindow::projectOpened);
        window.openInitialDataset(file);
        QVERIFY(projects.wait(30000));
        QCOMPARE(window.projectPath(), file);
    }
}

void TestProject::autosaveIsOfferedAfterAnUncleanExit()
{
    {
        // A session that ends without closing the window (a crash) after an autosave.
        MainWindow window;
        window.openInitialDataset(m_datasetDir);
        QTRY_VERIFY_WITH_TIMEOUT(window.datasetPanel()->hasDataset(), 30000);
        msup::TrainConfig config = window.trainingPanel()->config();
        config.epochs = 17;
        window.trainingPanel()->setConfig(config);
        QVERIFY(window.autosaveNow());
    }
    QVERIFY(QFileInfo::exists(MainWindow::autosavePath()));
    QVERIFY(!QSettings().value(QStringLiteral("project/cleanExit")).toBool());

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy opened(&window, &MainWindow::projectOpened);
    window.openInitialDataset(QString());
    QMessageBox* box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (box = visibleMessageBox(QStringLiteral("restoreAutosaveQuestion"))) != nullptr, 10000);
    QAbstractButton* restore = nullptr;
    for (QAbstractButton* button : box->buttons())
        if (box->buttonRole(button) == QMessageBox::AcceptRole)
            restore = button;
    QVERIFY(restore);
    restore->click();
    QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 30000);
    QCOMPARE(opened.last().at(0).toString(), MainWindow::autosavePath());
    QCOMPARE(window.trainingPanel()->config().epochs, 17);
    QVERIFY(window.projectPath().isEmpty()); // restored as untitled, to be saved somewhere
    QVERIFY(window.isWindowModified());
    QCOMPARE(QDir::cleanPath(window.datasetRoot()), QDir::cleanPath(m_datasetDir));

    // Discarding it on close removes the autosave.
    bool answered = false;
    answerSaveQuestion(QMessageBox::Discard, &answered);
    QVERIFY(window.close());
    QVERIFY(answered);
    QVERIFY(!QFileInfo::exists(MainWindow::autosavePath()));
}

void TestProject::runsStartedFromTheWindowBelongToTheProject()
{
    const QString dir = m_tmp.filePath(QStringLiteral("with-runs"));
    const QString file = dir + QStringLiteral("/runs.masksup");
    MainWindow window;
    openDataset(window);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(window.saveProjectTo(file));

    msup::ui::TrainingPanel* training = window.trainingPanel();
    msup::TrainConfig config = training->config();
    config.width = 4;
    config.imageSize = 32;
    config.batchSize = 2;
    config.epochs = 1;
    config.device = QStringLiteral("cpu");
    config.outDir = dir + QStringLiteral("/runs/first");
    training->setConfig(config);
    QSignalSpy started(training, &msup::ui::TrainingPanel::trainingStarted);
    QSignalSpy finished(training, &msup::ui::TrainingPanel::trainingFinished);
    QVERIFY(training->startTraining());
    QTRY_VERIFY_WITH_TIMEOUT(!started.isEmpty(), 60000);
    const QString runDir = QDir::cleanPath(started.first().first().toString());
    QCOMPARE(window.currentProject().runFolders, QStringList { runDir });
    QTRY_VERIFY(window.isWindowModified());
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 120000);
    QTRY_VERIFY_WITH_TIMEOUT(!training->isTraining(), 30000);

    QVERIFY(window.saveProject());
    const QJsonObject json = readJsonObject(file);
    QCOMPARE(json.value(QStringLiteral("runs")).toArray(), QJsonArray { QStringLiteral("runs/first") });
    QCOMPARE(json.value(QStringLiteral("training")).toObject().value(QStringLiteral("out")).toString(),
        dir + QStringLiteral("/runs/first"));
    QCOMPARE(msup::loadProject(file).runFolders, QStringList { runDir });
}

void TestProject::trainingSettingsHaveTheSameLimitsEverywhere()
{
    // The training form's boxes take their ranges from msup::TrainLimits, the table the CLI flags and
    // config files are checked against.
    MainWindow window;
    auto spin
        = [&](const char* name) { return window.trainingPanel()->findChild<QSpinBox*>(QLatin1String(name)); };
    QVERIFY(spin("widthSpin") && spin("epochsSpin") && spin("batchSizeSpin") && spin("imageSizeSpin"));
    QCOMPARE(spin("widthSpin")->minimum(), msup::TrainLimits::widthMin);
    QCOMPARE(spin("widthSpin")->maximum(), msup::TrainLimits::widthMax);
    QCOMPARE(spin("epochsSpin")->maximum(), msup::TrainLimits::epochsMax);
    QCOMPARE(spin("batchSizeSpin")->maximum(), msup::TrainLimits::batchSizeMax);
    QCOMPARE(spin("imageSizeSpin")->maximum(), msup::TrainLimits::imageSizeMax);
    auto* lr = window.trainingPanel()->findChild<QDoubleSpinBox*>(QStringLiteral("learningRateSpin"));
    QVERIFY(lr);
    QCOMPARE(lr->maximum(), msup::TrainLimits::learningRateMax);

    // A project whose training settings are out of range (written by hand or by another tool) is
    // refused like a --config file: the message names the project and the key.
    const QString file = m_tmp.filePath(QStringLiteral("limits.masksup"));
    QVERIFY(window.saveProjectTo(file));
    QJsonObject json = readJsonObject(file);
    QJsonObject training = json.value(QStringLiteral("training")).toObject();
    training.insert(QStringLiteral("threads"), 1000000);
    training.insert(QStringLiteral("alpha_seg"), -1);
    json.insert(QStringLiteral("training"), training);
    writeBytes(file, QJsonDocument(json).toJson());
    MainWindow other;
    other.openProject(file);
    QMessageBox* box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((box = visibleMessageBox(QStringLiteral("errorMessageBox"))) != nullptr, 5000);
    QVERIFY2(box->text().contains(QDir::toNativeSeparators(file)), qPrintable(box->text()));
    QVERIFY2(
        box->informativeText().contains(QStringLiteral("'threads'")), qPrintable(box->informativeText()));
    box->close();
}

QTEST_MAIN(TestProject)
#include "tst_project.moc"
