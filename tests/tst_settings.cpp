// The training settings table (core/train/train_settings.h) and everything generated from it: a CLI
// flag, a JSON key and a GUI field for every row (iterating the table, so that a new row is checked
// without touching this file), presets in the GUI, Save/Load config, QSettings, project files and the
// Masks panel's hole ratio and mask folder, which are training's.
#include "app/cli/train_flags.h"
#include "core/base/error.h"
#include "core/data/synth.h"
#include "core/train/train_settings.h"
#include "ui/main_window.h"
#include "ui/mask_panel.h"
#include "ui/settings_form.h"
#include "ui/training_panel.h"

#include "tests/support/files.h"
#include "tests/support/fixtures.h"
#include "tests/support/process.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

using msup::SettingGroup;
using msup::SettingType;
using msup::TrainConfig;
using msup::TrainSetting;
using msup::trainSettings;
using msup::ui::MainWindow;
using msup::ui::TrainingPanel;

class TestSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tableRowsAreComplete();
    void everyRowHasAFlagAJsonKeyAndAGuiField();
    void everyFlagSetsItsRow();
    void jsonRoundTripsEveryRowAndNamesTheKey();
    void presetInTheGuiEqualsMasksupPresets();
    void presetSummaryNamesTheEdits();
    void everyRowRoundTripsThroughConfigFilesAndSettings();
    void everyRowRoundTripsThroughTheProjectFile();
    void formRefusesValuesWithTheReason();
    void masksPanelIntervalAndFolderAreTrainings();
    void heavySetupIsTimedBeforeStart();

private:
    // A valid value of the row that differs from its default.
    QVariant testValue(const TrainSetting& s) const;
    // Edits the row's widget the way a user does (spin box, combo box, check box, line edit).
    void edit(TrainingPanel& panel, const TrainSetting& s, const QVariant& value);
    void editAll(TrainingPanel& panel);
    void compareAll(const TrainConfig& config, const char* where);

    QTemporaryDir m_tmp;
    QString m_corrections;
};

void TestSettings::initTestCase()
{
    msup::test::isolateSettings(QStringLiteral("tst_settings"));
    QFile::remove(MainWindow::autosavePath());
    QVERIFY(m_tmp.isValid());
    m_corrections = QDir::cleanPath(m_tmp.filePath(QStringLiteral("glands.corrections")));
}

QVariant TestSettings::testValue(const TrainSetting& s) const
{
    const QVariant d = s.defaultValue();
    switch (s.type) {
    case SettingType::Int:
        return int(d.toInt() == int(s.min) ? (s.key == QLatin1String("image_size") ? 32 : s.max) : s.min);
    case SettingType::Real:
        return d.toDouble() == s.min ? s.max : s.min;
    case SettingType::Bool:
        return !d.toBool();
    case SettingType::Seed:
        return qulonglong(12345);
    case SettingType::Path:
        if (s.key == QLatin1String("corrections"))
            return m_corrections;
        return QDir::cleanPath(m_tmp.filePath(s.key));
    default:
        for (const QString& choice : s.choices) {
            TrainConfig c;
            s.setValue(c, choice);
            try {
                s.validate(c);
            } catch (const msup::Error&) {
                continue;
            }
            if (choice != d.toString() && choice != QLatin1String("auto"))
                return choice;
        }
        return {};
    }
}

void TestSettings::tableRowsAreComplete()
{
    std::set<QString> keys, flags;
    for (const TrainSetting& s : trainSettings()) {
        QVERIFY2(!s.key.isEmpty() && !s.flag.isEmpty() && *s.label && *s.help, qPrintable(s.key));
        QVERIFY2(keys.insert(s.key).second, qPrintable(s.key));
        QVERIFY2(flags.insert(s.flag).second, qPrintable(s.flag));
        if (s.type == SettingType::Int || s.type == SettingType::Real)
            QVERIFY2(s.min < s.max, qPrintable(s.key));
        if (s.type == SettingType::Choice)
            QVERIFY2(s.choices.contains(s.defaultValue().toString()), qPrintable(s.key));
        QVERIFY2(testValue(s).isValid(), qPrintable(s.key));
        s.validate(TrainConfig()); // the defaults are valid
    }
    // One spelling per setting: the JSON key is the QSettings key, and the flag is the key with dashes
    // (but for the historical short flags, and --nproc for "processes", torchrun's name).
    QCOMPARE(msup::findTrainSetting(QStringLiteral("batch_size"))->flag, QStringLiteral("batch-size"));
    for (const TrainSetting& s : trainSettings())
        if (s.key != QLatin1String("dataset_format") && s.key != QLatin1String("cache_memory_mb")
            && s.key != QLatin1String("processes"))
            QCOMPARE(s.flag, QString(s.key).replace(QLatin1Char('_'), QLatin1Char('-')));
}

void TestSettings::everyRowHasAFlagAJsonKeyAndAGuiField()
{
    TrainingPanel panel;
    const QJsonObject json = TrainConfig().toJson();
    for (const TrainSetting& s : trainSettings()) {
        // The CLI takes the flag.
        msup::cli::CommandLine c(QStringLiteral("train"), QString(), { QStringLiteral("--") + s.flag });
        msup::cli::addTrainOptions(c);
        try {
            c.parse();
        } catch (const msup::cli::UsageError& e) {
            // A flag with a value reports the missing value, an unknown flag "Unknown option".
            QVERIFY2(!e.message.contains(QStringLiteral("nknown option")), qPrintable(e.message));
        }
        QVERIFY2(json.contains(s.key), qPrintable(s.key));
        QVERIFY2(msup::TrainConfig::unknownKeys(QJsonObject { { s.key, json.value(s.key) } }).isEmpty(),
            qPrintable(s.key));
        // The GUI has a field, but for the rows that follow the open dataset.
        if (s.group == SettingGroup::Dataset)
            QVERIFY2(!panel.settingEditor(s.key), qPrintable(s.key));
        else
            QVERIFY2(panel.settingEditor(s.key), qPrintable(s.key));
    }
    // The rows of the Advanced section are in it, the basic rows outside it.
    auto* advanced = panel.findChild<QWidget*>(QStringLiteral("advancedSettings"));
    QVERIFY(advanced);
    for (const TrainSetting& s : trainSettings())
        if (s.group != SettingGroup::Dataset)
            QCOMPARE(advanced->isAncestorOf(panel.settingEditor(s.key)), s.group == SettingGroup::Advanced);
    QVERIFY(!panel.isAdvancedExpanded());
}

void TestSettings::everyFlagSetsItsRow()
{
    for (const TrainSetting& s : trainSettings()) {
        const QVariant value = testValue(s);
        QStringList args;
        if (s.key != QLatin1String("dataset"))
            args << QStringLiteral("--dataset") << QStringLiteral("/data/glands");
        if (s.key != QLatin1String("out"))
            args << QStringLiteral("--out") << QStringLiteral("/runs/a");
        if (s.type == SettingType::Bool)
            args << (value.toBool() ? QStringLiteral("--") : QStringLiteral("--no-")) + s.flag;
        else
            args << QStringLiteral("--") + s.flag
                 << (s.type == SettingType::Real ? QString::number(value.toDouble(), 'g', 17)
                                                 : value.toString());
        msup::cli::CommandLine c(QStringLiteral("train"), QString(), args);
        msup::cli::addTrainOptions(c);
        QVERIFY(c.parse());
        try {
            const TrainConfig config = msup::cli::trainSetupFromFlags(c).config;
            QCOMPARE(s.value(config), value);
        } catch (const msup::cli::UsageError& e) {
            QFAIL(qPrintable(s.key + QStringLiteral(": ") + e.message));
        }
    }
    // A flag out of range names the flag; a resumed run refuses the flags that define it, listing those
    // that may change (generated from the table).
    msup::cli::CommandLine bad(QStringLiteral("train"), QString(),
        { QStringLiteral("--dataset"), QStringLiteral("d"), QStringLiteral("--out"), QStringLiteral("o"),
            QStringLiteral("--hole-fill"), QStringLiteral("grey") });
    msup::cli::addTrainOptions(bad);
    QVERIFY(bad.parse());
    try {
        msup::cli::trainSetupFromFlags(bad);
        QFAIL("accepted --hole-fill grey");
    } catch (const msup::cli::UsageError& e) {
        QVERIFY2(e.message.contains(QStringLiteral("--hole-fill must be zero, black or noise, got 'grey'")),
            qPrintable(e.message));
    }
    msup::cli::CommandLine resume(QStringLiteral("train"), QString(),
        { QStringLiteral("--resume"), m_tmp.path(), QStringLiteral("--no-amsgrad") });
    msup::cli::addTrainOptions(resume);
    QVERIFY(resume.parse());
    try {
        msup::cli::trainSetupFromFlags(resume);
        QFAIL("accepted --no-amsgrad when resuming");
    } catch (const msup::cli::UsageError& e) {
        QVERIFY2(e.message.contains(QStringLiteral("--no-amsgrad cannot be changed when resuming"))
                && e.message.contains(QStringLiteral(
                    "only --epochs, --device, --amp, --channels-last, --threads, --nproc, --dist-timeout, "
                    "--cache-memory, --cache-dir and --checkpoint-minutes can")),
            qPrintable(e.message));
    }
}

void TestSettings::jsonRoundTripsEveryRowAndNamesTheKey()
{
    TrainConfig c;
    for (const TrainSetting& s : trainSettings())
        s.setValue(c, testValue(s));
    const TrainConfig back = TrainConfig::fromJson(c.toJson());
    for (const TrainSetting& s : trainSettings())
        QCOMPARE(s.value(back), s.value(c));
    // A wrong type and a wrong value name the key (and the flag), for every row.
    for (const TrainSetting& s : trainSettings()) {
        const QJsonValue wrong = s.type == SettingType::Bool ? QJsonValue(QStringLiteral("yes"))
            : s.type == SettingType::Text || s.type == SettingType::Path || s.type == SettingType::Choice
            ? QJsonValue(7)
            : QJsonValue(true);
        try {
            TrainConfig::fromJson(QJsonObject { { s.key, wrong } });
            QFAIL(qPrintable(s.key));
        } catch (const msup::Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1Char('\'') + s.key + QLatin1Char('\'')),
                e.what());
        }
    }
}

void TestSettings::presetInTheGuiEqualsMasksupPresets()
{
    for (const QString& name : msup::trainPresetNames()) {
        TrainingPanel panel;
        QVERIFY(panel.presetChoices().contains(name));
        QVERIFY(panel.applyPreset(name));
        QJsonObject form = panel.config().toJson();
        form.remove(QStringLiteral("dataset"));
        form.remove(QStringLiteral("out"));
        // What 'masksup presets NAME' prints, from the executable itself.
        const msup::test::Run cli = msup::test::masksup({ QStringLiteral("presets"), name }, 60000);
        QCOMPARE(cli.code, 0);
        const QJsonObject printed = QJsonDocument::fromJson(cli.out.toUtf8()).object();
        QVERIFY(!printed.isEmpty());
        QCOMPARE(form, printed);
        QCOMPARE(panel.presetSummary(), name);
    }
}

void TestSettings::presetSummaryNamesTheEdits()
{
    TrainingPanel panel;
    QCOMPARE(panel.presetSummary(), QStringLiteral("defaults"));
    QVERIFY(panel.applyPreset(QStringLiteral("glas-levit384")));
    auto* epochs = qobject_cast<QSpinBox*>(panel.settingEditor(QStringLiteral("epochs")));
    QVERIFY(epochs);
    epochs->setValue(20);
    QCOMPARE(panel.presetSummary(), QStringLiteral("glas-levit384, edited: epochs"));
    auto* label = panel.findChild<QLabel*>(QStringLiteral("presetSummaryLabel"));
    QVERIFY(label);
    QCOMPARE(label->text(), QStringLiteral("glas-levit384, edited: epochs"));
    auto* fill = qobject_cast<QComboBox*>(panel.settingEditor(QStringLiteral("hole_fill")));
    QVERIFY(fill);
    fill->setCurrentIndex(fill->findData(QStringLiteral("noise")));
    QCOMPARE(panel.presetSummary(), QStringLiteral("glas-levit384, edited: epochs, hole_fill"));
    // A config set from elsewhere (a project, the settings) names the preset it started from.
    TrainConfig nyu = msup::applyTrainPreset(QStringLiteral("nyu-unetpp"));
    nyu.width = 16;
    panel.setConfig(nyu);
    QCOMPARE(panel.presetSummary(), QStringLiteral("nyu-unetpp, edited: width"));
}

void TestSettings::edit(TrainingPanel& panel, const TrainSetting& s, const QVariant& value)
{
    QWidget* w = panel.settingEditor(s.key);
    QVERIFY2(w, qPrintable(s.key));
    QVERIFY2(w->isEnabled() || s.key == QLatin1String("width"), qPrintable(s.key));
    if (s.key == QLatin1String("preset")) {
        QVERIFY(panel.applyPreset(value.toString())); // the chooser fills the whole form
    } else if (auto* spin = qobject_cast<QSpinBox*>(w)) {
        spin->setValue(value.toInt());
    } else if (auto* real = qobject_cast<QDoubleSpinBox*>(w)) {
        real->setValue(value.toDouble());
    } else if (auto* check = qobject_cast<QCheckBox*>(w)) {
        check->setChecked(s.type == SettingType::Bool ? value.toBool() : !value.toString().isEmpty());
    } else if (auto* line = qobject_cast<QLineEdit*>(w)) {
        line->setText(QDir::toNativeSeparators(value.toString()));
    } else if (auto* combo = qobject_cast<QComboBox*>(w)) {
        const int i = combo->findData(value.toString());
        if (i >= 0)
            combo->setCurrentIndex(i);
        else if (combo->isEditable())
            combo->setCurrentText(value.toString());
    } else {
        QFAIL(qPrintable(s.key + QStringLiteral(": no known widget")));
    }
}

// Every row that the form shows, set to its test value through its widget (the preset first: choosing
// one fills the whole form).
void TestSettings::editAll(TrainingPanel& panel)
{
    panel.setCorrections(m_corrections, 1);
    edit(panel, *msup::findTrainSetting(QStringLiteral("preset")),
        testValue(*msup::findTrainSetting(QStringLiteral("preset"))));
    for (const TrainSetting& s : trainSettings()) {
        if (s.group == SettingGroup::Dataset || s.key == QLatin1String("preset"))
            continue;
        if (s.key == QLatin1String("width")) // LeViT-UNet has fixed widths: a U-Net first
            edit(panel, *msup::findTrainSetting(QStringLiteral("model")), QStringLiteral("unet"));
        edit(panel, s, testValue(s));
    }
    // The model's test value last (width is only editable for U-Nets).
    const TrainSetting& model = *msup::findTrainSetting(QStringLiteral("model"));
    edit(panel, model, testValue(model));
}

void TestSettings::compareAll(const TrainConfig& config, const char* where)
{
    for (const TrainSetting& s : trainSettings()) {
        if (s.group == SettingGroup::Dataset)
            continue;
        QVERIFY2(s.value(config) == testValue(s),
            qPrintable(
                QStringLiteral("%1: %2 = %3, expected %4")
                    .arg(QLatin1String(where), s.key, s.value(config).toString(), testValue(s).toString())));
    }
}

void TestSettings::everyRowRoundTripsThroughConfigFilesAndSettings()
{
    const QString file = m_tmp.filePath(QStringLiteral("every-row.json"));
    {
        TrainingPanel panel;
        editAll(panel);
        compareAll(panel.config(), "form");
        QVERIFY(panel.saveConfigFile(file));
        QSettings settings(m_tmp.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        panel.saveSettings(settings);
    }
    // The file is the CLI's --config file: it loads there too, every key read back.
    const TrainConfig fromCli = TrainConfig::fromFile(file);
    for (const TrainSetting& s : trainSettings())
        if (s.group != SettingGroup::Dataset)
            QCOMPARE(s.value(fromCli), testValue(s));
    {
        TrainingPanel panel;
        panel.setCorrections(m_corrections, 1);
        QVERIFY(panel.loadConfigFile(file));
        compareAll(panel.config(), "loaded config");
        QCOMPARE(panel.presetSummary(), QStringLiteral("every-row"));
    }
    {
        // QSettings keep the form's settings (not the run folder or the corrections, which belong to a
        // dataset), under "training/<JSON key>".
        TrainingPanel panel;
        const QSettings settings(m_tmp.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        QCOMPARE(settings.value(QStringLiteral("training/batch_size")).toInt(),
            testValue(*msup::findTrainSetting(QStringLiteral("batch_size"))).toInt());
        panel.restoreSettings(settings);
        const TrainConfig c = panel.config();
        for (const TrainSetting& s : trainSettings())
            if (s.group != SettingGroup::Dataset && s.key != QLatin1String("out")
                && s.key != QLatin1String("corrections"))
                QVERIFY2(s.value(c) == testValue(s), qPrintable(s.key));
    }
    // A user's config saved in the presets folder is offered as a preset.
    QDir().mkpath(TrainingPanel::userPresetDir());
    const QString mine = QDir(TrainingPanel::userPresetDir()).filePath(QStringLiteral("mine.json"));
    QFile::remove(mine);
    QVERIFY(QFile::copy(file, mine));
    TrainingPanel panel;
    QVERIFY(panel.presetChoices().contains(QFileInfo(mine).absoluteFilePath()));
    QVERIFY(panel.applyPreset(QFileInfo(mine).absoluteFilePath()));
    QCOMPARE(panel.presetSummary(), QStringLiteral("mine"));
    QFile::remove(mine);
}

void TestSettings::everyRowRoundTripsThroughTheProjectFile()
{
    const QString file = m_tmp.filePath(QStringLiteral("every-row.masksup"));
    {
        MainWindow window;
        editAll(*window.trainingPanel());
        QVERIFY(window.saveProjectTo(file));
    }
    MainWindow window;
    window.trainingPanel()->setCorrections(m_corrections, 1);
    QSignalSpy opened(&window, &MainWindow::projectOpened);
    QVERIFY(window.openProject(file));
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() > 0, 30000);
    compareAll(window.trainingPanel()->config(), "project");
}

void TestSettings::formRefusesValuesWithTheReason()
{
    TrainingPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto* problem = panel.findChild<QLabel*>(QStringLiteral("formProblemLabel"));
    QVERIFY(problem);
    QVERIFY(panel.formProblem().isEmpty());
    QVERIFY(problem->isHidden());
    // A typed value out of range: refused, the reason shown, the last valid value kept.
    auto* width = qobject_cast<QSpinBox*>(panel.settingEditor(QStringLiteral("width")));
    QVERIFY(width);
    width->setFocus();
    width->selectAll();
    QTest::keyClicks(width, QStringLiteral("300"));
    QTRY_VERIFY(!problem->isHidden());
    QVERIFY2(
        problem->text().contains(QStringLiteral("300")) && problem->text().contains(QStringLiteral("256")),
        qPrintable(problem->text()));
    QVERIFY(width->value() <= msup::TrainLimits::widthMax);
    // A value the table's check refuses: the setting named with the reason.
    auto* ratio = qobject_cast<QComboBox*>(panel.settingEditor(QStringLiteral("hole_ratio")));
    QVERIFY(ratio);
    ratio->setCurrentText(QStringLiteral("0.9-0.2"));
    QVERIFY(panel.formProblem().startsWith(QStringLiteral("Hole ratio: ")));
    QVERIFY(!problem->isHidden());
    ratio->setCurrentText(QStringLiteral("low"));
    QVERIFY(panel.formProblem().isEmpty());
    QVERIFY(problem->isHidden());
    // A rate typed in the generated Advanced fields as the CLI takes it ("1e-05").
    panel.setAdvancedExpanded(true);
    auto* decay = qobject_cast<QDoubleSpinBox*>(panel.settingEditor(QStringLiteral("weight_decay")));
    QVERIFY(decay && decay->isVisible());
    decay->setValue(5e-4);
    QCOMPARE(panel.config().weightDecay, 5e-4);
}

void TestSettings::masksPanelIntervalAndFolderAreTrainings()
{
    // A folder of two mask images (white = hole).
    const QString folder = m_tmp.filePath(QStringLiteral("masks"));
    QVERIFY(QDir().mkpath(folder));
    for (int i = 0; i < 2; ++i) {
        QImage mask(40, 40, QImage::Format_Grayscale8);
        mask.fill(0);
        for (int y = 0; y < 10 + 4 * i; ++y)
            for (int x = 0; x < 40; ++x)
                mask.setPixel(x, y, qRgb(255, 255, 255));
        QVERIFY(mask.save(QDir(folder).filePath(QStringLiteral("m%1.png").arg(i))));
    }
    MainWindow window;
    msup::ui::MaskPanel* masks = window.maskPanel();
    TrainingPanel* training = window.trainingPanel();
    QCOMPARE(masks->ratioText(), training->config().holeRatio);
    // The Masks panel's choice is what trains (and what the run's config.json says).
    masks->setRatioText(QStringLiteral("0.2-0.3"));
    QCOMPARE(training->config().holeRatio, QStringLiteral("0.2-0.3"));
    QCOMPARE(training->config().toJson().value(QStringLiteral("hole_ratio")).toString(),
        QStringLiteral("0.2-0.3"));
    masks->setMaskFolder(folder);
    QCOMPARE(QDir::cleanPath(training->config().maskFolder), QDir::cleanPath(folder));
    QCOMPARE(QDir::cleanPath(training->config().toJson().value(QStringLiteral("mask_folder")).toString()),
        QDir::cleanPath(folder));
    // And the training form's choice is what the Masks panel previews.
    training->setSettingValue(QStringLiteral("hole_ratio"), QStringLiteral("low"));
    QCOMPARE(masks->ratioText(), QStringLiteral("low"));
    training->setSettingValue(QStringLiteral("mask_folder"), QString());
    QCOMPARE(masks->source(), msup::ui::MaskPanel::Source::Generator);
    QVERIFY(training->config().maskFolder.isEmpty());
    training->setSettingValue(QStringLiteral("mask_folder"), folder);
    QCOMPARE(masks->source(), msup::ui::MaskPanel::Source::Folder);
    QCOMPARE(QDir::cleanPath(masks->maskFolder()), QDir::cleanPath(folder));
    // An interval the Masks panel refuses does not reach training.
    masks->setRatioText(QStringLiteral("0.9-0.2"));
    QCOMPARE(training->config().holeRatio, QStringLiteral("low"));
}

void TestSettings::heavySetupIsTimedBeforeStart()
{
    // What is heavy for a CPU: LeViT-UNet-384 at batch 64 is, the quick-cpu preset is not.
    TrainConfig levit = msup::applyTrainPreset(QStringLiteral("glas-levit384"));
    levit.batchSize = 64;
    QVERIFY(TrainingPanel::setupCost(levit) >= 32);
    QVERIFY(TrainingPanel::setupCost(msup::applyTrainPreset(QStringLiteral("quick-cpu"))) < 32);

    const QString glands = msup::test::writeTinyDataset(
        m_tmp.filePath(QStringLiteral("fit-glands")), msup::SynthKind::Glands, 6, 48, 5);
    TrainingPanel panel;
    panel.setDataset(glands, QStringLiteral("fit-glands"), 6);
    panel.setFitCheck(0, 0); // every setup is probed, every estimate asks
    TrainConfig tiny;
    tiny.width = 4;
    tiny.imageSize = 32;
    tiny.batchSize = 2;
    tiny.epochs = 1;
    tiny.device = QStringLiteral("cpu");
    tiny.outDir = m_tmp.filePath(QStringLiteral("fit-run"));
    panel.setConfig(tiny);
    // Start: the probe runs in the background, then asks with the estimate; Cancel starts nothing.
    QVERIFY(panel.startTraining());
    QVERIFY(panel.isProbingFit() || panel.fitQuestion());
    QTRY_VERIFY_WITH_TIMEOUT(panel.fitQuestion() != nullptr, 60000);
    QPointer<QMessageBox> box = panel.fitQuestion();
    QVERIFY2(box->text().contains(QStringLiteral("per epoch (3 batch")), qPrintable(box->text()));
    QVERIFY(box->button(QMessageBox::Cancel));
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(box.isNull());
    QCOMPARE(panel.state(), TrainingPanel::State::Idle);
    // Start anyway: the run starts and finishes.
    QSignalSpy finished(&panel, &TrainingPanel::trainingFinished);
    QVERIFY(panel.startTraining());
    QTRY_VERIFY_WITH_TIMEOUT(panel.fitQuestion() != nullptr, 60000);
    box = panel.fitQuestion();
    QPushButton* anyway = nullptr;
    for (QAbstractButton* b : box->buttons())
        if (b->text() == QStringLiteral("Start anyway"))
            anyway = qobject_cast<QPushButton*>(b);
    QVERIFY(anyway);
    anyway->click();
    QTRY_VERIFY(panel.state() != TrainingPanel::State::Idle);
    QVERIFY(finished.wait(120000));
}

QTEST_MAIN(TestSettings)
#include "tst_settings.moc"
