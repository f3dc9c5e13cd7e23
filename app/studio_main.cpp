// masksup-studio: the desktop application. All of the GUI lives in the masksup_ui library; this
// file only parses the command line, installs the translation and shows the main window.
#include "ui/dataset_panel.h"
#include "ui/error_analysis_view.h"
#include "ui/main_window.h"
#include "ui/mask_panel.h"
#include "ui/prediction_panel.h"
#include "ui/runs_panel.h"
#include "ui/studio_resources.h"
#include "ui/training_charts.h"
#include "ui/training_panel.h"

#include <QApplication>
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QStringList>
#include <QTimer>

#include <cstdio>
#include <iterator>
#include <memory>

namespace {

// Hidden --screenshot mode (documentation and visual checks): waits until the dataset is shown,
// optionally trains a few epochs and predicts, then saves the window with QWidget::grab() and
// quits. Works with QT_QPA_PLATFORM=offscreen.
class ScreenshotDriver : public QObject {
public:
    ScreenshotDriver(msup::ui::MainWindow* window, QString file, QString tab, int trainEpochs)
        : QObject(window)
        , m_window(window)
        , m_file(std::move(file))
        , m_tab(std::move(tab))
        , m_trainEpochs(trainEpochs)
    {
        using namespace msup::ui;
        connect(window, &MainWindow::datasetOpenFailed, this, [this] { fail("dataset"); });
        connect(window->trainingPanel(), &TrainingPanel::trainingFailed, this, [this] { fail("training"); });
        connect(window->predictionPanel(), &PredictionPanel::predictionReady, this,
            [this] { m_predicted = true; });
        connect(
            window->trainingPanel(), &TrainingPanel::trainingFinished, this, [this] { m_trained = true; });
        auto* poll = new QTimer(this);
        connect(poll, &QTimer::timeout, this, &ScreenshotDriver::step);
        poll->start(200);
        QTimer::singleShot(15 * 60 * 1000, this, [this] { fail("timeout"); });
    }

private:
    void step()
    {
        using namespace msup::ui;
        DatasetPanel* dataset = m_window->datasetPanel();
        const bool datasetReady = dataset->hasDataset() && dataset->thumbnailsDone()
            && !dataset->currentImage().isNull() && m_window->maskPanel()->measuredHoleRatio() >= 0;
        if (!datasetReady || m_done)
            return;
        if (m_trainEpochs > 0 && !m_trainingStarted) {
            msup::TrainConfig config = m_window->trainingPanel()->config();
            config.epochs = m_trainEpochs;
            config.width = 8;
            config.imageSize = 64;
            config.batchSize = 4;
            config.device = QStringLiteral("cpu");
            config.mode = QStringLiteral("masksup");
            config.outDir.clear();
            m_window->trainingPanel()->setConfig(config);
            m_trainingStarted = m_window->trainingPanel()->startTraining();
            if (!m_trainingStarted)
                fail("start");
            return;
        }
        if (m_trainEpochs > 0 && (!m_trained || !m_predicted))
            return;
        m_done = true;
        // A comma-separated list of panels; FILE's "{tab}" is replaced by each panel's name.
        m_pending = m_tab.split(QLatin1Char(','), Qt::SkipEmptyParts);
        grabNext(true);
    }

    void grabNext(bool ok)
    {
        using namespace msup::ui;
        if (m_pending.isEmpty()) {
            QCoreApplication::exit(ok ? 0 : 1);
            return;
        }
        const QString tab = m_pending.takeFirst().trimmed();
        if (tab == QLatin1String("errors")) {
            grabErrorAnalysis(ok);
            return;
        }
        const char* const names[]
            = { "dataset", "masks", "training", "prediction", "robustness", "runs", "log", "annotation" };
        int index = 2; // training
        for (int i = 0; i < int(std::size(names)); ++i)
            if (tab == QLatin1String(names[i]))
                index = i;
        m_window->showTab(MainWindow::Tab(index));
        // Show what each panel is for: the errors of the prediction, every run's curves.
        if (tab == QLatin1String("prediction"))
            m_window->predictionPanel()->setDisplayMode(PredictionPanel::DisplayMode::Errors);
        if (tab == QLatin1String("runs"))
            m_window->runsPanel()->setSelectedFolders(m_window->runsPanel()->runFolders());
        // "training-advanced": the Training panel with its Advanced settings open.
        m_window->trainingPanel()->setAdvancedExpanded(tab == QLatin1String("training-advanced"));
        // Let layouts settle and the charts' queued replots run before grabbing.
        QTimer::singleShot(800, this, [this, tab, ok] {
            QString file = m_file;
            file.replace(QStringLiteral("{tab}"), tab);
            const bool saved = m_window->grab().save(file);
            std::fprintf(stderr, "%s %s\n", saved ? "saved" : "could not save",
                qPrintable(QDir::toNativeSeparators(file)));
            grabNext(ok && saved);
        });
    }

    // The worst validation images of the gland class (the confusion matrix's class label clicked),
    // as the training panel opens them.
    void grabErrorAnalysis(bool ok)
    {
        using namespace msup::ui;
        m_window->showTab(MainWindow::Tab::Training);
        Q_EMIT m_window->trainingPanel()->charts()->confusionCellClicked(1, -1);
        ErrorAnalysisView* view = m_window->trainingPanel()->errorAnalysisView();
        if (!view) {
            fail("error analysis");
            return;
        }
        view->resize(1000, 760);
        connect(
            view, &ErrorAnalysisView::analysisFinished, this,
            [this, view, ok] {
                QTimer::singleShot(500, this, [this, view, ok] {
                    QString file = m_file;
                    file.replace(QStringLiteral("{tab}"), QStringLiteral("errors"));
                    const bool saved = view->grab().save(file);
                    std::fprintf(stderr, "%s %s\n", saved ? "saved" : "could not save",
                        qPrintable(QDir::toNativeSeparators(file)));
                    view->close();
                    grabNext(ok && saved);
                });
            },
            Qt::SingleShotConnection);
    }

    void fail(const char* what)
    {
        std::fprintf(stderr, "screenshot failed: %s\n", what);
        QCoreApplication::exit(2);
    }

    msup::ui::MainWindow* m_window;
    QString m_file;
    QString m_tab;
    QStringList m_pending;
    int m_trainEpochs = 0;
    bool m_trainingStarted = false;
    bool m_trained = false;
    bool m_predicted = false;
    bool m_done = false;
};

} // namespace

int main(int argc, char* argv[])
{
    // --help and --version print and exit: they need no display, so no QApplication for them.
    bool infoOnly = false;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        infoOnly = infoOnly || arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v"
            || arg == "--version" || arg == "-?";
    }
    std::unique_ptr<QCoreApplication> application = infoOnly ? std::make_unique<QCoreApplication>(argc, argv)
                                                             : std::make_unique<QApplication>(argc, argv);
    QCoreApplication& app = *application;
    QCoreApplication::setApplicationName(QStringLiteral("masksup-studio"));
    QCoreApplication::setOrganizationName(QStringLiteral("MaskSup"));
    QCoreApplication::setApplicationVersion(msup::ui::studioVersion());
    msup::ui::initStudioResources();
    // The language: --language, else the one chosen in Settings ▸ Language, else the system's.
    QString language = msup::ui::MainWindow::languageSetting();
    for (int i = 1; i + 1 < argc; ++i)
        if (QByteArray(argv[i]) == "--language")
            language = QString::fromLocal8Bit(argv[i + 1]);
    msup::ui::installTranslators(app, language);
    if (!infoOnly)
        QApplication::setWindowIcon(msup::ui::applicationIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("main",
        "MaskSup Studio: train segmentation networks with Masked Supervised Learning.\n\n"
        "Opens DATASET_DIR when given (a Kvasir-SEG style folder with images/ and masks/, or a "
        "folder of NNNNNN.png + NNNNNN_mask.png pairs). Otherwise the last dataset is opened, "
        "and on the very first start a small sample dataset of gland images is generated and "
        "opened."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("DATASET_DIR"),
        QCoreApplication::translate("main", "Dataset folder to open."), QStringLiteral("[DATASET_DIR]"));
    QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
        QCoreApplication::translate("main", "Save the window to FILE once ready, then quit."),
        QStringLiteral("FILE"));
    screenshotOption.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption screenshotTabOption(QStringLiteral("screenshot-tab"),
        QCoreApplication::translate("main", "Tab shown in the screenshot."), QStringLiteral("TAB"),
        QStringLiteral("training"));
    screenshotTabOption.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption screenshotTrainOption(QStringLiteral("screenshot-train"),
        QCoreApplication::translate("main", "Train a tiny model for EPOCHS epochs before the screenshot."),
        QStringLiteral("EPOCHS"), QStringLiteral("0"));
    screenshotTrainOption.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption languageOption(QStringLiteral("language"),
        QCoreApplication::translate("main",
            "Interface language: fr (French) or en (English). Default: the one chosen in Settings > "
            "Language, else the system's."),
        QStringLiteral("LANG"));
    parser.addOption(languageOption);
    parser.addOption(screenshotOption);
    parser.addOption(screenshotTabOption);
    parser.addOption(screenshotTrainOption);
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        std::fprintf(stderr, "%s\n",
            qPrintable(QCoreApplication::translate("main", "Give at most one dataset folder. See --help.")));
        return 2;
    }
    const QString datasetDir
        = positional.isEmpty() ? QString() : QFileInfo(positional.first()).absoluteFilePath();

    msup::ui::MainWindow window;
    if (parser.isSet(screenshotOption))
        new ScreenshotDriver(&window, parser.value(screenshotOption), parser.value(screenshotTabOption),
            parser.value(screenshotTrainOption).toInt());
    window.show();
    window.openInitialDataset(datasetDir);
    return app.exec();
}
