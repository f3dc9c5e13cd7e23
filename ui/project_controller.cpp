#include "ui/project_controller.h"

#include <QAbstractButton>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QWidget>

namespace msup {
namespace ui {

    namespace {

        const QString kLastDatasetKey = QStringLiteral("dataset/last");
        const QString kRecentProjectsKey = QStringLiteral("project/recent");
        const QString kRecentDatasetsKey = QStringLiteral("dataset/recent");
        const QString kLastProjectKey = QStringLiteral("project/last");
        const QString kCleanExitKey = QStringLiteral("project/cleanExit");
        const QString kLanguageKey = QStringLiteral("ui/language");

        QString recentKey(ProjectController::Recent list)
        {
            return list == ProjectController::Recent::Projects ? kRecentProjectsKey : kRecentDatasetsKey;
        }

    } // namespace

    ProjectController::ProjectController(QWidget* window)
        : QObject(window)
        , m_window(window)
    {
    }

    ProjectController::~ProjectController() = default;

    void ProjectController::setCapture(std::function<void(msup::Project&)> capture)
    {
        m_capture = std::move(capture);
    }

    void ProjectController::setSuggestedFile(std::function<QString()> suggestedFile)
    {
        m_suggestedFile = std::move(suggestedFile);
    }

    void ProjectController::start()
    {
        if (!m_autosaveTimer) {
            m_autosaveTimer = new QTimer(this);
            m_autosaveTimer->setInterval(kAutosaveIntervalMs);
            connect(m_autosaveTimer, &QTimer::timeout, this, [this] { autosaveNow(); });
        }
        m_autosaveTimer->start();
        markClean();
    }

    // ---- State --------------------------------------------------------------------------------

    msup::Project ProjectController::currentProject() const
    {
        msup::Project p = m_project;
        p.version = msup::Project::kFormatVersion;
        p.datasetPath = m_datasetPath;
        p.datasetFormat = m_datasetFormat;
        p.runFolders = m_runFolders;
        if (m_capture)
            m_capture(p);
        return p;
    }

    bool ProjectController::isModified()
    {
        if (m_opening)
            return m_modified; // compared once the project's dataset is open
        msup::Project p = currentProject();
        p.view = QJsonObject();
        const bool modified = m_forceModified || p.toJson() != m_cleanState;
        if (modified != m_modified) {
            m_modified = modified;
            Q_EMIT titleChanged();
        }
        return modified;
    }

    void ProjectController::scheduleModifiedCheck()
    {
        if (m_modifiedCheckPending)
            return;
        m_modifiedCheckPending = true;
        QTimer::singleShot(0, this, [this] {
            m_modifiedCheckPending = false;
            isModified();
        });
    }

    void ProjectController::markClean()
    {
        msup::Project p = currentProject();
        m_cleanFull = p.toJson();
        p.view = QJsonObject();
        m_cleanState = p.toJson();
        m_forceModified = false;
        m_modified = false;
        Q_EMIT titleChanged();
    }

    void ProjectController::addRunFolder(const QString& folder)
    {
        if (!folder.isEmpty() && !m_runFolders.contains(folder))
            m_runFolders << folder;
    }

    void ProjectController::datasetOpened(
        const QString& openedPath, const QString& root, const QString& formatSpec)
    {
        QSettings().setValue(kLastDatasetKey, root);
        // The project names what the user opened: the folder, or NYUDv2's .mat file itself.
        m_datasetPath = QFileInfo(openedPath).isFile() ? openedPath : root;
        m_datasetFormat = formatSpec.isEmpty() ? QStringLiteral("auto") : formatSpec;
        addRecent(Recent::Datasets, m_datasetPath);
        if (m_opening) {
            Q_EMIT projectDatasetReady(m_project);
            finishOpen();
        } else if (m_baselineOnOpen) {
            m_baselineOnOpen = false;
            markClean();
        } else {
            scheduleModifiedCheck();
        }
    }

    void ProjectController::datasetOpenFailed()
    {
        m_baselineOnOpen = false;
        if (m_opening)
            finishOpen();
    }

    // ---- Lifecycle ----------------------------------------------------------------------------

    bool ProjectController::newProject()
    {
        if (!maybeSave(false))
            return false;
        m_project = msup::Project();
        m_projectPath.clear();
        m_runFolders.clear();
        Q_EMIT projectCleared();
        QSettings().remove(kLastProjectKey);
        markClean();
        Q_EMIT statusMessage(tr("New untitled project"), 5000);
        return true;
    }

    bool ProjectController::open(const QString& path)
    {
        if (!maybeSave(false))
            return false;
        return load(path, false);
    }

    void ProjectController::chooseAndOpen()
    {
        QString start = m_projectPath.isEmpty() ? QString() : QFileInfo(m_projectPath).absolutePath();
        if (start.isEmpty() && !recent(Recent::Projects).isEmpty())
            start = QFileInfo(recent(Recent::Projects).constFirst()).absolutePath();
        if (start.isEmpty())
            start = QDir::homePath();
        const QString file = QFileDialog::getOpenFileName(
            m_window, tr("Open project"), start, tr("MaskSup Studio projects (*.masksup);;All files (*)"));
        if (!file.isEmpty())
            open(file);
    }

    bool ProjectController::load(const QString& path, bool asUntitled)
    {
        msup::Project project;
        try {
            project = msup::loadProject(path);
        } catch (const std::exception& e) {
            const QString message = QString::fromLocal8Bit(e.what());
            if (!QFileInfo::exists(path)) {
                QStringList projects = recent(Recent::Projects);
                if (projects.removeAll(QFileInfo(path).absoluteFilePath()) > 0) {
                    QSettings().setValue(kRecentProjectsKey, projects);
                    Q_EMIT recentProjectsChanged();
                }
            }
            Q_EMIT errorOccurred(tr("Open project"),
                tr("“%1” could not be opened as a project.").arg(QDir::toNativeSeparators(path)), message);
            Q_EMIT projectOpenFailed(path, message);
            return false;
        }

        m_project = project;
        m_projectPath = asUntitled ? QString() : QFileInfo(path).absoluteFilePath();
        m_openingPath = path;
        m_runFolders = project.runFolders;
        m_baselineOnOpen = false;
        Q_EMIT projectLoaded(project, path);
        if (!asUntitled) {
            addRecent(Recent::Projects, m_projectPath);
            QSettings().setValue(kLastProjectKey, m_projectPath);
        }
        m_forceModified = asUntitled;
        if (project.datasetPath.isEmpty()) {
            finishOpen();
            return true;
        }
        m_datasetPath = project.datasetPath;
        m_datasetFormat = project.datasetFormat;
        m_opening = true;
        Q_EMIT titleChanged();
        Q_EMIT datasetRequested(project.datasetPath, project.datasetFormat);
        return true;
    }

    void ProjectController::finishOpen()
    {
        m_opening = false;
        const bool forced = m_forceModified;
        markClean();
        if (forced) {
            // A restored autosave stays modified until it is saved somewhere.
            m_forceModified = true;
            isModified();
        }
        Q_EMIT statusMessage(tr("Opened project %1").arg(QDir::toNativeSeparators(m_openingPath)), 5000);
        Q_EMIT projectOpened(m_openingPath);
    }

    bool ProjectController::saveTo(const QString& path)
    {
        QString file = QFileInfo(path).absoluteFilePath();
        if (QFileInfo(file).suffix().isEmpty())
            file += QLatin1Char('.') + msup::projectFileSuffix();
        Q_EMIT aboutToSave(); // the mask being edited is saved with the project
        const msup::Project project = currentProject();
        try {
            msup::saveProject(file, project);
        } catch (const std::exception& e) {
            Q_EMIT errorOccurred(tr("Save project"),
                tr("The project could not be saved to “%1”.").arg(QDir::toNativeSeparators(file)),
                QString::fromLocal8Bit(e.what()));
            return false;
        }
        m_project = project;
        m_projectPath = file;
        markClean();
        addRecent(Recent::Projects, file);
        QSettings().setValue(kLastProjectKey, file);
        // The untitled work kept for a crash is in a real file now.
        QFile::remove(autosavePath());
        Q_EMIT statusMessage(tr("Saved project %1").arg(QDir::toNativeSeparators(file)), 5000);
        Q_EMIT projectSaved(file);
        return true;
    }

    bool ProjectController::save()
    {
        if (m_projectPath.isEmpty())
            return saveAs();
        return saveTo(m_projectPath);
    }

    bool ProjectController::saveAs()
    {
        QString start = m_projectPath;
        if (start.isEmpty()) {
            const QString suggested
                = m_suggestedFile ? m_suggestedFile() : QDir(QDir::homePath()).filePath(tr("project"));
            start = suggested + QLatin1Char('.') + msup::projectFileSuffix();
        }
        const QString file = QFileDialog::getSaveFileName(
            m_window, tr("Save project"), start, tr("MaskSup Studio projects (*.masksup)"));
        if (file.isEmpty())
            return false;
        return saveTo(file);
    }

    bool ProjectController::maybeSave(bool closing)
    {
        if (m_opening)
            return true;
        if (!isModified()) {
            // View settings of a project with a file are saved without asking.
            if (!m_projectPath.isEmpty() && currentProject().toJson() != m_cleanFull)
                saveTo(m_projectPath);
            return true;
        }
        if (!m_projectPath.isEmpty()) {
            if (saveTo(m_projectPath))
                return true;
            const auto answer = QMessageBox::warning(m_window, tr("Save project"),
                tr("The project could not be saved. Discard its changes?"),
                QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
            return answer == QMessageBox::Discard;
        }
        QMessageBox box(QMessageBox::Question, tr("Unsaved project"),
            closing ? tr("Save the untitled project before closing?")
                    : tr("Save the untitled project first?"),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, m_window);
        box.setObjectName(QStringLiteral("saveProjectQuestion"));
        box.setInformativeText(
            tr("The project file holds the dataset choice, the training settings and the list of runs "
               "started from this window. Without saving, that list and the settings are lost; the run "
               "folders themselves (checkpoints, metrics) stay on disk and can be opened again."));
        box.setDefaultButton(QMessageBox::Save);
        switch (box.exec()) {
        case QMessageBox::Save:
            return saveAs();
        case QMessageBox::Discard:
            QFile::remove(autosavePath());
            return true;
        default:
            return false;
        }
    }

    bool ProjectController::close()
    {
        if (!maybeSave(true))
            return false;
        QSettings settings;
        settings.setValue(kLastProjectKey, m_projectPath);
        settings.setValue(kCleanExitKey, true);
        QFile::remove(autosavePath());
        return true;
    }

    // ---- Autosave and start-up ----------------------------------------------------------------

    bool ProjectController::autosaveNow()
    {
        if (m_opening)
            return false;
        const bool modified = isModified();
        const msup::Project project = currentProject();
        const bool titled = !m_projectPath.isEmpty();
        if (titled ? (!modified && project.toJson() == m_cleanFull) : !modified)
            return false;
        const QString file = titled ? m_projectPath : autosavePath();
        try {
            msup::saveProject(file, project);
        } catch (const std::exception& e) {
            Q_EMIT statusMessage(tr("Autosave failed: %1").arg(QString::fromLocal8Bit(e.what())), 10000);
            return false;
        }
        if (titled) {
            m_project = project;
            markClean();
        }
        Q_EMIT statusMessage(tr("Autosaved to %1").arg(QDir::toNativeSeparators(file)), 3000);
        return true;
    }

    QString ProjectController::autosavePath()
    {
        return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
            .filePath(QStringLiteral("autosave.") + msup::projectFileSuffix());
    }

    void ProjectController::beginSession()
    {
        // The flag is set back to true when the window closes normally.
        QSettings settings;
        const bool cleanExit = settings.value(kCleanExitKey, true).toBool();
        settings.setValue(kCleanExitKey, false);
        if (!cleanExit && QFileInfo::exists(autosavePath()))
            QTimer::singleShot(0, this, &ProjectController::offerAutosaveRestore);
    }

    bool ProjectController::openLastProject()
    {
        const QString lastProject = QSettings().value(kLastProjectKey).toString();
        if (lastProject.isEmpty())
            return false;
        if (QFileInfo(lastProject).isFile())
            return load(lastProject, false);
        Q_EMIT statusMessage(
            tr("The last project (%1) is no longer there.").arg(QDir::toNativeSeparators(lastProject)),
            10000);
        return false;
    }

    void ProjectController::offerAutosaveRestore()
    {
        const QString file = autosavePath();
        if (!QFileInfo::exists(file))
            return;
        auto* box = new QMessageBox(QMessageBox::Question, tr("Restore project"),
            tr("MaskSup Studio did not close normally last time. Restore the untitled project it "
               "kept?"),
            QMessageBox::NoButton, m_window);
        box->setObjectName(QStringLiteral("restoreAutosaveQuestion"));
        box->setInformativeText(
            tr("Autosaved %1 in %2.")
                .arg(QLocale().toString(QFileInfo(file).lastModified(), QLocale::ShortFormat),
                    QDir::toNativeSeparators(file)));
        QPushButton* restore = box->addButton(tr("&Restore"), QMessageBox::AcceptRole);
        box->addButton(QMessageBox::Discard);
        box->setDefaultButton(restore);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::buttonClicked, this, [this, restore, file](QAbstractButton* button) {
            if (button == restore) {
                if (maybeSave(false))
                    load(file, true);
            } else {
                QFile::remove(file);
            }
        });
        box->open();
    }

    // ---- Recent lists and settings ------------------------------------------------------------

    QStringList ProjectController::recent(Recent list)
    {
        return QSettings().value(recentKey(list)).toStringList();
    }

    void ProjectController::addRecent(Recent list, const QString& path)
    {
        const QString file = QFileInfo(path).absoluteFilePath();
        QStringList entries = recent(list);
        entries.removeAll(file);
        entries.prepend(file);
        while (entries.size() > kMaxRecent)
            entries.removeLast();
        QSettings().setValue(recentKey(list), entries);
    }

    void ProjectController::clearRecent(Recent list)
    {
        QSettings().remove(recentKey(list));
    }

    QStringList ProjectController::pruneRecent(Recent list)
    {
        // Entries that no longer exist (a deleted project, a moved dataset) leave the list.
        QStringList entries = recent(list);
        QStringList missing;
        for (const QString& path : entries)
            if (!QFileInfo::exists(path))
                missing << path;
        if (missing.isEmpty())
            return entries;
        for (const QString& path : missing)
            entries.removeAll(path);
        QSettings().setValue(recentKey(list), entries);
        QStringList shown;
        for (const QString& path : missing)
            shown << QDir::toNativeSeparators(path);
        Q_EMIT statusMessage(tr("Removed %n entry(ies) that no longer exist from the recent list: %1",
                                 nullptr, int(missing.size()))
                                 .arg(shown.join(QStringLiteral(", "))),
            10000);
        return entries;
    }

    QString ProjectController::lastDataset()
    {
        return QSettings().value(kLastDatasetKey).toString();
    }

    QString ProjectController::languageSetting()
    {
        return QSettings().value(kLanguageKey).toString();
    }

    void ProjectController::setLanguageSetting(const QString& language)
    {
        QSettings().setValue(kLanguageKey, language);
    }

    WindowSettings ProjectController::readWindowSettings(const std::function<void(const QSettings&)>& panels)
    {
        QSettings settings;
        WindowSettings w;
        w.geometry = settings.value(QStringLiteral("window/geometry")).toByteArray();
        w.state = settings.value(QStringLiteral("window/state")).toByteArray();
        w.tab = settings.value(QStringLiteral("window/tab"), 0).toInt();
        w.labelOpacity = settings.value(QStringLiteral("view/labelOpacity"), 0.5).toDouble();
        w.labelOutline = settings.value(QStringLiteral("view/labelOutline"), false).toBool();
        w.predictionOpacity = settings.value(QStringLiteral("view/predictionOpacity"), 0.5).toDouble();
        if (panels)
            panels(settings);
        return w;
    }

    void ProjectController::writeWindowSettings(
        const WindowSettings& w, const std::function<void(QSettings&)>& panels)
    {
        QSettings settings;
        settings.setValue(QStringLiteral("window/geometry"), w.geometry);
        settings.setValue(QStringLiteral("window/state"), w.state);
        settings.setValue(QStringLiteral("window/tab"), w.tab);
        settings.setValue(QStringLiteral("view/labelOpacity"), w.labelOpacity);
        settings.setValue(QStringLiteral("view/labelOutline"), w.labelOutline);
        settings.setValue(QStringLiteral("view/predictionOpacity"), w.predictionOpacity);
        if (panels)
            panels(settings);
    }

} // namespace ui
} // namespace msup
