// The workspace: panels as dock widgets, the Log panel, the status bar's device line and the
// interface language.
#include "core/annot/mask_store.h"
#include "core/data/synth.h"
#include "core/io/project_file.h"
#include "core/train/training_session.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"
#include "tests/support/widgets.h"
#include "ui/annotation_canvas.h"
#include "ui/annotation_panel.h"
#include "ui/dataset_panel.h"
#include "ui/log_panel.h"
#include "ui/main_window.h"
#include "ui/mask_panel.h"
#include "ui/prediction_panel.h"
#include "ui/robustness_panel.h"
#include "ui/runs_panel.h"
#include "ui/studio_resources.h"
#include "ui/training_panel.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QThread>
#include <QToolBar>
#include <QTranslator>
#include <QtTest>

using msup::ui::LogPanel;
using msup::ui::MainWindow;
using msup::ui::TrainingPanel;

namespace {

// A procedural glands dataset of `count` images of `size`² pixels in `dir`/`name`.
QString writeGlands(const QTemporaryDir& dir, const QString& name, int count, int size)
{
    return msup::test::writeTinyDataset(dir.filePath(name), msup::SynthKind::Glands, count, size, 1);
}

using msup::test::openDatasetAndWait;

} // namespace

class TestWorkspace : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyPanelIsADockReachableFromTheKeyboard();
    void dockLayoutIsRemembered();
    void logPanelCollectsMessagesOfEveryThread();
    void statusBarShowsTheDevice();
    void trainingFormHasPrecisionLayoutAndGpus();
    void frenchTranslationIsLoaded();
    void languageSettingIsRemembered();
    void keyboardReachesTheMainActions();
    void recentDatasetsAreListedAndPruned();
    void singleKeysActOnThePanelWithTheFocus();
    void annotationFollowsTheSelectionAndFeedsTraining();
};

void TestWorkspace::initTestCase()
{
    msup::test::isolateSettings(QStringLiteral("tst_workspace"));
    QFile::remove(MainWindow::autosavePath());
}

void TestWorkspace::everyPanelIsADockReachableFromTheKeyboard()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const MainWindow::Tab tabs[] = { MainWindow::Tab::Dataset, MainWindow::Tab::Masks,
        MainWindow::Tab::Training, MainWindow::Tab::Prediction, MainWindow::Tab::Robustness,
        MainWindow::Tab::Runs, MainWindow::Tab::Log, MainWindow::Tab::Annotation };
    QWidget* panels[]
        = { window.datasetPanel(), window.maskPanel(), window.trainingPanel(), window.predictionPanel(),
              window.robustnessPanel(), window.runsPanel(), window.logPanel(), window.annotationPanel() };
    for (int i = 0; i < 8; ++i) {
        QDockWidget* dock = window.panelDock(tabs[i]);
        QVERIFY(dock);
        QCOMPARE(dock->widget(), panels[i]);
        QVERIFY(dock->features() & QDockWidget::DockWidgetFloatable);
        // Tabbed together at first: every panel shares the Dataset panel's group.
        if (i > 0)
            QVERIFY(window.tabifiedDockWidgets(window.panelDock(MainWindow::Tab::Dataset)).contains(dock));
    }
    // Alt+1..8 raise the panels; closing a dock and pressing its shortcut brings it back.
    for (int i = 7; i >= 0; --i) {
        QTest::keyClick(&window, Qt::Key(Qt::Key_1 + i), Qt::AltModifier);
        QVERIFY(window.currentTab() == tabs[i]);
        QVERIFY(!panels[i]->visibleRegion().isEmpty());
    }
    QDockWidget* log = window.panelDock(MainWindow::Tab::Log);
    log->close();
    QVERIFY(!log->isVisible());
    QTest::keyClick(&window, Qt::Key_7, Qt::AltModifier);
    QVERIFY(log->isVisible());
    QVERIFY(window.currentTab() == MainWindow::Tab::Log);
    window.close();
}

void TestWorkspace::dockLayoutIsRemembered()
{
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.panelDock(MainWindow::Tab::Log)->setFloating(true);
        window.panelDock(MainWindow::Tab::Robustness)->close();
        window.showTab(MainWindow::Tab::Runs);
        window.close(); // saves the settings
    }
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.panelDock(MainWindow::Tab::Log)->isFloating());
    QVERIFY(!window.panelDock(MainWindow::Tab::Robustness)->isVisible());
    QVERIFY(window.currentTab() == MainWindow::Tab::Runs);
    window.close();
    QSettings().clear();
}

void TestWorkspace::logPanelCollectsMessagesOfEveryThread()
{
    QTemporaryDir tmp;
    LogPanel panel;
    const QString file = tmp.filePath(QStringLiteral("logs/studio.log"));
    panel.setLogFile(file);
    panel.installMessageHandler();
    QSignalSpy attention(&panel, &LogPanel::attentionNeeded);
    panel.info(QStringLiteral("dataset opened"));
    // A warning from a worker thread arrives through the event loop.
    QThread* worker = QThread::create([] { qWarning("warning from a worker"); });
    worker->start();
    QVERIFY(worker->wait(5000));
    delete worker;
    QTRY_COMPARE(panel.entries().size(), 2);
    QCOMPARE(panel.entries()[1].level, LogPanel::Level::Warning);
    QCOMPARE(panel.entries()[1].text, QStringLiteral("warning from a worker"));
    QCOMPARE(attention.count(), 1);
    panel.error(QStringLiteral("training failed"));
    QVERIFY(panel.visibleText().contains(QStringLiteral("dataset opened")));
    // Filtering hides entries without dropping them.
    panel.setMinimumLevel(LogPanel::Level::Error);
    QVERIFY(!panel.visibleText().contains(QStringLiteral("dataset opened")));
    QVERIFY(panel.visibleText().contains(QStringLiteral("training failed")));
    QCOMPARE(panel.entries().size(), 3);
    panel.setMinimumLevel(LogPanel::Level::Info);
    QCOMPARE(panel.visibleText().count(QLatin1Char('\n')), 2);
    // Every entry is in the file, in order, as it arrived.
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].endsWith(QStringLiteral(" info dataset opened")));
    QVERIFY(lines[1].endsWith(QStringLiteral(" warning warning from a worker")));
    QVERIFY(lines[2].endsWith(QStringLiteral(" error training failed")));
    const QString saved = tmp.filePath(QStringLiteral("saved.log"));
    QVERIFY(panel.saveTo(saved));
    QFile s(saved);
    QVERIFY(s.open(QIODevice::ReadOnly));
    QCOMPARE(s.readAll().count('\n'), 3);
}

void TestWorkspace::statusBarShowsTheDevice()
{
    MainWindow window;
    // This build and machine: the line names the CPU threads unless a CUDA device answers.
    const QString device = window.deviceStatusText();
    QVERIFY2(device.startsWith(QStringLiteral("CPU · ")) || device.startsWith(QStringLiteral("GPU: ")),
        qPrintable(device));
    if (device.startsWith(QStringLiteral("CPU")))
        QVERIFY(device.contains(QString::number(QThread::idealThreadCount())));
    // Errors logged while another panel is on top are announced in the status bar.
    window.showTab(MainWindow::Tab::Dataset);
    window.logPanel()->error(QStringLiteral("something broke"));
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("Log")));
}

void TestWorkspace::trainingFormHasPrecisionLayoutAndGpus()
{
    std::vector<msup::engine::CudaDevice> gpus(2);
    gpus[0] = { 0, "NVIDIA H100 80GB HBM3", 85045870592ll, 9, 0 };
    gpus[1] = { 1, "NVIDIA GeForce RTX 3060", 12884901888ll, 8, 6 };
    // The status bar names every GPU with its memory.
    QCOMPARE(MainWindow::gpuStatusText(gpus),
        QStringLiteral("GPU: NVIDIA H100 80GB HBM3 · 79 GiB, NVIDIA GeForce RTX 3060 · 12 GiB"));
    QCOMPARE(MainWindow::gpuStatusText({ gpus[0] }), QStringLiteral("GPU: NVIDIA H100 80GB HBM3 · 79 GiB"));
    QCOMPARE(MainWindow::gpuStatusText({}), QString());

    MainWindow window;
    TrainingPanel* panel = window.trainingPanel();
    auto* amp = panel->findChild<QComboBox*>(QStringLiteral("ampCombo"));
    auto* channelsLast = panel->findChild<QCheckBox*>(QStringLiteral("channelsLastCheck"));
    auto* device = panel->findChild<QComboBox*>(QStringLiteral("deviceCombo"));
    QVERIFY(amp && channelsLast && device);
    QCOMPARE(amp->count(), 4);
    for (int i = 0; i < amp->count(); ++i)
        QVERIFY(!amp->itemData(i, Qt::ToolTipRole).toString().isEmpty());
    QCOMPARE(panel->config().amp, QStringLiteral("auto"));
    QVERIFY(!panel->config().channelsLast);

    // The form gives and takes the settings; "on" of older configs is automatic.
    msup::TrainConfig config = panel->config();
    config.amp = QStringLiteral("fp16");
    config.channelsLast = true;
    panel->setConfig(config);
    QCOMPARE(panel->config().amp, QStringLiteral("fp16"));
    QVERIFY(panel->config().channelsLast);
    QCOMPARE(amp->currentText(), QStringLiteral("fp16"));
    QVERIFY(channelsLast->isChecked());
    // A project keeps them.
    const QJsonObject training = window.currentProject().training;
    QCOMPARE(training.value(QStringLiteral("amp")).toString(), QStringLiteral("fp16"));
    QCOMPARE(training.value(QStringLiteral("channels_last")).toBool(), true);
    // So do the settings of the next session.
    {
        QSettings settings;
        panel->saveSettings(settings);
    }
    config.amp = QStringLiteral("on");
    config.channelsLast = false;
    panel->setConfig(config);
    QCOMPARE(panel->config().amp, QStringLiteral("auto"));
    QVERIFY(!panel->config().channelsLast);
    panel->restoreSettings(QSettings());
    QCOMPARE(panel->config().amp, QStringLiteral("fp16"));
    QVERIFY(panel->config().channelsLast);

    // The GPUs the CUDA driver lists become cuda:N entries with their names; a run asking for cuda:1
    // before the list arrived gets it when it does.
    config.device = QStringLiteral("cuda:1");
    panel->setConfig(config);
    QSignalSpy edited(panel, &TrainingPanel::configEdited);
    panel->setCudaDevices(gpus);
    QCOMPARE(device->count(), 4); // Automatic, CPU, GPU 0, GPU 1
    QCOMPARE(device->itemData(2).toString(), QStringLiteral("cuda:0"));
    QCOMPARE(device->itemText(2), QStringLiteral("GPU 0: NVIDIA H100 80GB HBM3 · 79 GiB"));
    QCOMPARE(device->itemText(3), QStringLiteral("GPU 1: NVIDIA GeForce RTX 3060 · 12 GiB"));
    QVERIFY(device->itemData(3, Qt::ToolTipRole).toString().contains(QStringLiteral("8.6")));
    QCOMPARE(panel->config().device, QStringLiteral("cuda:1"));
    QCOMPARE(edited.count(), 1);
    config.device = QStringLiteral("cuda"); // the first GPU
    panel->setConfig(config);
    QCOMPARE(panel->config().device, QStringLiteral("cuda:0"));
    config.device = QStringLiteral("cpu");
    panel->setConfig(config);
    panel->setCudaDevices({ gpus[0] });
    QCOMPARE(device->count(), 3);
    QCOMPARE(panel->config().device, QStringLiteral("cpu")); // the choice stays
    // No list: one "CUDA GPU" entry again.
    panel->setCudaDevices({});
    QCOMPARE(device->count(), 3);
    QCOMPARE(device->itemData(2).toString(), QStringLiteral("cuda"));
    QSettings().clear();
}

void TestWorkspace::frenchTranslationIsLoaded()
{
    QVERIFY(msup::ui::installTranslators(*qApp, QStringLiteral("fr")));
    {
        MainWindow window;
        QStringList menus;
        for (QAction* a : window.menuBar()->actions())
            menus << a->text();
        QVERIFY2(menus.contains(QStringLiteral("&Fichier")), qPrintable(menus.join(QLatin1Char(','))));
        QCOMPARE(window.panelDock(MainWindow::Tab::Training)->windowTitle(), QStringLiteral("Entraînement"));
        QCOMPARE(window.windowTitle(), QStringLiteral("MaskSup Studio"));
        // Plural forms come from the French file too.
        QVERIFY(window.deviceStatusText().startsWith(QStringLiteral("CPU")));
    }
    // Back to English for the following tests: remove every translator this test installed.
    const auto translators = qApp->findChildren<QTranslator*>();
    for (QTranslator* t : translators) {
        QCoreApplication::removeTranslator(t);
        delete t;
    }
    MainWindow english;
    QStringList menus;
    for (QAction* a : english.menuBar()->actions())
        menus << a->text();
    QVERIFY(menus.contains(QStringLiteral("&File")));
    QVERIFY(!msup::ui::installTranslators(*qApp, QStringLiteral("en")));
}

void TestWorkspace::languageSettingIsRemembered()
{
    MainWindow window;
    QCOMPARE(MainWindow::languageSetting(), QString());
    window.setLanguageSetting(QStringLiteral("fr"));
    QCOMPARE(QSettings().value(QStringLiteral("ui/language")).toString(), QStringLiteral("fr"));
    QCOMPARE(MainWindow::languageSetting(), QStringLiteral("fr"));
    auto* menu = window.findChild<QMenu*>(QStringLiteral("languageMenu"));
    QVERIFY(menu);
    int checked = 0;
    for (QAction* a : menu->actions())
        if (a->isChecked()) {
            ++checked;
            QCOMPARE(a->data().toString(), QStringLiteral("fr"));
        }
    QCOMPARE(checked, 1);
    window.setLanguageSetting(QString());
}

void TestWorkspace::annotationFollowsTheSelectionAndFeedsTraining()
{
    QTemporaryDir tmp;
    const QString folder = writeGlands(tmp, QStringLiteral("glands"), 6, 48);
    QVERIFY(!folder.isEmpty());
    MainWindow window;
    QVERIFY(openDatasetAndWait(window, folder));
    QVERIFY(window.maskStore());
    QCOMPARE(window.maskStore()->editedCount(), 0);
    auto* retrain = window.findChild<QAction*>(QStringLiteral("retrainWithCorrectionsAction"));
    auto* useCorrections
        = window.trainingPanel()->findChild<QCheckBox*>(QStringLiteral("useCorrectionsCheck"));
    QVERIFY(retrain && useCorrections);
    QVERIFY(!retrain->isEnabled());
    QVERIFY(!useCorrections->isEnabled());

    // The editor follows the selected sample; Alt+8 raises it.
    const msup::Dataset& ds = window.datasetPanel()->dataset();
    window.datasetPanel()->setCurrentIndex(1);
    const QString id = ds.samples[1].id;
    QTRY_COMPARE(window.annotationPanel()->sampleId(), id);
    QTest::keyClick(&window, Qt::Key_8, Qt::AltModifier);
    QVERIFY(window.currentTab() == MainWindow::Tab::Annotation);

    // An edit, saved: the image counts as edited everywhere, and training can use it.
    cv::Mat labels = window.annotationPanel()->labels().clone();
    QCOMPARE(labels.size(), cv::Size(48, 48));
    labels(cv::Rect(0, 0, 12, 12)).setTo(1);
    labels(cv::Rect(30, 30, 18, 18)).setTo(0);
    window.annotationPanel()->setLabels(labels, QStringLiteral("test edit"));
    QVERIFY(window.annotationPanel()->save());
    QVERIFY(window.maskStore()->isEdited(id));
    QCOMPARE(window.maskStore()->editedCount(), 1);
    QVERIFY(retrain->isEnabled());
    QVERIFY(useCorrections->isEnabled());
    QVERIFY(useCorrections->text().contains(QLatin1Char('1')));
    const cv::Mat saved = window.maskStore()->loadSaved(ds.samples[1]);
    QCOMPARE(cv::countNonZero(saved != labels), 0);

    // Reviewed in the samples list shows in the editor; both states reach the project file.
    window.datasetPanel()->setReviewed(1, true);
    QVERIFY(window.annotationPanel()->isReviewed());
    const QString projectFile = tmp.filePath(QStringLiteral("study.masksup"));
    QVERIFY(window.saveProjectTo(projectFile));
    const msup::Project project = msup::loadProject(projectFile);
    QVERIFY(project.images.contains(id));
    QVERIFY(project.images.value(id).edited);
    QVERIFY(project.images.value(id).reviewed);

    // Training ▸ Retrain with corrections: a run on the corrected masks.
    msup::TrainConfig config = window.trainingPanel()->config();
    config.width = 4;
    config.imageSize = 32;
    config.batchSize = 2;
    config.epochs = 1;
    config.device = QStringLiteral("cpu");
    config.outDir = tmp.filePath(QStringLiteral("run-corrected"));
    window.trainingPanel()->setConfig(config);
    QSignalSpy finished(window.trainingPanel(), &msup::ui::TrainingPanel::trainingFinished);
    QVERIFY(window.retrainWithCorrections());
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 120000);
    QFile configJson(QDir(config.outDir).filePath(QStringLiteral("config.json")));
    QVERIFY(configJson.open(QIODevice::ReadOnly));
    const QJsonObject written = QJsonDocument::fromJson(configJson.readAll()).object();
    QCOMPARE(QDir::cleanPath(written.value(QStringLiteral("corrections")).toString()),
        QDir::cleanPath(window.maskStore()->correctionsDir()));
    QCOMPARE(written.value(QStringLiteral("corrected_count")).toInt(), 1);
    window.close();
}

void TestWorkspace::keyboardReachesTheMainActions()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Every menu and every entry of it opens from the keyboard: a mnemonic (Alt+letter, then the
    // letter) or a shortcut.
    for (QAction* top : window.menuBar()->actions()) {
        QVERIFY2(top->text().contains(QLatin1Char('&')), qPrintable(top->text()));
        for (QAction* a : top->menu()->actions()) {
            if (a->isSeparator())
                continue;
            QVERIFY2(a->text().contains(QLatin1Char('&')) || !a->shortcut().isEmpty(), qPrintable(a->text()));
        }
    }
    // Toolbar buttons name their shortcut in the tooltip.
    auto* toolBar = window.findChild<QToolBar*>(QStringLiteral("mainToolBar"));
    QVERIFY(toolBar);
    for (QAction* a : toolBar->actions())
        if (!a->isSeparator() && !a->shortcut().isEmpty())
            QVERIFY2(a->toolTip().contains(a->shortcut().toString(QKeySequence::NativeText)),
                qPrintable(a->toolTip()));
    // Tab walks the training form in reading order down to its last field (Start is enabled only
    // with a dataset open).
    window.showTab(MainWindow::Tab::Training);
    auto* model = window.trainingPanel()->findChild<QWidget*>(QStringLiteral("modelCombo"));
    auto* start = window.trainingPanel()->findChild<QWidget*>(QStringLiteral("browseOutputButton"));
    QVERIFY(model && start);
    window.activateWindow();
    model->setFocus(Qt::TabFocusReason);
    QTRY_COMPARE(QApplication::focusWidget(), model);
    const char* const order[] = { "widthSpin", "modeCombo", "epochsSpin", "batchSizeSpin", "imageSizeSpin",
        "deviceCombo", "ampCombo", "channelsLastCheck", "seedSpin", "learningRateSpin", "holeRatioCombo",
        "outputDirEdit" };
    int next = 0;
    for (int i = 0; i < 40 && QApplication::focusWidget() != start; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QWidget* w = QApplication::focusWidget();
        QVERIFY(w);
        if (next < int(std::size(order)) && w->objectName() == QLatin1String(order[next]))
            ++next;
    }
    QCOMPARE(QApplication::focusWidget(), start);
    QCOMPARE(next, int(std::size(order))); // every field, in order
    window.close();
}

void TestWorkspace::recentDatasetsAreListedAndPruned()
{
    QTemporaryDir tmp;
    const QStringList folders { writeGlands(tmp, QStringLiteral("first"), 4, 32),
        writeGlands(tmp, QStringLiteral("second"), 4, 32) };
    QVERIFY(!folders[0].isEmpty() && !folders[1].isEmpty());
    QSettings().remove(QStringLiteral("dataset/recent"));
    MainWindow window;
    QSignalSpy opened(&window, &MainWindow::datasetOpened);
    for (const QString& folder : folders) {
        window.openDataset(folder);
        QVERIFY(opened.wait(30000));
    }
    QCOMPARE(window.recentDatasets(), (QStringList { folders[1], folders[0] }));
    // The menu lists them newest first; choosing one opens it.
    window.refreshRecentDatasets();
    QList<QAction*> entries = window.recentDatasetsMenu()->actions();
    QVERIFY(entries.size() >= 2);
    QCOMPARE(entries[0]->text(), QStringLiteral("&1 second"));
    QCOMPARE(entries[1]->text(), QStringLiteral("&2 first"));
    entries[1]->trigger();
    QVERIFY(opened.wait(30000));
    QCOMPARE(QDir::cleanPath(window.datasetRoot()), QDir::cleanPath(folders[0]));
    QCOMPARE(window.recentDatasets().value(0), folders[0]);
    // A dataset that was moved away leaves the list when the menu opens.
    QVERIFY(QDir(folders[1]).removeRecursively());
    window.refreshRecentDatasets();
    QCOMPARE(window.recentDatasets(), QStringList { folders[0] });
    QVERIFY(window.statusBar()->currentMessage().contains(QDir::toNativeSeparators(folders[1])));
}

void TestWorkspace::singleKeysActOnThePanelWithTheFocus()
{
    QTemporaryDir tmp;
    const QString folder = writeGlands(tmp, QStringLiteral("glands"), 4, 32);
    QVERIFY(!folder.isEmpty());
    MainWindow window;
    QVERIFY(openDatasetAndWait(window, folder));
    QTRY_VERIFY(window.annotationPanel()->hasSample());
    // Dataset and Annotate side by side: both use O for their outline view.
    window.splitDockWidget(window.panelDock(MainWindow::Tab::Dataset),
        window.panelDock(MainWindow::Tab::Annotation), Qt::Horizontal);
    window.panelDock(MainWindow::Tab::Dataset)->show();
    window.panelDock(MainWindow::Tab::Annotation)->show();
    QTRY_VERIFY(window.datasetPanel()->isVisible() && window.annotationPanel()->isVisible());
    // Deprecated since Qt 6.5 (kept: it activates at once, QWidget::activateWindow only asks the platform).
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_DEPRECATED
    QApplication::setActiveWindow(&window);
    QT_WARNING_POP
    QVERIFY(QTest::qWaitForWindowActive(&window));
    msup::ui::AnnotationCanvas* canvas = window.annotationPanel()->canvas();
    const bool datasetOutline = window.datasetPanel()->outlineMode();
    const bool editorOutline = canvas->outlineMode();
    canvas->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget*>(canvas));
    QTest::keyClick(canvas, Qt::Key_O);
    QCOMPARE(canvas->outlineMode(), !editorOutline);
    QCOMPARE(window.datasetPanel()->outlineMode(), datasetOutline);
    // In the samples list, O is the Dataset panel's.
    QWidget* samples = window.datasetPanel()->samplesWidget();
    QWidget* list = samples->focusProxy() ? samples->focusProxy() : samples->findChild<QAbstractItemView*>();
    QVERIFY(list);
    list->setFocus();
    QTRY_VERIFY(samples->isAncestorOf(QApplication::focusWidget()) || QApplication::focusWidget() == samples);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_O);
    QCOMPARE(window.datasetPanel()->outlineMode(), !datasetOutline);
    QCOMPARE(canvas->outlineMode(), !editorOutline);
    QSettings().clear(); // no close(): the untitled project would ask to be saved
}

QTEST_MAIN(TestWorkspace)
#include "tst_workspace.moc"
