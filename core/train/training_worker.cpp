#include "core/train/training_worker.h"

#include "core/base/error.h"

#include <exception>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace msup {

namespace {
    struct MetaTypes {
        MetaTypes()
        {
            qRegisterMetaType<msup::BatchProgress>();
            qRegisterMetaType<msup::EpochMetrics>();
            qRegisterMetaType<msup::TrainResult>();
        }
    };
} // namespace

TrainingController::TrainingController(QObject* parent)
    : QObject(parent)
{
    static MetaTypes registered;
}

TrainingController::~TrainingController()
{
    stop();
    wait();
}

bool TrainingController::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

bool TrainingController::start(const TrainConfig& config, const QString& resumeCheckpoint)
{
    if (isRunning())
        return false;
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }
    auto session = std::make_shared<TrainingSession>(config);
    if (!resumeCheckpoint.isEmpty())
        session->resumeFrom(resumeCheckpoint);
    m_session = session;
    // The lambda runs on the new thread; it only touches the session (owned jointly) and emits
    // queued signals carrying plain values.
    m_thread = QThread::create([this, session]() {
#ifdef __linux__
        // Linux ignores QThread priorities for normal threads; a higher nice value on this thread
        // (inherited by the compute threads it spawns) keeps the GUI thread first in line.
        setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 8);
#endif
        Q_EMIT started(session->config().outDir);
        try {
            TrainingSession::Callbacks cb;
            cb.status = [this](const QString& s) { Q_EMIT status(s); };
            cb.batch = [this](const BatchProgress& p) { Q_EMIT progress(p); };
            cb.epoch = [this](const EpochMetrics& m) { Q_EMIT epochFinished(m); };
            cb.paused = [this](bool p) { Q_EMIT pausedChanged(p); };
            cb.skipped = [this](const SkippedPair& p) { Q_EMIT pairSkipped(p.file, p.reason); };
            const TrainResult r = session->run(cb);
            Q_EMIT finished(r);
        } catch (const std::exception& e) {
            Q_EMIT failed(QString::fromStdString(e.what()));
        } catch (...) {
            Q_EMIT failed(tr("Training failed with an unknown error."));
        }
    });
    m_thread->setParent(this); // deleted with the controller, after the destructor has joined it
    m_thread->setObjectName(QStringLiteral("masksup-training"));
    m_thread->start(QThread::LowPriority);
    return true;
}

void TrainingController::stop()
{
    if (m_session)
        m_session->requestStop();
}

void TrainingController::pause()
{
    if (m_session && isRunning())
        m_session->pause();
}

void TrainingController::resume()
{
    if (m_session)
        m_session->resume();
}

bool TrainingController::isPaused() const
{
    return m_session && isRunning() && m_session->isPaused();
}

void TrainingController::wait()
{
    if (m_thread)
        m_thread->wait();
}

} // namespace msup
