#pragma once

#include "core/io/project_file.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

class QSettings;
class QTimer;
class QWidget;

namespace msup {
namespace ui {

    // The window's remembered layout and view settings (QSettings "window/*" and "view/*").
    struct WindowSettings {
        QByteArray geometry; // QMainWindow::saveGeometry(); empty the first time
        QByteArray state; // QMainWindow::saveState()
        int tab = 0; // MainWindow::Tab
        double labelOpacity = 0.5;
        bool labelOutline = false;
        double predictionOpacity = 0.5;
    };

    // The life of a MaskSup Studio project (.masksup) behind the main window: new, open, save, save
    // as, close, the modified state, the 60 s autosave and its restore after an unclean exit, the
    // recent projects and datasets, and the settings the studio keeps between sessions (QSettings).
    // The window shows the project: it fills in what it shows through the capture function, applies
    // what the controller loads (projectLoaded, projectDatasetReady) and opens the datasets the
    // controller asks for (datasetRequested). Questions and file dialogs are parented to `window`;
    // errors and status messages go out as signals.
    class ProjectController : public QObject {
        Q_OBJECT
    public:
        enum class Recent { Projects, Datasets };
        static constexpr int kMaxRecent = 8;
        static constexpr int kAutosaveIntervalMs = 60 * 1000;

        explicit ProjectController(QWidget* window);
        ~ProjectController() override;

        // Fills `project` (the opened project with this controller's dataset and runs) with what the
        // window shows: the training form, the split, view settings and image states.
        void setCapture(std::function<void(msup::Project&)> capture);
        // The file "Save project as" proposes for an untitled project (without the suffix).
        void setSuggestedFile(std::function<QString()> suggestedFile);
        // Starts the autosave timer and takes the project as it is now as clean.
        void start();

        // The project file; empty while the project is untitled.
        QString projectPath() const { return m_projectPath; }
        // The project as opened or last saved (keys the window does not show are kept here).
        const msup::Project& openedProject() const { return m_project; }
        // The project as the window shows it now (paths absolute).
        msup::Project currentProject() const;
        // A project's dataset is being opened: the window still shows the previous one.
        bool isOpening() const { return m_opening; }
        // The modified mark as last computed (isModified() recomputes it).
        bool modifiedMark() const { return m_modified; }
        // Whether the project differs from its file (or, untitled, from the start), view settings
        // aside; titleChanged() when that changes.
        bool isModified();
        // isModified() once per turn of the event loop, however many edits arrive.
        void scheduleModifiedCheck();
        void markClean();

        // The runs started from the window, which belong to the project.
        QStringList runFolders() const { return m_runFolders; }
        void setRunFolders(const QStringList& folders) { m_runFolders = folders; }
        void addRunFolder(const QString& folder);

        // The dataset the window opened: `openedPath` as the user named it (a folder or NYUDv2's .mat
        // file), `root` the indexed folder, `formatSpec` its format ("" = detected). Remembered as the
        // last and a recent dataset; a project being opened is complete now.
        void datasetOpened(const QString& openedPath, const QString& root, const QString& formatSpec);
        void datasetOpenFailed();
        // The next dataset opened (at start-up) is the project's starting point, not a modification.
        void setBaselineOnOpen(bool on) { m_baselineOnOpen = on; }

        // Project ▸ New: an untitled project from the dataset and settings now open (asks about
        // unsaved changes first).
        bool newProject();
        // Asks about unsaved changes, then load().
        bool open(const QString& path);
        // Asks for a project file, then open().
        void chooseAndOpen();
        // Reads `path` (as an untitled project when `asUntitled`: a restored autosave, modified until
        // saved). projectLoaded, then datasetRequested (or projectOpened at once without a dataset);
        // errorOccurred and projectOpenFailed when the file cannot be read.
        bool load(const QString& path, bool asUntitled);
        // Writes the project atomically to `path` (suffix added when missing) and makes it the
        // project's file; errorOccurred otherwise.
        bool saveTo(const QString& path);
        // To the project's file, or saveAs() for an untitled project.
        bool save();
        // Asks for a file, then saveTo().
        bool saveAs();
        // Before something replaces the project: saves a project with a file, asks about an untitled
        // modified one (`closing` words the question for quitting). False when the user cancels.
        bool maybeSave(bool closing);
        // The project's part of closing the window (also after a training run was stopped to quit):
        // a project with a file is saved, an untitled modified one asked about (Save / Discard /
        // Cancel). Records a clean exit; false when the user cancels.
        bool close();

        // What the autosave timer does: a modified project with a file is saved to it; a modified
        // untitled one is written to autosavePath(). True when a file was written.
        bool autosaveNow();
        // <AppDataLocation>/autosave.masksup
        static QString autosavePath();
        // Start-up: notes that this session has not closed cleanly yet; when the previous one did not
        // and left an autosave, offers to restore it (non-modal question, once the event loop runs).
        void beginSession();
        // Start-up: loads the last project. False (with a status message when its file is gone)
        // when there is none or it cannot be opened.
        bool openLastProject();

        // Recent projects or datasets, newest first (at most kMaxRecent; QSettings "project/recent",
        // "dataset/recent").
        static QStringList recent(Recent list);
        static void addRecent(Recent list, const QString& path);
        static void clearRecent(Recent list);
        // Drops the entries whose file is gone (with a status message); the list that remains.
        QStringList pruneRecent(Recent list);

        // The folder last opened as a dataset (QSettings "dataset/last").
        static QString lastDataset();
        // "" follows the system, else "en" or "fr" (QSettings "ui/language").
        static QString languageSetting();
        static void setLanguageSetting(const QString& language);
        // The window's layout and view settings; `panels` reads or writes the panels' own keys.
        static WindowSettings readWindowSettings(const std::function<void(const QSettings&)>& panels);
        static void writeWindowSettings(
            const WindowSettings& settings, const std::function<void(QSettings&)>& panels);

    Q_SIGNALS:
        // The project's file or its modified mark changed (the window's title shows both).
        void titleChanged();
        void statusMessage(const QString& text, int timeoutMs);
        void errorOccurred(const QString& title, const QString& text, const QString& details);
        // A project file was read: the window applies its runs, training form and view settings.
        void projectLoaded(const msup::Project& project, const QString& path);
        // The window opens this dataset (in the background) and reports back with datasetOpened().
        void datasetRequested(const QString& path, const QString& format);
        // The project's dataset is open: the window applies the split, sample and image states.
        void projectDatasetReady(const msup::Project& project);
        // New project: the window forgets the previous project's runs.
        void projectCleared();
        // The recent projects list lost entries (a project file that is gone).
        void recentProjectsChanged();
        // A save is about to capture the project: the window saves pending edits first.
        void aboutToSave();
        void projectOpened(const QString& path);
        void projectOpenFailed(const QString& path, const QString& message);
        void projectSaved(const QString& path);

    private:
        void finishOpen();
        void offerAutosaveRestore();

        QWidget* m_window;
        std::function<void(msup::Project&)> m_capture;
        std::function<QString()> m_suggestedFile;
        msup::Project m_project;
        QString m_projectPath;
        QString m_datasetPath; // the dataset as the project names it (folder or .mat file)
        QString m_datasetFormat = QStringLiteral("auto");
        QStringList m_runFolders;
        QByteArray m_cleanState; // currentProject() without view settings, when last clean
        QByteArray m_cleanFull; // currentProject() as last written/read
        bool m_forceModified = false; // a restored autosave: modified until saved
        bool m_modified = false;
        bool m_modifiedCheckPending = false;
        bool m_baselineOnOpen = false;
        bool m_opening = false; // a project's dataset is being opened
        QString m_openingPath;
        QTimer* m_autosaveTimer = nullptr;
    };

} // namespace ui
} // namespace msup
