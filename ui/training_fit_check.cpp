// Before Start: will this setup fit the machine? A one-batch probe times heavy CPU setups and the
// panel asks before starting a run that would take hours per epoch or does not fit at all.
#include "ui/training_panel.h"

#include "core/train/speed_probe.h"
#include "ui/job_runner.h"

#include <QLabel>
#include <QMessageBox>
#include <QPushButton>

#include <algorithm>
#include <cmath>

namespace msup::ui {

namespace {

    bool runsOnCpu(const msup::TrainConfig& c)
    {
        return c.device == QLatin1String("cpu")
            || (c.device == QLatin1String("auto") && !msup::TrainingSession::cudaAvailable());
    }

    // The models' relative cost per image at 224² (a step of LeViT-UNet-384 takes about four times a
    // U-Net w16's); U-Nets grow with the square of their width.
    double modelCost(const msup::TrainConfig& c)
    {
        if (c.model == QLatin1String("levit384"))
            return 4;
        if (c.model == QLatin1String("levit192"))
            return 1.5;
        if (c.model == QLatin1String("levit128s"))
            return 1;
        const double w = c.width / 16.0;
        return (c.model == QLatin1String("unetpp") ? 2.5 : 1.0) * w * w;
    }

} // namespace

double TrainingPanel::setupCost(const msup::TrainConfig& c)
{
    const double side = c.imageSize / 224.0;
    return c.batchSize * side * side * modelCost(c);
}

void TrainingPanel::setFitCheck(double minCost, double warnSecondsPerEpoch)
{
    m_fitMinCost = minCost;
    m_fitWarnSeconds = warnSecondsPerEpoch;
}

bool TrainingPanel::isProbingFit() const
{
    return m_fitRunner && m_fitRunner->isRunning();
}

bool TrainingPanel::probeFitThenBegin(const msup::TrainConfig& cfg)
{
    if (!runsOnCpu(cfg) || setupCost(cfg) < m_fitMinCost)
        return beginRun(cfg, QString());
    m_fitConfig = cfg;
    const int samples = std::max(m_datasetSamples, 1);
    const int trainImages = std::max(1, int(std::lround(samples * (1.0 - cfg.valFraction))));
    m_statusLabel->setText(tr("Timing one batch of this setup before starting…"));
    disconnect(m_fitRunner, &JobRunner::failed, this, nullptr);
    connect(m_fitRunner, &JobRunner::failed, this, [this](const QString& message) {
        setState(m_state);
        askFit(tr("One batch of %1 images at %2 px could not be trained here: %3")
                   .arg(m_fitConfig.batchSize)
                   .arg(m_fitConfig.imageSize)
                   .arg(message));
    });
    m_fitRunner->start<msup::SpeedEstimate>(
        [cfg, trainImages](msup::Progress& p) { return msup::probeTrainingSpeed(cfg, trainImages, p); },
        [this](const msup::SpeedEstimate& e) {
            setState(m_state);
            const QString estimate
                = tr("One batch of %1 images at %2 px takes %3 on %4: about %5 per epoch (%n batch(es)), %6 "
                     "for the whole run.",
                    nullptr, e.batchesPerEpoch)
                      .arg(m_fitConfig.batchSize)
                      .arg(m_fitConfig.imageSize)
                      .arg(formatDuration(e.secondsPerBatch), e.device, formatDuration(e.secondsPerEpoch),
                          formatDuration(e.secondsPerEpoch * m_fitConfig.epochs));
            if (e.secondsPerEpoch <= m_fitWarnSeconds) {
                m_statusLabel->setText(estimate);
                beginRun(m_fitConfig, QString());
                return;
            }
            askFit(estimate);
        });
    setState(m_state); // Start waits for the probe
    return true;
}

void TrainingPanel::askFit(const QString& estimate)
{
    auto* box
        = new QMessageBox(QMessageBox::Warning, tr("Start this run?"), estimate, QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("fitQuestion"));
    box->setInformativeText(tr("A smaller model, batch or image size (the quick-cpu preset), or a GPU, "
                               "makes it practical."));
    QPushButton* start = box->addButton(tr("Start anyway"), QMessageBox::AcceptRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, start] {
        if (box->clickedButton() == start)
            beginRun(m_fitConfig, QString());
        else
            m_statusLabel->setText(tr("Not started: %1").arg(box->text()));
    });
    m_fitQuestion = box;
    box->open();
}

} // namespace msup::ui
