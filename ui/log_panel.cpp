#include "ui/log_panel.h"

#include "core/io/atomic_file.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <mutex>

namespace msup {
namespace ui {

    namespace {
        constexpr qint64 kMaxLogFileBytes = 2 * 1024 * 1024;
        constexpr int kMaxShownBlocks = 20000;

        // The panel receiving Qt's messages, guarded: messages come from any thread.
        std::mutex g_handlerMutex;
        LogPanel* g_handlerPanel = nullptr;
        QtMessageHandler g_previousHandler = nullptr;

        void routeMessage(QtMsgType type, const QMessageLogContext& context, const QString& message)
        {
            if (g_previousHandler)
                g_previousHandler(type, context, message);
            // Debug output and Qt's own platform chatter (e.g. the offscreen plugin's "does not
            // support propagateSizeHints()") are left to the terminal.
            if (type == QtDebugMsg
                || (context.category && QByteArray(context.category).startsWith("qt.") && type == QtInfoMsg)
                || message.startsWith(QLatin1String("This plugin does not support")))
                return;
            const LogPanel::Level level = type == QtInfoMsg
                ? LogPanel::Level::Info
                : (type == QtWarningMsg ? LogPanel::Level::Warning : LogPanel::Level::Error);
            std::lock_guard<std::mutex> lock(g_handlerMutex);
            if (LogPanel* panel = g_handlerPanel)
                QMetaObject::invokeMethod(
                    panel, [panel, level, message] { panel->append(level, message); }, Qt::QueuedConnection);
        }

        QString levelName(LogPanel::Level level)
        {
            switch (level) {
            case LogPanel::Level::Warning:
                return QStringLiteral("warning");
            case LogPanel::Level::Error:
                return QStringLiteral("error");
            case LogPanel::Level::Info:
                break;
            }
            return QStringLiteral("info");
        }
    } // namespace

    LogPanel::LogPanel(QWidget* parent)
        : QWidget(parent)
    {
        auto* layout = new QVBoxLayout(this);
        auto* bar = new QHBoxLayout;
        auto* showLabel = new QLabel(tr("&Show:"), this);
        m_levelCombo = new QComboBox(this);
        m_levelCombo->setObjectName(QStringLiteral("logLevelCombo"));
        m_levelCombo->addItem(tr("Everything"), int(Level::Info));
        m_levelCombo->addItem(tr("Warnings and errors"), int(Level::Warning));
        m_levelCombo->addItem(tr("Errors only"), int(Level::Error));
        m_levelCombo->setToolTip(tr("Which messages the panel shows (the log file keeps them all)"));
        showLabel->setBuddy(m_levelCombo);
        connect(m_levelCombo, &QComboBox::currentIndexChanged, this,
            [this](int) { setMinimumLevel(Level(m_levelCombo->currentData().toInt())); });
        m_clearButton = new QPushButton(tr("C&lear"), this);
        m_clearButton->setToolTip(tr("Empty the panel (the log file is kept)"));
        connect(m_clearButton, &QPushButton::clicked, this, &LogPanel::clear);
        m_saveButton = new QPushButton(tr("Sa&ve log…"), this);
        m_saveButton->setToolTip(tr("Write every message of this session to a text file"));
        connect(m_saveButton, &QPushButton::clicked, this, &LogPanel::saveAs);
        bar->addWidget(showLabel);
        bar->addWidget(m_levelCombo);
        bar->addStretch(1);
        bar->addWidget(m_clearButton);
        bar->addWidget(m_saveButton);
        layout->addLayout(bar);

        m_view = new QPlainTextEdit(this);
        m_view->setObjectName(QStringLiteral("logView"));
        m_view->setReadOnly(true);
        m_view->setMaximumBlockCount(kMaxShownBlocks);
        m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
        m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_view->setAccessibleName(tr("Log messages"));
        layout->addWidget(m_view, 1);
    }

    LogPanel::~LogPanel()
    {
        if (m_handlerInstalled) {
            std::lock_guard<std::mutex> lock(g_handlerMutex);
            if (g_handlerPanel == this) {
                g_handlerPanel = nullptr;
                qInstallMessageHandler(g_previousHandler);
                g_previousHandler = nullptr;
            }
        }
    }

    void LogPanel::installMessageHandler()
    {
        std::lock_guard<std::mutex> lock(g_handlerMutex);
        if (g_handlerPanel == this)
            return;
        if (!g_handlerPanel)
            g_previousHandler = qInstallMessageHandler(routeMessage);
        g_handlerPanel = this;
        m_handlerInstalled = true;
    }

    void LogPanel::setLogFile(const QString& path)
    {
        m_logFile = path;
        if (!path.isEmpty())
            QDir().mkpath(QFileInfo(path).absolutePath());
    }

    void LogPanel::setMinimumLevel(Level level)
    {
        if (m_minimum == level)
            return;
        m_minimum = level;
        const int index = m_levelCombo->findData(int(level));
        if (index >= 0 && index != m_levelCombo->currentIndex())
            m_levelCombo->setCurrentIndex(index);
        rebuildView();
    }

    QString LogPanel::format(const Entry& e) const
    {
        const QString time = e.time.toString(QStringLiteral("HH:mm:ss"));
        switch (e.level) {
        case Level::Warning:
            return tr("%1  warning: %2").arg(time, e.text);
        case Level::Error:
            return tr("%1  error: %2").arg(time, e.text);
        case Level::Info:
            break;
        }
        return QStringLiteral("%1  %2").arg(time, e.text);
    }

    void LogPanel::append(Level level, const QString& text)
    {
        Entry e { QDateTime::currentDateTime(), level, text.trimmed() };
        m_entries.append(e);
        if (m_entries.size() > 2 * kMaxShownBlocks)
            m_entries.remove(0, m_entries.size() - kMaxShownBlocks);
        if (level >= m_minimum)
            m_view->appendPlainText(format(e));
        appendToFile(e.time.toString(Qt::ISODate) + QLatin1Char(' ') + levelName(level) + QLatin1Char(' ')
            + e.text + QLatin1Char('\n'));
        if (level != Level::Info)
            Q_EMIT attentionNeeded(level);
    }

    void LogPanel::appendToFile(const QString& line)
    {
        if (m_logFile.isEmpty())
            return;
        QFile file(m_logFile);
        if (file.size() > kMaxLogFileBytes) {
            const QString old = m_logFile + QStringLiteral(".1");
            QFile::remove(old);
            QFile::rename(m_logFile, old);
        }
        // Appended and flushed line by line: the file holds every message up to a crash.
        if (file.open(QIODevice::Append | QIODevice::Text)) {
            file.write(line.toUtf8());
            file.flush();
        }
    }

    void LogPanel::rebuildView()
    {
        QStringList lines;
        for (const Entry& e : m_entries)
            if (e.level >= m_minimum)
                lines << format(e);
        m_view->setPlainText(lines.join(QLatin1Char('\n')));
        m_view->moveCursor(QTextCursor::End);
    }

    QString LogPanel::visibleText() const
    {
        return m_view->toPlainText();
    }

    void LogPanel::clear()
    {
        m_entries.clear();
        m_view->clear();
    }

    bool LogPanel::saveTo(const QString& path, QString* error) const
    {
        QByteArray bytes;
        for (const Entry& e : m_entries)
            bytes += (e.time.toString(Qt::ISODate) + QLatin1Char(' ') + levelName(e.level) + QLatin1Char(' ')
                + e.text + QLatin1Char('\n'))
                         .toUtf8();
        try {
            writeFileAtomic(path, bytes);
            return true;
        } catch (const std::exception& e) {
            if (error)
                *error = QString::fromStdString(e.what());
            return false;
        }
    }

    void LogPanel::saveAs()
    {
        const QString start = QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                                  .filePath(QStringLiteral("masksup-studio.log"));
        const QString path
            = QFileDialog::getSaveFileName(this, tr("Save log"), start, tr("Text files (*.log *.txt)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!saveTo(path, &error))
            QMessageBox::warning(this, tr("Save log"), error);
    }

} // namespace ui
} // namespace msup
