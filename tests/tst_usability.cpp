// Widget tests of what a new user met in MaskSup Studio (issue 16's defects): pause and stop
// feedback, chart legends, closing during training, the export dialog, layouts in French
// (run with QT_QPA_PLATFORM=offscreen).
#include "core/data/palette.h"
#include "core/data/synth.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"
#include "tests/support/widgets.h"
#include "ui/annotation_canvas.h"
#include "ui/annotation_panel.h"
#include "ui/dataset_panel.h"
#include "ui/dataset_report_dialog.h"
#include "ui/export_dialog.h"
#include "ui/main_window.h"
#include "ui/mask_panel.h"
#include "ui/qcustomplot_include.h"
#include "ui/studio_resources.h"
#include "ui/training_charts.h"
#include "ui/training_panel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QToolBar>
#include <QToolButton>
#include <QTranslator>
#include <QUndoStack>
#include <QtTest>

#include <algorithm>

using msup::ui::MainWindow;
using msup::ui::TrainingPanel;

namespace {

// The action of `menuTitle` (as shown, "&" removed) whose object name is `name`.
QAction* menuAction(MainWindow& window, const QString& menuTitle, const QString& name)
{
    for (QAction* top : window.menuBar()->actions()) {
        if (!top->menu() || top->text().remove(QLatin1Char('&')) != menuTitle)
            continue;
        for (QAction* action : top->menu()->actions())
            if (action->objectName() == name)
                return action;
    }
    return nullptr;
}

// A run far longer than any test, tiny and on the CPU: only a stop ends it.
msup::TrainConfig longTinyRun(TrainingPanel* training, const QString& outDir)
{
    msup::TrainConfig config = training->config();
    config.width = 4;
    config.imageSize = 32;
    config.batchSize = 2;
    config.epochs = 500;
    config.device = QStringLiteral("cpu");
    config.outDir = outDir;
    return config;
}

// The widest line of a widget's text as drawn ("&" of a mnemonic left out).
int textWidth(const QWidget* widget, QString text, bool mnemonic)
{
    if (mnemonic)
        text.replace(QStringLiteral("&&"), QStringLiteral("\x01"))
            .remove(QLatin1Char('&'))
            .replace(QLatin1Char('\x01'), QLatin1Char('&'));
    int widest = 0;
    for (const QString& line : text.split(QLatin1Char('\n')))
        widest = std::max(widest, widget->fontMetrics().horizontalAdvance(line));
    return widest;
}

// Visible labels, check boxes, push buttons and combo boxes of `root` whose text is wider than the
// room the widget gives it: "class 'text': needs N px, has M px".
QStringList clippedTexts(QWidget* root)
{
    QStringList clipped;
    auto check = [&clipped](QWidget* w, const QString& text, int needed, int room) {
        if (needed > room)
            clipped << QStringLiteral("%1 %2 '%3': needs %4 px, has %5 px")
                           .arg(QString::fromLatin1(w->metaObject()->className()), w->objectName(), text)
                           .arg(needed)
                           .arg(room);
    };
    for (QWidget* w : root->findChildren<QWidget*>()) {
        if (!w->isVisible() || w->width() <= 0)
            continue;
        if (auto* label = qobject_cast<QLabel*>(w)) {
            const QString text = label->text();
            if (text.isEmpty() || label->wordWrap() || label->textFormat() == Qt::RichText
                || (label->textFormat() == Qt::AutoText && Qt::mightBeRichText(text)))
                continue;
            check(w, text, textWidth(w, text, label->buddy() != nullptr),
                label->contentsRect().width() - 2 * label->margin());
        } else if (auto* box = qobject_cast<QCheckBox*>(w)) {
            const int indicator = w->style()->pixelMetric(QStyle::PM_IndicatorWidth, nullptr, w)
                + w->style()->pixelMetric(QStyle::PM_CheckBoxLabelSpacing, nullptr, w);
            check(w, box->text(), textWidth(w, box->text(), true) + indicator, box->width());
        } else if (auto* button = qobject_cast<QPushButton*>(w)) {
            if (button->text().isEmpty())
                continue;
            const int icon = button->icon().isNull() ? 0 : button->iconSize().width() + 4;
            check(w, button->text(), textWidth(w, button->text(), true) + icon, button->width() - 8);
        } else if (auto* combo = qobject_cast<QComboBox*>(w)) {
            if (combo->isEditable() || combo->currentText().isEmpty())
                continue;
            const int icon
                = combo->itemIcon(combo->currentIndex()).isNull() ? 0 : combo->iconSize().width() + 4;
            check(w, combo->currentText(), textWidth(w, combo->currentText(), false) + icon,
                combo->width() - 28);
        }
    }
    return clipped;
}

// Every plotted point inside the plot area lies outside the legend's box (when one is shown); an
// empty chart shows no legend.
void checkLegendLeavesPointsFree(QCustomPlot* plot)
{
    plot->replot();
    int points = 0;
    const QRect area = plot->axisRect()->rect();
    const QRect legend = plot->legend->outerRect();
    for (int g = 0; g < plot->graphCount(); ++g) {
        QCPGraph* graph = plot->graph(g);
        if (!graph->visible())
            continue;
        for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
            const QPoint pixel = graph->coordsToPixels(it->key, it->value).toPoint();
            if (!area.contains(pixel))
                continue;
            ++points;
            QVERIFY2(!plot->legend->visible() || !legend.contains(pixel),
                qPrintable(QStringLiteral("%1: the legend covers %2 at (%3, %4)")
                               .arg(plot->objectName(), graph->name())
                               .arg(pixel.x())
                               .arg(pixel.y())));
        }
    }
    QCOMPARE(plot->legend->visible(), points > 0);
}

using msup::test::visibleMessageBox;

} // namespace

class TestUsability : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void ctrlPTogglesPauseAndTheStatusSaysPaused();
    void legendsNeverCoverPlottedPoints();
    void exportDialogLabelsInputsAndMemory();
    void notADatasetAndRecentDatasets();
    void binaryColourContrastsAndClassColoursPersist();
    void annotateAt1500PixelsFocusClickAndReadout();
    void masksIntervalKeepsItsSizeWhenNarrow();
    void trainingBatchMnemonicClicksTheButton();
    void firstStartNamesTheBuiltInSample();
    void frenchLayoutsFitAtTheDefaultSize();

private:
    void showAndOpen(MainWindow& window);

    QTemporaryDir m_tmp;
    QString m_datasetDir;
};

void TestUsability::initTestCase()
{
    msup::test::isolateSettings(QStringLiteral("tst_usability"));
    QVERIFY(m_tmp.isValid());
    m_datasetDir = msup::test::writeTinyDataset(
        m_tmp.filePath(QStringLiteral("glands")), msup::SynthKind::Glands, 8, 64, 3);
}

void TestUsability::showAndOpen(MainWindow& window)
{
    window.resize(1400, 900);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(msup::test::openDatasetAndWait(window, m_datasetDir));
}

// Ctrl+P pauses, resumes, pauses… (three times each way), Pause sits in the Training menu, and
// while held neither the panel nor the status bar shows a speed or an ETA; after Stop no batch
// of the unfinished epoch is left beside "Stopped after N epochs".
void TestUsability::ctrlPTogglesPauseAndTheStatusSaysPaused()
{
    MainWindow window;
    showAndOpen(window);
    if (QTest::currentTestFailed())
        return;
    TrainingPanel* training = window.trainingPanel();
    QAction* pauseInMenu = menuAction(window, QStringLiteral("Training"), QStringLiteral("pauseAction"));
    QVERIFY(pauseInMenu);
    QCOMPARE(pauseInMenu, training->pauseAction());
    QCOMPARE(pauseInMenu->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_P));
    QVERIFY(!pauseInMenu->isEnabled());
    auto* button = training->findChild<QPushButton*>(QStringLiteral("pauseButton"));
    auto* progress = training->findChild<QLabel*>(QStringLiteral("progressLabel"));
    auto* status = training->findChild<QLabel*>(QStringLiteral("trainingStatusLabel"));
    auto* speed = window.statusBar()->findChild<QLabel*>(QStringLiteral("speedStatusLabel"));
    auto* runStatus = window.statusBar()->findChild<QLabel*>(QStringLiteral("trainingStatusBarLabel"));
    QVERIFY(button && progress && status && speed && runStatus);

    training->setConfig(longTinyRun(training, m_tmp.filePath(QStringLiteral("run-ctrl-p"))));
    QSignalSpy finished(training, &TrainingPanel::trainingFinished);
    QVERIFY(training->startTraining());
    QTRY_VERIFY_WITH_TIMEOUT(training->lossPointCount() > 0, 120000);
    QTRY_VERIFY(pauseInMenu->isEnabled());
    QTRY_VERIFY(speed->text().contains(QStringLiteral("ETA")));

    for (int press = 0; press < 6; ++press) {
        const bool paused = press % 2 == 0;
        QTest::keyClick(&window, Qt::Key_P, Qt::ControlModifier);
        QCOMPARE(pauseInMenu->isChecked(), paused);
        QCOMPARE(button->isChecked(), paused);
        QCOMPARE(button->text(), paused ? QStringLiteral("Resume") : QStringLiteral("Pause"));
        QTRY_COMPARE_WITH_TIMEOUT(training->isPaused(), paused, 30000);
        if (paused) {
            QCOMPARE(speed->text(), QStringLiteral("Paused"));
            QVERIFY2(runStatus->text().contains(QStringLiteral("paused")), qPrintable(runStatus->text()));
            QVERIFY2(!progress->text().contains(QStringLiteral("ETA")), qPrintable(progress->text()));
            QVERIFY(!progress->text().contains(QStringLiteral("images/s")));
            QVERIFY(progress->text().endsWith(QStringLiteral("paused")));
            QVERIFY(status->text().startsWith(QStringLiteral("Paused")));
            const int held = training->lossPointCount();
            QTest::qWait(200);
            QCOMPARE(training->lossPointCount(), held);
        } else {
            const int before = training->lossPointCount();
            QTRY_VERIFY_WITH_TIMEOUT(training->lossPointCount() > before, 30000);
            QTRY_VERIFY(speed->text().contains(QStringLiteral("ETA")));
        }
    }

    // Paused once more from the menu's action, then stopped: nothing stale is left.
    pauseInMenu->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(training->isPaused(), 30000);
    training->stopTraining();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
    QVERIFY(status->text().startsWith(QStringLiteral("Stopped after")));
    QVERIFY2(progress->text().isEmpty(), qPrintable(progress->text()));
    QVERIFY(speed->text().isEmpty());
    QCOMPARE(runStatus->text(), QStringLiteral("Training: stopped"));
    QVERIFY(!pauseInMenu->isEnabled());
    QVERIFY(!pauseInMenu->isChecked());
    QCOMPARE(button->text(), QStringLiteral("Pause"));
}

// The loss chart and the per-class IoU chart: no legend on an empty chart, and once curves are
// drawn the legend (below the plot) covers none of their points.
void TestUsability::legendsNeverCoverPlottedPoints()
{
    MainWindow window;
    showAndOpen(window);
    if (QTest::currentTestFailed())
        return;
    TrainingPanel* training = window.trainingPanel();
    window.showTab(MainWindow::Tab::Training);
    auto* iou = training->charts()->findChild<QCustomPlot*>(QStringLiteral("perClassIouChart"));
    QVERIFY(iou);
    checkLegendLeavesPointsFree(training->chart());
    checkLegendLeavesPointsFree(iou);
    QVERIFY(!training->chart()->legend->visible());
    QVERIFY(!iou->legend->visible());
    // An empty chart keeps its full width (an empty legend once squeezed the per-class plot).
    for (QCustomPlot* plot : { training->chart(), iou }) {
        plot->replot(QCustomPlot::rpImmediateRefresh);
        QVERIFY2(plot->axisRect()->width() > plot->width() / 2,
            qPrintable(QStringLiteral("%1: plot %2 px wide in a %3 px chart")
                           .arg(plot->objectName())
                           .arg(plot->axisRect()->width())
                           .arg(plot->width())));
    }

    msup::TrainConfig config = longTinyRun(training, m_tmp.filePath(QStringLiteral("run-legend")));
    config.epochs = 3;
    training->setConfig(config);
    QSignalSpy finished(training, &TrainingPanel::trainingFinished);
    QVERIFY(training->startTraining());
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 180000);
    QVERIFY(training->lossPointCount() > 0);
    QCOMPARE(training->miouPointCount(), 3);
    checkLegendLeavesPointsFree(training->chart());
    checkLegendLeavesPointsFree(iou);
    QVERIFY(training->chart()->legend->visible());
    QVERIFY(iou->legend->visible());
    // The validation mIoU says at which size it is computed (evaluate and robustness use the
    // original size).
    QStringList names;
    for (int g = 0; g < training->chart()->graphCount(); ++g)
        names << training->chart()->graph(g)->name();
    QVERIFY2(names.contains(QStringLiteral("validation mIoU (training size)")),
        qPrintable(names.join(QLatin1Char(','))));
    // Below the plot: its box does not reach into the plot area at all.
    QVERIFY(!training->chart()->legend->outerRect().intersects(training->chart()->axisRect()->rect()));
    QVERIFY(!iou->legend->outerRect().intersects(iou->axisRect()->rect()));
}

// File ▸ Export predictions…: labels show their mnemonic, not a literal "&"; the list starts with
// the dataset's images; the checkpoint chosen is there again in the next session's dialog.
void TestUsability::exportDialogLabelsInputsAndMemory()
{
    const QString checkpoint = m_tmp.filePath(QStringLiteral("export-best.pt"));
    {
        QFile file(checkpoint);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("checkpoint");
    }
    {
        MainWindow window;
        showAndOpen(window);
        if (QTest::currentTestFailed())
            return;
        msup::ui::ExportDialog* dialog = window.showExportDialog();
        QVERIFY(dialog && dialog->isVisible());
        for (QLabel* label : dialog->findChildren<QLabel*>()) {
            if (!label->text().contains(QLatin1Char('&')) || label->textFormat() == Qt::RichText)
                continue;
            QVERIFY2(label->buddy(), qPrintable(label->text() + QStringLiteral(" shows its & literally")));
        }
        auto* checkpointEdit = dialog->findChild<QLineEdit*>(QStringLiteral("exportCheckpointEdit"));
        QVERIFY(checkpointEdit);
        QCOMPARE(dialog->inputs().size(), window.datasetPanel()->dataset().samples.size());
        QVERIFY(dialog->inputs().size() > 0);
        dialog->setCheckpoint(checkpoint);
        dialog->close();
    }
    msup::ui::ExportDialog next;
    QCOMPARE(next.checkpoint(), checkpoint);
}

// A folder that is not a dataset: separate sentences, no command-line advice. A recent dataset
// opens with the same report as File ▸ Open dataset….
void TestUsability::notADatasetAndRecentDatasets()
{
    const QString folder = m_tmp.filePath(QStringLiteral("not-a-dataset"));
    QVERIFY(QDir().mkpath(folder));
    {
        QFile notes(folder + QStringLiteral("/notes.txt"));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("no images here\n");
    }
    MainWindow window;
    showAndOpen(window);
    if (QTest::currentTestFailed())
        return;
    QSignalSpy failed(&window, &MainWindow::datasetOpenFailed);
    window.openDataset(folder);
    QVERIFY(failed.wait(30000));
    QMessageBox* box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((box = visibleMessageBox()) != nullptr, 5000);
    const QString details = box->informativeText();
    QVERIFY2(
        details.contains(QStringLiteral("no dataset recognised. A dataset folder")), qPrintable(details));
    QVERIFY2(!details.contains(QStringLiteral("masksup")), qPrintable(details));
    box->close();

    // File ▸ Recent datasets: the glands folder, opened with its report.
    if (msup::ui::DatasetReportDialog* report = window.datasetReportDialog())
        report->close();
    QTRY_VERIFY(!window.datasetReportDialog());
    auto* recent = window.findChild<QMenu*>(QStringLiteral("recentDatasetsMenu"));
    QVERIFY(recent);
    Q_EMIT recent->aboutToShow();
    QAction* glands = nullptr;
    for (QAction* action : recent->actions())
        if (QDir::cleanPath(QDir::fromNativeSeparators(action->toolTip())) == QDir::cleanPath(m_datasetDir))
            glands = action;
    QVERIFY2(glands, "the glands dataset is not in File ▸ Recent datasets");
    QSignalSpy opened(&window, &MainWindow::datasetOpened);
    glands->trigger();
    QVERIFY(opened.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(
        window.datasetReportDialog() && window.datasetReportDialog()->isVisible(), 10000);
    window.datasetReportDialog()->close();
}

// Binary datasets draw their foreground in a colour far from the reds of tissue; a class colour
// the user changes is shown and kept in the project.
void TestUsability::binaryColourContrastsAndClassColoursPersist()
{
    const QColor foreground = msup::binaryForegroundColor();
    const int hue = foreground.hsvHue();
    QVERIFY2(hue >= 120 && hue <= 200, qPrintable(foreground.name())); // green to cyan, far from red
    QVERIFY(foreground.hsvSaturation() > 150 && foreground.value() > 150);

    MainWindow window;
    showAndOpen(window);
    if (QTest::currentTestFailed())
        return;
    msup::ui::DatasetPanel* panel = window.datasetPanel();
    const int shownHue = panel->classColors().value(1).hsvHue();
    QVERIFY2(shownHue >= 120 && shownHue <= 200, qPrintable(panel->classColors().value(1).name()));
    QVector<QColor> colors = panel->classColors();
    colors[1] = QColor(255, 200, 0);
    QSignalSpy changed(panel, &msup::ui::DatasetPanel::classColorsChanged);
    panel->setClassColors(colors);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(panel->classColors().value(1), QColor(255, 200, 0));
    auto* legend = panel->findChild<QListWidget*>(QStringLiteral("classLegend"));
    QVERIFY(legend && legend->count() >= 2);
    const QImage swatch = legend->item(1)->icon().pixmap(16, 16).toImage();
    QCOMPARE(QColor(swatch.pixel(8, 8)).rgb(), QColor(255, 200, 0).rgb());

    const QString file = m_tmp.filePath(QStringLiteral("colours.masksup"));
    QVERIFY(window.saveProjectTo(file));
    const QJsonArray saved = window.currentProject().view.value(QStringLiteral("class_colors")).toArray();
    QCOMPARE(saved.size(), 2);
    QCOMPARE(QColor(saved.at(1).toString()), QColor(255, 200, 0));

    MainWindow reopened;
    reopened.show();
    QSignalSpy projectOpened(&reopened, &MainWindow::projectOpened);
    QVERIFY(reopened.openProject(file));
    QTRY_VERIFY_WITH_TIMEOUT(!projectOpened.isEmpty(), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(reopened.datasetPanel()->classColors().value(1), QColor(255, 200, 0), 10000);
}

// The Annotate panel in a 1500 px wide window: Save mask, Fit and 1:1 visible (no » overflow); the
// click that focuses the canvas does not paint; the pixel readout follows an undo.
void TestUsability::annotateAt1500PixelsFocusClickAndReadout()
{
    MainWindow window;
    window.resize(1500, 900);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QSignalSpy opened(&window, &MainWindow::datasetOpened);
    window.openDataset(m_datasetDir);
    QVERIFY(opened.wait(30000));
    window.showTab(MainWindow::Tab::Annotation);
    msup::ui::AnnotationPanel* panel = window.annotationPanel();
    msup::ui::AnnotationCanvas* canvas = panel->canvas();
    QTRY_VERIFY_WITH_TIMEOUT(!canvas->labels().empty(), 30000);
    QTest::qWait(100);

    for (QToolBar* bar : panel->findChildren<QToolBar*>()) {
        auto* overflow = bar->findChild<QToolButton*>(QStringLiteral("qt_toolbar_ext_button"));
        QVERIFY2(!overflow || !overflow->isVisible(),
            qPrintable(bar->objectName() + QStringLiteral(" overflows")));
    }
    QStringList shown;
    for (QToolBar* bar : panel->findChildren<QToolBar*>())
        for (QAction* action : bar->actions())
            if (QWidget* button = bar->widgetForAction(action); button && button->isVisible())
                shown << action->text();
    for (const QString& text : { QStringLiteral("Save mask"), QStringLiteral("Fit"), QStringLiteral("1:1") })
        QVERIFY2(shown.contains(text), qPrintable(text + QStringLiteral(" is not visible")));

    // Focus elsewhere, then click into the canvas: that click focuses it and paints nothing.
    window.datasetPanel()->setFocus();
    QTRY_VERIFY(!canvas->hasFocus());
    const QPoint pixel(20, 20);
    const cv::Mat before = canvas->labels().clone();
    const uchar original = before.at<uchar>(pixel.y(), pixel.x());
    const int paint = original == 1 ? 0 : 1;
    canvas->setCurrentClass(paint);
    QTest::mouseMove(canvas, canvas->widgetPointForPixel(pixel));
    QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, canvas->widgetPointForPixel(pixel));
    QTRY_VERIFY(canvas->hasFocus());
    QCOMPARE(cv::countNonZero(canvas->labels() != before), 0);

    // The next click paints; the readout names the new class, and after undo the old one again.
    auto* readout = panel->findChild<QLabel*>(QStringLiteral("annotationPixelLabel"));
    QVERIFY(readout);
    QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, canvas->widgetPointForPixel(pixel));
    QCOMPARE(int(canvas->labels().at<uchar>(pixel.y(), pixel.x())), paint);
    const QString painted = readout->text();
    panel->undoStack()->undo();
    QCOMPARE(int(canvas->labels().at<uchar>(pixel.y(), pixel.x())), int(original));
    QVERIFY2(readout->text() != painted, qPrintable(readout->text()));
    QVERIFY(readout->text().startsWith(QStringLiteral("(20, 20)")));
}

// The Masks panel's interval boxes and sliders keep a usable size in a narrow window.
void TestUsability::masksIntervalKeepsItsSizeWhenNarrow()
{
    MainWindow window;
    showAndOpen(window);
    if (QTest::currentTestFailed())
        return;
    window.showTab(MainWindow::Tab::Masks);
    window.resize(900, 700);
    QTest::qWait(200);
    for (const char* name : { "maskRatioLowSlider", "maskRatioHighSlider" }) {
        auto* slider = window.findChild<QSlider*>(QLatin1String(name));
        QVERIFY(slider && slider->isVisible());
        QVERIFY2(slider->width() >= 80,
            qPrintable(QStringLiteral("%1: %2 px").arg(QLatin1String(name)).arg(slider->width())));
    }
    for (const char* name : { "maskRatioLowSpin", "maskRatioHighSpin" }) {
        auto* spin = window.findChild<QDoubleSpinBox*>(QLatin1String(name));
        QVERIFY(spin && spin->isVisible());
        QVERIFY(spin->width() >= spin->sizeHint().width());
    }
}

// Alt+letter of "Show training batch" clicks it: no other label or button of the window (the other
// tabs' included: Qt counts them, and an ambiguous mnemonic only moves the focus) has its letter.
// "Show training &batch" shared Alt+B with the Training tab's "&Batch size:" and only took focus.
void TestUsability::trainingBatchMnemonicClicksTheButton()
{
    MainWindow window;
    showAndOpen(window);
    if (QTest::currentTestFailed())
        return;
    auto mnemonic = [](const QString& text) {
        for (int i = 0; i + 1 < text.size(); ++i) {
            if (text[i] != QLatin1Char('&'))
                continue;
            if (text[i + 1] != QLatin1Char('&'))
                return text[i + 1].toLower();
            ++i; // "&&" is a literal ampersand
        }
        return QChar();
    };
    auto* button = window.findChild<QPushButton*>(QStringLiteral("trainingBatchButton"));
    QVERIFY(button);
    const QChar letter = mnemonic(button->text());
    QVERIFY(!letter.isNull());
    QStringList sharing;
    for (const QAbstractButton* b : window.findChildren<QAbstractButton*>())
        if (b != button && mnemonic(b->text()) == letter)
            sharing << b->text();
    for (const QLabel* l : window.findChildren<QLabel*>())
        if (l->buddy() && mnemonic(l->text()) == letter)
            sharing << l->text();
    QVERIFY2(sharing.isEmpty(), qPrintable(sharing.join(QStringLiteral(", "))));
}

// The first start's sample is named for what it is, not "kvasir-seg".
void TestUsability::firstStartNamesTheBuiltInSample()
{
    QSettings().clear();
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy opened(&window, &MainWindow::datasetOpened);
    window.openInitialDataset(QString());
    QVERIFY(opened.wait(120000));
    auto* summary = window.findChild<QLabel*>(QStringLiteral("datasetSummaryLabel"));
    QVERIFY(summary);
    QVERIFY2(summary->text().contains(QStringLiteral("built-in glands sample (Kvasir-SEG layout)")),
        qPrintable(summary->text()));
}

// In French (longer than English) at the default window size (1280 × 820): no label, check box,
// button or combo box of any panel cut off, the toolbar without an overflow, Qt's dialog buttons
// ("Close", "Yes", "No") and the loss chart's legend translated.
void TestUsability::frenchLayoutsFitAtTheDefaultSize()
{
    msup::ui::initStudioResources();
    QTranslator french;
    QVERIFY(french.load(QStringLiteral(":/i18n/masksup_fr.qm")));
    QCoreApplication::installTranslator(&french);
    const auto uninstall = qScopeGuard([&french] { QCoreApplication::removeTranslator(&french); });

    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Close"), QStringLiteral("Fermer"));
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "&Yes"), QStringLiteral("&Oui"));
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "&No"), QStringLiteral("&Non"));

    MainWindow window;
    window.resize(1280, 820);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy opened(&window, &MainWindow::datasetOpened);
    window.openDataset(m_datasetDir);
    QVERIFY(opened.wait(30000));

    auto* toolBar = window.findChild<QToolBar*>();
    QVERIFY(toolBar);
    auto* overflow = toolBar->findChild<QToolButton*>(QStringLiteral("qt_toolbar_ext_button"));
    QStringList clipped;
    if (overflow && overflow->isVisible())
        clipped << QStringLiteral("the toolbar overflows: some actions are hidden");

    // The hole-ratio words in French, in the Masks panel and the training form; the value that
    // config files and the command line take stays "high".
    auto* ratioCombo = window.findChild<QComboBox*>(QStringLiteral("maskRatioCombo"));
    QVERIFY(ratioCombo);
    QCOMPARE(window.maskPanel()->ratioText(), QStringLiteral("high"));
    QCOMPARE(ratioCombo->currentText(), QStringLiteral("élevée"));
    QCOMPARE(window.trainingPanel()->config().holeRatio, QStringLiteral("high"));
    auto* formRatio = window.trainingPanel()->findChild<QComboBox*>(QStringLiteral("holeRatioCombo"));
    QVERIFY(formRatio);
    QCOMPARE(formRatio->currentText(), QStringLiteral("élevée")); // the training form's basic row too
    window.maskPanel()->setRatioText(QStringLiteral("low"));
    QCOMPARE(ratioCombo->currentText(), QStringLiteral("faible"));
    QTRY_COMPARE(window.trainingPanel()->config().holeRatio, QStringLiteral("low"));
    QCOMPARE(formRatio->currentText(), QStringLiteral("faible"));
    window.maskPanel()->setRatioText(QStringLiteral("high"));

    auto* loss = window.trainingPanel()->chart();
    QStringList legendNames;
    for (int i = 0; i < loss->graphCount(); ++i)
        legendNames << loss->graph(i)->name();
    QVERIFY2(
        !legendNames.contains(QStringLiteral("loss_seg")), qPrintable(legendNames.join(QLatin1Char(','))));

    for (int tab = int(MainWindow::Tab::Dataset); tab <= int(MainWindow::Tab::Annotation); ++tab) {
        window.showTab(MainWindow::Tab(tab));
        QTest::qWait(100);
        const QStringList found = clippedTexts(&window);
        for (const QString& c : found)
            if (!clipped.contains(c))
                clipped << c;
    }
    QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestUsability)
#include "tst_usability.moc"
