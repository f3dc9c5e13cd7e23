// The options of 'masksup train' and the TrainConfig they give.
#include "train_flags.h"

#include "core/base/error.h"
#include "core/train/run_folder.h"
#include "core/train/train_settings.h"
#include "core/train/training_session.h"

#include <QFileInfo>

#include <cmath>

namespace msup::cli {

namespace {

    bool given(const CommandLine& c, const char* name)
    {
        return c.isSet(QLatin1String(name));
    }

    // The options that are not settings: where the settings come from, and the run to resume.
    void addSourceOptions(CommandLine& c)
    {
        c.option(QStringLiteral("config"),
            QStringLiteral(
                "Start from a JSON config file (e.g. 'masksup presets quick-cpu > my.json', edited). Its "
                "keys are checked like the flags (types, ranges, caps such as threads 0..%1 and alpha >= "
                "0): a bad key stops with the file and key named (exit 1), a bad flag with the flag (exit "
                "2).")
                .arg(TrainLimits::threadsMax),
            QStringLiteral("FILE"));
        c.option(QStringLiteral("resume"),
            QStringLiteral(
                "Continue the run in RUN_DIR from its checkpoints/last.pt (weights, optimizer, schedule, "
                "batch position and random states); --epochs sets the new total. %1 keeps every "
                "complete line: a last line cut short is dropped (and said), a damaged earlier line stops "
                "the resume with its line number, the file unchanged.")
                .arg(RunFolder::fileName(RunFile::Metrics)),
            QStringLiteral("RUN_DIR"));
        c.option(QStringLiteral("dist"),
            QStringLiteral(
                "Join a distributed run described by the torchrun/Slurm variables (WORLD_SIZE, RANK, "
                "LOCAL_RANK, MASTER_ADDR, MASTER_PORT; or SLURM_NTASKS, SLURM_PROCID, SLURM_LOCALID with "
                "MASTER_ADDR and MASTER_PORT): auto (default) joins when they describe more than one "
                "process, env requires them, off ignores them. Every process gets the same command; rank "
                "0 writes the run folder. README, 'Several processes'."),
            QStringLiteral("auto|env|off"));
    }

    // Two shortcuts that set several settings at once.
    void addShortcutOption(CommandLine& c, const QString& afterKey)
    {
        if (afterKey == QLatin1String("lr_gamma"))
            c.option(QStringLiteral("lr-step"),
                QStringLiteral(
                    "Step schedule in one flag: multiply the learning rate by G every N epochs "
                    "(e.g. 60,0.1); the same as --lr-schedule step --lr-step-epochs N --lr-gamma G."),
                QStringLiteral("N,G"));
        if (afterKey == QLatin1String("alpha_tasksim"))
            c.option(QStringLiteral("alpha"),
                QStringLiteral(
                    "Loss weights a1,a2,a3 of seg, context and task similarity in one flag (each from 0 to "
                    "%1; 0 turns a term off).")
                    .arg(TrainLimits::alphaMax),
                QStringLiteral("A1,A2,A3"));
    }

    // --help of a table row: its help, its range, its default.
    void addSettingOption(CommandLine& c, const TrainSetting& s)
    {
        QString help = s.helpText();
        if (s.type == SettingType::Bool) {
            c.option(s.flag, help);
            c.option(QStringLiteral("no-") + s.flag,
                QStringLiteral("Switch --%1 off (the default: %2).")
                    .arg(s.flag, s.defaultValue().toBool() ? QStringLiteral("on") : QStringLiteral("off")));
            return;
        }
        if (s.type == SettingType::Int)
            help += QStringLiteral(" From %1 to %2.").arg(qlonglong(s.min)).arg(qlonglong(s.max));
        if (s.type == SettingType::Real)
            help += QStringLiteral(" From %1 to %2.").arg(s.min).arg(s.max);
        const QVariant d = s.defaultValue();
        const QString shown = s.type == SettingType::Real ? QString::number(d.toDouble()) : d.toString();
        c.option(s.flag, help, s.valueName, shown);
    }

    // A resumed run keeps everything that defines it; only where and how fast it runs may change.
    void rejectFixedFlagsOnResume(const CommandLine& c)
    {
        QStringList fixed { QStringLiteral("config"), QStringLiteral("lr-step"), QStringLiteral("alpha") };
        QStringList allowed;
        for (const TrainSetting& s : trainSettings()) {
            if (s.resumable)
                allowed << QStringLiteral("--") + s.flag;
            else
                fixed << s.flag;
            if (!s.resumable && s.type == SettingType::Bool)
                fixed << QStringLiteral("no-") + s.flag;
        }
        for (const QString& f : fixed) {
            if (c.isSet(f))
                throw UsageError { QStringLiteral(
                    "train: --%1 cannot be changed when resuming (the run keeps its settings); only %2 "
                    "and %3 can")
                                       .arg(f, allowed.mid(0, allowed.size() - 1).join(QStringLiteral(", ")),
                                           allowed.last()) };
        }
    }

    // The value of one row's flag (range-checked like the config file's key), when given.
    void applySettingFlag(const CommandLine& c, const TrainSetting& s, TrainConfig& cfg)
    {
        const QString no = QStringLiteral("no-") + s.flag;
        if (s.type == SettingType::Bool) {
            if (c.isSet(s.flag) && c.isSet(no))
                throw UsageError { QStringLiteral("train: give --%1 or --%2, not both").arg(s.flag, no) };
            if (c.isSet(s.flag) || c.isSet(no))
                s.setValue(cfg, c.isSet(s.flag));
            return;
        }
        if (!c.isSet(s.flag))
            return;
        const QString text = c.value(s.flag);
        switch (s.type) {
        case SettingType::Int:
            s.setValue(cfg, c.integer(s.flag, int(s.min), int(s.max)));
            break;
        case SettingType::Real:
            s.setValue(cfg, c.real(s.flag, s.min, s.max));
            break;
        case SettingType::Seed:
            s.setValue(cfg, qulonglong(c.seed(s.flag)));
            break;
        case SettingType::Choice:
            if (!s.choices.contains(text) && !s.legacyChoices.contains(text))
                throw UsageError {
                    QStringLiteral("train: --%1 must be %2, got '%3'%4")
                        .arg(s.flag, s.choicesText(), text,
                            s.choiceNote.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(s.choiceNote))
                };
            s.setValue(cfg, text);
            break;
        default:
            s.setValue(cfg, s.absolutePath ? QFileInfo(text).absoluteFilePath() : text);
        }
        try {
            s.validate(cfg);
        } catch (const Error& e) {
            throw UsageError { QStringLiteral("train: ") + QString::fromStdString(e.what()) };
        }
    }

    void applyStepFlag(const CommandLine& c, TrainConfig& cfg)
    {
        if (given(c, "lr-step")) {
            const QStringList step = c.value(QStringLiteral("lr-step")).split(QLatin1Char(','));
            bool okN = false, okG = false;
            if (step.size() == 2) {
                cfg.lrStepEpochs = step[0].toInt(&okN);
                cfg.lrGamma = step[1].toDouble(&okG);
            }
            if (!(okN && okG))
                throw UsageError { QStringLiteral("train: --lr-step expects N,G like 60,0.1") };
            cfg.lrSchedule = QStringLiteral("step");
        }
    }

    void applyLossWeightFlag(const CommandLine& c, TrainConfig& cfg)
    {
        if (given(c, "alpha")) {
            const QStringList alpha = c.value(QStringLiteral("alpha")).split(QLatin1Char(','));
            bool ok1 = false, ok2 = false, ok3 = false;
            if (alpha.size() == 3) {
                cfg.alphaSeg = alpha[0].toDouble(&ok1);
                cfg.alphaContext = alpha[1].toDouble(&ok2);
                cfg.alphaTasksim = alpha[2].toDouble(&ok3);
            }
            const auto inRange = [](double a) {
                return std::isfinite(a) && a >= TrainLimits::alphaMin && a <= TrainLimits::alphaMax;
            };
            if (!(ok1 && ok2 && ok3) || !inRange(cfg.alphaSeg) || !inRange(cfg.alphaContext)
                || !inRange(cfg.alphaTasksim))
                throw UsageError { QStringLiteral(
                    "train: --alpha expects three numbers from %1 to %2 like 1,1,1, got '%3'")
                                       .arg(TrainLimits::alphaMin)
                                       .arg(TrainLimits::alphaMax)
                                       .arg(c.value(QStringLiteral("alpha"))) };
        }
    }

    // A new run: the defaults, then --preset, then --config FILE, then the flags given.
    TrainConfig newRunConfig(const CommandLine& c)
    {
        TrainConfig cfg;
        if (given(c, "preset")) {
            try {
                cfg = applyTrainPreset(c.value(QStringLiteral("preset")), cfg);
            } catch (const Error& e) {
                throw UsageError { QStringLiteral("train: ") + QString::fromStdString(e.what()) };
            }
        }
        if (given(c, "config"))
            cfg = TrainConfig::fromFile(c.value(QStringLiteral("config")), cfg);
        // --preset is applied above (its keys, not only its name); the runtime flags in trainSetupFromFlags.
        for (const TrainSetting& s : trainSettings())
            if (!s.resumable && s.key != QLatin1String("preset"))
                applySettingFlag(c, s, cfg);
        if (cfg.datasetPath.isEmpty())
            cfg.datasetPath = c.required(QStringLiteral("dataset"));
        if (cfg.outDir.isEmpty())
            cfg.outDir = c.required(QStringLiteral("out"));
        applyStepFlag(c, cfg);
        applyLossWeightFlag(c, cfg);
        return cfg;
    }

} // namespace

void addTrainOptions(CommandLine& c)
{
    for (const TrainSetting& s : trainSettings()) {
        addSettingOption(c, s);
        if (s.key == QLatin1String("preset"))
            addSourceOptions(c);
        addShortcutOption(c, s.key);
    }
}

TrainSetup trainSetupFromFlags(const CommandLine& c)
{
    TrainSetup setup;
    if (given(c, "resume")) {
        rejectFixedFlagsOnResume(c);
        const QString runDir = c.value(QStringLiteral("resume"));
        setup.config = TrainingSession::configForResume(runDir);
        setup.resumeCheckpoint = TrainingSession::lastCheckpointOf(runDir);
    } else {
        setup.config = newRunConfig(c);
    }
    // What may change between a run and its resumption: the length, the device and the resources.
    for (const TrainSetting& s : trainSettings())
        if (s.resumable)
            applySettingFlag(c, s, setup.config);
    try {
        setup.config.validate();
    } catch (const Error& e) {
        throw UsageError { QStringLiteral("train: ") + QString::fromStdString(e.what()) };
    }
    return setup;
}

} // namespace msup::cli
