// The project controller on its own, without a main window: recent lists, dirty tracking,
// autosave and its restore, loading, saving, closing and the settings it keeps.
#include "core/io/project_file.h"
#include "tests/support/files.h"
#include "ui/project_controller.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using msup::Project;
using msup::ui::ProjectController;
using msup::ui::WindowSettings;

namespace {

// What a window would show: the number of epochs in the training form and the tab on show
// (a view setting, which does not make the project modified).
struct FakeView {
    int epochs = 10;
    QString tab = QStringLiteral("dataset");

    void attach(ProjectController& controller)
    {
        controller.setCapture([this](Project& p) {
            p.training.insert(QStringLiteral("epochs"), epochs);
            p.view.insert(QStringLiteral("tab"), tab);
        });
    }
};

void touch(const QString& path)
{
    QVERIFY(msup::test::writeAll(path, {}));
}

} // namespace

class TestProjectController : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void recentListsAreNewestFirstAndCapped();
    void pruningDropsEntriesThatAreGone();
    void autosavePathIsInTheApplicationData();
    void modifiedFollowsTheProjectNotTheView();
    void modifiedChecksAreCoalesced();
    void untitledAutosaveIsRestoredAsModified();
    void autosaveOfATitledProjectSavesItsFile();
    void savingRemembersTheProject();
    void aMissingProjectLeavesTheRecentList();
    void aProjectsDatasetIsRequestedThenApplied();
    void startUpDatasetIsTheBaseline();
    void closingRecordsTheSession();
    void windowSettingsRoundTrip();

private:
    QTemporaryDir m_tmp;
};

void TestProjectController::initTestCase()
{
    msup::test::isolateSettings(QStringLiteral("tst_project_controller"));
    qRegisterMetaType<Project>(); // for QSignalSpy
    QVERIFY(m_tmp.isValid());
}

void TestProjectController::init()
{
    QSettings().clear();
    QFile::remove(ProjectController::autosavePath());
}

void TestProjectController::recentListsAreNewestFirstAndCapped()
{
    using Recent = ProjectController::Recent;
    for (int i = 0; i < 10; ++i)
        ProjectController::addRecent(Recent::Projects, m_tmp.filePath(QStringLiteral("p%1.masksup").arg(i)));
    QStringList projects = ProjectController::recent(Recent::Projects);
    QCOMPARE(projects.size(), ProjectController::kMaxRecent);
    QCOMPARE(projects.first(), m_tmp.filePath(QStringLiteral("p9.masksup")));
    QCOMPARE(projects.last(), m_tmp.filePath(QStringLiteral("p2.masksup")));

    // Opening one again moves it to the front, once.
    ProjectController::addRecent(Recent::Projects, m_tmp.filePath(QStringLiteral("p5.masksup")));
    projects = ProjectController::recent(Recent::Projects);
    QCOMPARE(projects.size(), ProjectController::kMaxRecent);
    QCOMPARE(projects.first(), m_tmp.filePath(QStringLiteral("p5.masksup")));
    QCOMPARE(projects.count(m_tmp.filePath(QStringLiteral("p5.masksup"))), 1);
    QCOMPARE(QSettings().value(QStringLiteral("project/recent")).toStringList(), projects);

    // Datasets have their own list; relative paths are stored absolute.
    QVERIFY(ProjectController::recent(Recent::Datasets).isEmpty());
    ProjectController::addRecent(Recent::Datasets, QStringLiteral("relative/folder"));
    QCOMPARE(QSettings().value(QStringLiteral("dataset/recent")).toStringList(),
        QStringList { QFileInfo(QStringLiteral("relative/folder")).absoluteFilePath() });

    ProjectController::clearRecent(Recent::Projects);
    QVERIFY(ProjectController::recent(Recent::Projects).isEmpty());
    QCOMPARE(ProjectController::recent(Recent::Datasets).size(), 1);
}

void TestProjectController::pruningDropsEntriesThatAreGone()
{
    using Recent = ProjectController::Recent;
    const QString kept = m_tmp.filePath(QStringLiteral("prune/kept"));
    const QString gone = m_tmp.filePath(QStringLiteral("prune/gone"));
    QVERIFY(QDir().mkpath(kept));
    ProjectController::addRecent(Recent::Datasets, gone);
    ProjectController::addRecent(Recent::Datasets, kept);

    ProjectController controller(nullptr);
    QSignalSpy messages(&controller, &ProjectController::statusMessage);
    QCOMPARE(controller.pruneRecent(Recent::Datasets), QStringList { kept });
    QCOMPARE(ProjectController::recent(Recent::Datasets), QStringList { kept });
    QCOMPARE(messages.size(), 1);
    QVERIFY(messages.first().at(0).toString().contains(QDir::toNativeSeparators(gone)));

    // Nothing missing: nothing said.
    QCOMPARE(controller.pruneRecent(Recent::Datasets), QStringList { kept });
    QCOMPARE(messages.size(), 1);
}

void TestProjectController::autosavePathIsInTheApplicationData()
{
    QCOMPARE(ProjectController::autosavePath(),
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
            .filePath(QStringLiteral("autosave.masksup")));
}

void TestProjectController::modifiedFollowsTheProjectNotTheView()
{
    ProjectController controller(nullptr);
    FakeView view;
    view.attach(controller);
    controller.start();
    QVERIFY(!controller.isModified());

    QSignalSpy title(&controller, &ProjectController::titleChanged);
    view.tab = QStringLiteral("training");
    QVERIFY(!controller.isModified());
    QCOMPARE(title.size(), 0);

    view.epochs = 20;
    QVERIFY(controller.isModified());
    QVERIFY(controller.modifiedMark());
    QCOMPARE(title.size(), 1);
    QCOMPARE(controller.currentProject().training.value(QStringLiteral("epochs")).toInt(), 20);

    view.epochs = 10; // back as it was
    QVERIFY(!controller.isModified());
    QCOMPARE(title.size(), 2);
}

void TestProjectController::modifiedChecksAreCoalesced()
{
    ProjectController controller(nullptr);
    FakeView view;
    int captures = 0;
    controller.setCapture([&view, &captures](Project& p) {
        ++captures;
        p.training.insert(QStringLiteral("epochs"), view.epochs);
    });
    controller.start();
    captures = 0;
    view.epochs = 3;
    for (int i = 0; i < 5; ++i)
        controller.scheduleModifiedCheck();
    QCOMPARE(captures, 0);
    QTRY_VERIFY(controller.modifiedMark());
    QCoreApplication::processEvents();
    QCOMPARE(captures, 1);
}

void TestProjectController::untitledAutosaveIsRestoredAsModified()
{
    {
        ProjectController controller(nullptr);
        FakeView view;
        view.attach(controller);
        controller.start();
        QVERIFY(!controller.autosaveNow()); // nothing changed
        QVERIFY(!QFileInfo::exists(ProjectController::autosavePath()));
        view.epochs = 42;
        QVERIFY(controller.autosaveNow());
        QVERIFY(controller.projectPath().isEmpty());
    }
    QCOMPARE(
        msup::loadProject(ProjectController::autosavePath()).training.value(QStringLiteral("epochs")).toInt(),
        42);

    // The next session restores it: untitled, modified until saved, no recent entry.
    ProjectController controller(nullptr);
    FakeView view;
    view.attach(controller);
    controller.start();
    QSignalSpy opened(&controller, &ProjectController::projectOpened);
    QSignalSpy loaded(&controller, &ProjectController::projectLoaded);
    QVERIFY(controller.load(ProjectController::autosavePath(), true));
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(loaded.first().at(0).value<Project>().training.value(QStringLiteral("epochs")).toInt(), 42);
    QCOMPARE(opened.size(), 1); // no dataset: open at once
    QVERIFY(controller.projectPath().isEmpty());
    QVERIFY(controller.isModified());
    QVERIFY(ProjectController::recent(ProjectController::Recent::Projects).isEmpty());

    // Saving it for real removes the autosave.
    const QString file = m_tmp.filePath(QStringLiteral("restored/r"));
    QVERIFY(controller.saveTo(file));
    QCOMPARE(controller.projectPath(), file + QStringLiteral(".masksup"));
    QVERIFY(!controller.isModified());
    QVERIFY(!QFileInfo::exists(ProjectController::autosavePath()));
}

void TestProjectController::autosaveOfATitledProjectSavesItsFile()
{
    ProjectController controller(nullptr);
    FakeView view;
    view.attach(controller);
    controller.start();
    const QString file = m_tmp.filePath(QStringLiteral("titled.masksup"));
    QVERIFY(controller.saveTo(file));
    QVERIFY(!controller.autosaveNow());

    view.epochs = 7;
    QVERIFY(controller.autosaveNow());
    QVERIFY(!controller.isModified());
    QVERIFY(!QFileInfo::exists(ProjectController::autosavePath()));
    QCOMPARE(msup::loadProject(file).training.value(QStringLiteral("epochs")).toInt(), 7);

    // A view change alone is written too (without the project having been modified).
    view.tab = QStringLiteral("runs");
    QVERIFY(!controller.isModified());
    QVERIFY(controller.autosaveNow());
    QCOMPARE(msup::loadProject(file).view.value(QStringLiteral("tab")).toString(), QStringLiteral("runs"));
}

void TestProjectController::savingRemembersTheProject()
{
    ProjectController controller(nullptr);
    FakeView view;
    view.attach(controller);
    controller.start();
    QSignalSpy saved(&controller, &ProjectController::projectSaved);
    QSignalSpy aboutToSave(&controller, &ProjectController::aboutToSave);
    const QString file = m_tmp.filePath(QStringLiteral("saved/s.masksup"));
    QVERIFY(controller.saveTo(file));
    QCOMPARE(aboutToSave.size(), 1);
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.first().at(0).toString(), file);
    QCOMPARE(QSettings().value(QStringLiteral("project/last")).toString(), file);
    QCOMPARE(ProjectController::recent(ProjectController::Recent::Projects), QStringList { file });

    // A file that cannot be written is an error, and the project keeps its file.
    QSignalSpy errors(&controller, &ProjectController::errorOccurred);
    const QString blocker = m_tmp.filePath(QStringLiteral("saved/blocker"));
    touch(blocker);
    QVERIFY(!controller.saveTo(blocker + QStringLiteral("/x.masksup")));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(controller.projectPath(), file);
}

void TestProjectController::aMissingProjectLeavesTheRecentList()
{
    const QString gone = m_tmp.filePath(QStringLiteral("gone.masksup"));
    ProjectController::addRecent(ProjectController::Recent::Projects, gone);
    ProjectController controller(nullptr);
    QSignalSpy errors(&controller, &ProjectController::errorOccurred);
    QSignalSpy failed(&controller, &ProjectController::projectOpenFailed);
    QSignalSpy recentChanged(&controller, &ProjectController::recentProjectsChanged);
    QVERIFY(!controller.load(gone, false));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(0).toString(), gone);
    QCOMPARE(recentChanged.size(), 1);
    QVERIFY(ProjectController::recent(ProjectController::Recent::Projects).isEmpty());
}

void TestProjectController::aProjectsDatasetIsRequestedThenApplied()
{
    const QString datasetDir = m_tmp.filePath(QStringLiteral("ds"));
    QVERIFY(QDir().mkpath(datasetDir));
    Project project;
    project.datasetPath = datasetDir;
    project.datasetFormat = QStringLiteral("glas");
    project.split = QStringLiteral("testA");
    const QString file = m_tmp.filePath(QStringLiteral("withdata.masksup"));
    msup::saveProject(file, project);

    ProjectController controller(nullptr);
    FakeView view;
    view.attach(controller);
    controller.start();
    QSignalSpy requested(&controller, &ProjectController::datasetRequested);
    QSignalSpy ready(&controller, &ProjectController::projectDatasetReady);
    QSignalSpy opened(&controller, &ProjectController::projectOpened);
    QVERIFY(controller.load(file, false));
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().at(0).toString(), datasetDir);
    QCOMPARE(requested.first().at(1).toString(), QStringLiteral("glas"));
    QVERIFY(controller.isOpening());
    QCOMPARE(opened.size(), 0);
    QVERIFY(controller.maybeSave(false)); // nothing asked while the dataset opens

    controller.datasetOpened(datasetDir, datasetDir, QStringLiteral("glas"));
    QVERIFY(!controller.isOpening());
    QCOMPARE(ready.size(), 1);
    QCOMPARE(ready.first().at(0).value<Project>().split, QStringLiteral("testA"));
    QCOMPARE(opened.size(), 1);
    QVERIFY(!controller.isModified());
    QCOMPARE(ProjectController::lastDataset(), datasetDir);
    QCOMPARE(ProjectController::recent(ProjectController::Recent::Datasets), QStringList { datasetDir });
    QCOMPARE(QSettings().value(QStringLiteral("project/last")).toString(), file);

    // Another dataset opened afterwards changes the project.
    const QString other = m_tmp.filePath(QStringLiteral("ds2"));
    QVERIFY(QDir().mkpath(other));
    controller.datasetOpened(other, other, QString());
    QTRY_VERIFY(controller.modifiedMark());
    QCOMPARE(controller.currentProject().datasetPath, other);
    QCOMPARE(controller.currentProject().datasetFormat, QStringLiteral("auto"));
}

void TestProjectController::startUpDatasetIsTheBaseline()
{
    ProjectController controller(nullptr);
    controller.start();
    const QString dir = m_tmp.filePath(QStringLiteral("startup"));
    QVERIFY(QDir().mkpath(dir));
    controller.setBaselineOnOpen(true);
    controller.datasetOpened(dir, dir, QString());
    QVERIFY(!controller.isModified());
    QCOMPARE(controller.currentProject().datasetPath, dir);

    // A failed start-up open ends the baseline: the next dataset is a change.
    controller.setBaselineOnOpen(true);
    controller.datasetOpenFailed();
    const QString next = m_tmp.filePath(QStringLiteral("startup2"));
    QVERIFY(QDir().mkpath(next));
    controller.datasetOpened(next, next, QString());
    QVERIFY(controller.isModified());
}

void TestProjectController::closingRecordsTheSession()
{
    ProjectController controller(nullptr);
    FakeView view;
    view.attach(controller);
    controller.start();
    controller.beginSession();
    QVERIFY(!QSettings().value(QStringLiteral("project/cleanExit")).toBool());
    const QString file = m_tmp.filePath(QStringLiteral("closing.masksup"));
    QVERIFY(controller.saveTo(file));

    // Stopping training and quitting: a project with a file is saved without a question.
    view.epochs = 99;
    QVERIFY(controller.close(true));
    QCOMPARE(msup::loadProject(file).training.value(QStringLiteral("epochs")).toInt(), 99);
    QCOMPARE(QSettings().value(QStringLiteral("project/last")).toString(), file);
    QVERIFY(QSettings().value(QStringLiteral("project/cleanExit")).toBool());
    QVERIFY(controller.openLastProject());
    QCOMPARE(controller.projectPath(), file);

    // An untitled modified project is kept in the autosave file, offered at the next start.
    QVERIFY(controller.newProject());
    QVERIFY(controller.projectPath().isEmpty());
    QVERIFY(QSettings().value(QStringLiteral("project/last")).toString().isEmpty());
    view.epochs = 5;
    QVERIFY(controller.close(true));
    QVERIFY(QFileInfo::exists(ProjectController::autosavePath()));
    QVERIFY(!QSettings().value(QStringLiteral("project/cleanExit")).toBool());
}

void TestProjectController::windowSettingsRoundTrip()
{
    WindowSettings w;
    w.geometry = QByteArrayLiteral("geometry");
    w.state = QByteArrayLiteral("state");
    w.tab = 4;
    w.labelOpacity = 0.25;
    w.labelOutline = true;
    w.predictionOpacity = 0.75;
    ProjectController::writeWindowSettings(
        w, [](QSettings& s) { s.setValue(QStringLiteral("training/epochs"), 12); });
    QSettings settings;
    QCOMPARE(settings.value(QStringLiteral("window/tab")).toInt(), 4);
    QCOMPARE(settings.value(QStringLiteral("view/labelOpacity")).toDouble(), 0.25);
    QCOMPARE(settings.value(QStringLiteral("view/labelOutline")).toBool(), true);
    QCOMPARE(settings.value(QStringLiteral("view/predictionOpacity")).toDouble(), 0.75);

    int epochs = 0;
    const WindowSettings read = ProjectController::readWindowSettings(
        [&epochs](const QSettings& s) { epochs = s.value(QStringLiteral("training/epochs")).toInt(); });
    QCOMPARE(read.geometry, w.geometry);
    QCOMPARE(read.state, w.state);
    QCOMPARE(read.tab, 4);
    QCOMPARE(read.labelOpacity, 0.25);
    QVERIFY(read.labelOutline);
    QCOMPARE(read.predictionOpacity, 0.75);
    QCOMPARE(epochs, 12);

    // First start: the defaults.
    QSettings().clear();
    const WindowSettings first = ProjectController::readWindowSettings({});
    QVERIFY(first.geometry.isEmpty());
    QCOMPARE(first.tab, 0);
    QCOMPARE(first.labelOpacity, 0.5);
    QVERIFY(!first.labelOutline);
    QCOMPARE(first.predictionOpacity, 0.5);

    ProjectController::setLanguageSetting(QStringLiteral("fr"));
    QCOMPARE(QSettings().value(QStringLiteral("ui/language")).toString(), QStringLiteral("fr"));
    QCOMPARE(ProjectController::languageSetting(), QStringLiteral("fr"));
}

QTEST_MAIN(TestProjectController)
#include "tst_project_controller.moc"
