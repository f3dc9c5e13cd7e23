#pragma once

#include <QDateTime>
#include <QString>
#include <QVector>
#include <QWidget>

class QComboBox;
class QPlainTextEdit;
class QPushButton;

namespace msup {
namespace ui {

    // The Log panel: what the studio did and what went wrong, newest last (dataset opened, runs
    // started and finished with their folders, epochs, exports, warnings from Qt and the engine).
    // Every entry is also appended to a log file (<AppDataLocation>/logs/studio.log, kept below
    // 2 MB by rotating to studio.log.1), so a message survives a crash of the window.
    class LogPanel : public QWidget {
        Q_OBJECT
    public:
        enum class Level { Info, Warning, Error };
        Q_ENUM(Level)

        struct Entry {
            QDateTime time;
            Level level = Level::Info;
            QString text;
        };

        explicit LogPanel(QWidget* parent = nullptr);
        ~LogPanel() override;

        // The log file ("" = none). Set by the main window; tests use a temporary folder.
        void setLogFile(const QString& path);
        QString logFile() const { return m_logFile; }

        const QVector<Entry>& entries() const { return m_entries; }
        // The lowest level shown (entries below it are kept, only hidden).
        Level minimumLevel() const { return m_minimum; }
        void setMinimumLevel(Level level);
        // The text shown, one line per visible entry.
        QString visibleText() const;

        // Routes qWarning/qCritical/qInfo messages of every thread to this panel (queued to its
        // thread), after the previous handler. Uninstalled when the panel is destroyed.
        void installMessageHandler();

    public Q_SLOTS:
        void append(msup::ui::LogPanel::Level level, const QString& text);
        void info(const QString& text) { append(Level::Info, text); }
        void warning(const QString& text) { append(Level::Warning, text); }
        void error(const QString& text) { append(Level::Error, text); }
        void clear();
        // Asks for a file and writes every entry (shown or not) as text.
        void saveAs();
        // Writes the log (checked, atomic); false with *error (file, reason, free space) on failure.
        bool saveTo(const QString& path, QString* error = nullptr) const;

    Q_SIGNALS:
        // An error or a warning arrived (the main window shows a mark on the panel's tab).
        void attentionNeeded(msup::ui::LogPanel::Level level);

    private:
        void rebuildView();
        QString format(const Entry& entry) const;
        void appendToFile(const QString& line);

        QVector<Entry> m_entries;
        Level m_minimum = Level::Info;
        QString m_logFile;
        bool m_handlerInstalled = false;
        QPlainTextEdit* m_view = nullptr;
        QComboBox* m_levelCombo = nullptr;
        QPushButton* m_clearButton = nullptr;
        QPushButton* m_saveButton = nullptr;
    };

} // namespace ui
} // namespace msup
