// The Training panel's settings: the form bound to the training settings table (basic rows built in
// training_panel.cpp, the Advanced section generated here), presets, config files and QSettings.
#include "ui/training_panel.h"

#include "core/io/atomic_file.h"
#include "core/train/train_settings.h"
#include "ui/path_field.h"
#include "ui/settings_form.h"
#include "ui/widgets.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace msup::ui {

namespace {

    void selectData(QComboBox* combo, const QString& value)
    {
        const int index = combo->findData(value);
        if (index >= 0)
            combo->setCurrentIndex(index);
    }

    QString settingText(const char* text)
    {
        return QCoreApplication::translate(msup::TrainSetting::kTrContext, text);
    }

    // The settings proper, as presets compare them: not where the data comes from or the run goes.
    QJsonObject comparable(const msup::TrainConfig& c)
    {
        QJsonObject o = c.toJson();
        for (const char* key : { "dataset", "dataset_format", "out", "preset", "corrections" })
            o.remove(QLatin1String(key));
        return o;
    }

    // The rows kept in QSettings: the form's settings, not the run folder or the corrections folder
    // (both belong to a dataset).
    QStringList settingsKeys()
    {
        QStringList keys;
        for (const msup::TrainSetting& s : msup::trainSettings())
            if (s.group != msup::SettingGroup::Dataset && s.key != QLatin1String("out")
                && s.key != QLatin1String("corrections"))
                keys << s.key;
        return keys;
    }

} // namespace

QWidget* TrainingPanel::buildPresetRow()
{
    auto* box = new QWidget(this);
    auto* form = new QFormLayout(box);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_presetCombo = new QComboBox(box);
    m_presetCombo->setObjectName(QStringLiteral("presetCombo"));
    m_presetCombo->setToolTip(tr("The paper's settings, and your own configs saved in %1")
                                  .arg(QDir::toNativeSeparators(userPresetDir())));
    connect(m_presetCombo, &QComboBox::activated, this,
        [this](int index) { applyPreset(m_presetCombo->itemData(index).toString()); });
    form->addRow(tr("&Preset:"), m_presetCombo);
    m_presetLabel = new QLabel(box);
    m_presetLabel->setObjectName(QStringLiteral("presetSummaryLabel"));
    m_presetLabel->setWordWrap(true);
    form->addRow(QString(), m_presetLabel);
    refreshPresetList();
    return box;
}

QWidget* TrainingPanel::buildAdvancedSection()
{
    auto* section = new QWidget(this);
    auto* layout = new QVBoxLayout(section);
    layout->setContentsMargins(0, 0, 0, 0);
    m_advancedButton = new QToolButton(section);
    m_advancedButton->setObjectName(QStringLiteral("advancedButton"));
    m_advancedButton->setText(tr("Advanced settings"));
    m_advancedButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedButton->setArrowType(Qt::RightArrow);
    m_advancedButton->setCheckable(true);
    m_advancedButton->setAutoRaise(true);
    m_advancedButton->setToolTip(tr("Optimizer, schedule, loss weights, masks, augmentation and resources"));
    layout->addWidget(m_advancedButton);

    auto* inner = new QWidget(section);
    auto* form = new QFormLayout(inner);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    for (const msup::TrainSetting& s : msup::trainSettings()) {
        if (s.group != msup::SettingGroup::Advanced)
            continue;
        const SettingsForm::Editor e = m_settings->createEditor(s, inner);
        if (s.type == msup::SettingType::Bool) {
            form->addRow(QString(), e.field);
            continue;
        }
        auto* label = new QLabel(tr("%1:").arg(settingText(s.label)), inner);
        label->setBuddy(e.editor);
        label->setToolTip(e.editor->toolTip());
        form->addRow(label, e.field);
    }
    inner->setObjectName(QStringLiteral("advancedSettings"));
    inner->hide();
    layout->addWidget(inner);
    m_advancedBox = inner;
    connect(m_advancedButton, &QToolButton::toggled, this, [this](bool expanded) {
        m_advancedButton->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
        m_advancedBox->setVisible(expanded);
        if (!expanded)
            return;
        // Scroll the settings column so that the section opened starts at its top (once laid out).
        QTimer::singleShot(0, this, [this] {
            if (auto* scroll = findChild<QScrollArea*>(QStringLiteral("settingsScroll")))
                scroll->verticalScrollBar()->setValue(
                    m_advancedButton->mapTo(scroll->widget(), QPoint()).y());
        });
    });
    return section;
}

QLayout* TrainingPanel::buildConfigButtons()
{
    auto* row = new QHBoxLayout;
    m_loadConfigButton = pushButton(tr("Load config…"), QStringLiteral("loadConfigButton"),
        tr("Fill the form from a JSON config file, the file 'masksup train --config FILE' reads"), this, this,
        &TrainingPanel::chooseConfigToLoad);
    m_saveConfigButton = pushButton(tr("Save config as…"), QStringLiteral("saveConfigButton"),
        tr("Write the form's settings as a JSON config file for 'masksup train "
           "--config FILE'; saved in the presets folder, it is listed as a preset"),
        this, this, &TrainingPanel::chooseConfigToSave);
    row->addWidget(m_loadConfigButton);
    row->addWidget(m_saveConfigButton);
    return row;
}

// The hand-made fields of the basic rows (the device list is bound where it is built).
void TrainingPanel::bindBasicSettings()
{
    SettingsForm* form = m_settings;
    auto notify
        = [form](const char* key) { return [form, k = QString::fromLatin1(key)] { form->notifyEdited(k); }; };
    auto combo = [&](const char* key, QComboBox* c) {
        form->bind(
            QLatin1String(key), c, [c] { return c->currentData(); },
            [c](const QVariant& v) { selectData(c, v.toString()); });
        connect(c, &QComboBox::currentIndexChanged, form, notify(key));
    };
    auto spin = [&](const char* key, QSpinBox* b) {
        form->bind(
            QLatin1String(key), b, [b] { return QVariant(b->value()); },
            [b](const QVariant& v) { b->setValue(v.toInt()); });
        connect(b, &QSpinBox::valueChanged, form, notify(key));
    };
    combo("model", m_modelCombo);
    combo("mode", m_modeCombo);
    spin("width", m_widthSpin);
    spin("epochs", m_epochsSpin);
    spin("batch_size", m_batchSpin);
    spin("image_size", m_imageSizeSpin);
    // "on" (configs of older versions) means automatic.
    form->bind(
        QStringLiteral("amp"), m_ampCombo, [this] { return m_ampCombo->currentData(); },
        [this](const QVariant& v) {
            selectData(
                m_ampCombo, v.toString() == QLatin1String("on") ? QStringLiteral("auto") : v.toString());
        });
    connect(m_ampCombo, &QComboBox::currentIndexChanged, form, notify("amp"));
    form->bind(
        QStringLiteral("seed"), m_seedSpin, [this] { return QVariant(qulonglong(m_seedSpin->value())); },
        [this](const QVariant& v) {
            m_seedSpin->setValue(int(std::min<qulonglong>(v.toULongLong(), std::numeric_limits<int>::max())));
        });
    connect(m_seedSpin, &QSpinBox::valueChanged, form, notify("seed"));
    form->bind(
        QStringLiteral("lr"), m_learningRateSpin, [this] { return QVariant(m_learningRateSpin->value()); },
        [this](const QVariant& v) { m_learningRateSpin->setValue(v.toDouble()); });
    connect(m_learningRateSpin, &QDoubleSpinBox::valueChanged, form, notify("lr"));
    form->bind(
        QStringLiteral("channels_last"), m_channelsLastCheck,
        [this] { return QVariant(m_channelsLastCheck->isChecked()); },
        [this](const QVariant& v) { m_channelsLastCheck->setChecked(v.toBool()); });
    connect(m_channelsLastCheck, &QCheckBox::toggled, form, notify("channels_last"));
    form->bindChoices(*msup::findTrainSetting(QStringLiteral("hole_ratio")), m_holeRatioCombo);
    form->bind(
        QStringLiteral("corrections"), m_correctionsCheck,
        [this] { return QVariant(m_correctionsCheck->isChecked() ? m_correctionsDir : QString()); },
        [this](const QVariant& v) {
            m_correctionsCheck->setChecked(!v.toString().isEmpty() && m_correctionsCheck->isEnabled());
        });
    connect(m_correctionsCheck, &QCheckBox::toggled, form, notify("corrections"));
    // An empty run folder: a new dated folder for each run (config() fills it in).
    form->bind(
        QStringLiteral("out"), m_outDirField->lineEdit(),
        [this] {
            const QString text = m_outDirField->lineEdit()->text().trimmed();
            return QVariant(text.isEmpty() ? QString() : QDir::cleanPath(QDir::fromNativeSeparators(text)));
        },
        [this](const QVariant& v) {
            m_outDirField->lineEdit()->setText(QDir::toNativeSeparators(v.toString()));
            m_outDirAuto = v.toString().trimmed().isEmpty();
        });
    connect(m_outDirField->lineEdit(), &QLineEdit::textChanged, form, notify("out"));
    form->bind(
        QStringLiteral("preset"), m_presetCombo, [this] { return QVariant(m_presetKey); },
        [this](const QVariant& v) { m_presetKey = v.toString(); });
}

msup::TrainConfig TrainingPanel::config() const
{
    msup::TrainConfig config;
    m_settings->read(config);
    config.datasetPath = m_datasetRoot;
    config.outDir = outputDir();
    return config;
}

void TrainingPanel::setConfig(const msup::TrainConfig& config)
{
    m_settings->write(config);
    // Edits are shown against the preset the config started from (or the defaults).
    m_presetSource = msup::trainPresetNames().contains(config.preset) ? config.preset : QString();
    m_presetBase
        = comparable(m_presetSource.isEmpty() ? msup::TrainConfig() : msup::applyTrainPreset(m_presetSource));
    updatePresetSummary();
}

QWidget* TrainingPanel::settingEditor(const QString& key) const
{
    return m_settings->editor(key);
}

QVariant TrainingPanel::settingValue(const QString& key) const
{
    return m_settings->value(key);
}

void TrainingPanel::setSettingValue(const QString& key, const QVariant& value)
{
    if (m_settings->value(key) != value)
        m_settings->setValue(key, value);
}

void TrainingPanel::onSettingEdited(const QString&)
{
    updatePresetSummary();
    showFormProblem();
    Q_EMIT configEdited();
}

QString TrainingPanel::userPresetDir()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("presets"));
}

QStringList TrainingPanel::presetChoices() const
{
    QStringList choices;
    for (int i = 0; i < m_presetCombo->count(); ++i)
        if (m_presetCombo->itemData(i).isValid()) // not a separator
            choices << m_presetCombo->itemData(i).toString();
    return choices;
}

void TrainingPanel::refreshPresetList()
{
    const QSignalBlocker blocker(m_presetCombo);
    m_presetCombo->clear();
    m_presetCombo->addItem(tr("Defaults"), QString());
    for (const QString& name : msup::trainPresetNames()) {
        m_presetCombo->addItem(name, name);
        m_presetCombo->setItemData(
            m_presetCombo->count() - 1, msup::trainPresetDescription(name), Qt::ToolTipRole);
    }
    const QFileInfoList files
        = QDir(userPresetDir()).entryInfoList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    if (!files.isEmpty())
        m_presetCombo->insertSeparator(m_presetCombo->count());
    for (const QFileInfo& file : files) {
        m_presetCombo->addItem(tr("%1 (yours)").arg(file.completeBaseName()), file.absoluteFilePath());
        m_presetCombo->setItemData(
            m_presetCombo->count() - 1, QDir::toNativeSeparators(file.absoluteFilePath()), Qt::ToolTipRole);
    }
    selectData(m_presetCombo, m_presetSource);
}

bool TrainingPanel::applyPreset(const QString& nameOrFile)
{
    return applySettingsFrom(nameOrFile, false);
}

// A preset or config file over the defaults. The run folder and the corrections choice stay the
// form's, unless a config file loaded by the user names them.
bool TrainingPanel::applySettingsFrom(const QString& source, bool takeRunFolder)
{
    msup::TrainConfig c;
    try {
        if (msup::trainPresetNames().contains(source))
            c = msup::applyTrainPreset(source);
        else if (!source.isEmpty())
            c = msup::TrainConfig::fromFile(source);
    } catch (const std::exception& e) {
        showWarning(tr("The settings could not be loaded."), QString::fromLocal8Bit(e.what()));
        refreshPresetList();
        return false;
    }
    const msup::TrainConfig current = config();
    if (!takeRunFolder || c.outDir.isEmpty())
        c.outDir = m_settings->value(QStringLiteral("out")).toString(); // empty: a new dated folder
    if (!takeRunFolder)
        c.corrections = current.corrections;
    setConfig(c);
    m_presetSource = source;
    m_presetBase = comparable(c);
    refreshPresetList();
    updatePresetSummary();
    return true;
}

QString TrainingPanel::presetSummary() const
{
    QString name = m_presetSource;
    if (name.isEmpty())
        name = tr("defaults");
    else if (!msup::trainPresetNames().contains(name))
        name = QFileInfo(name).completeBaseName();
    const QJsonObject now = comparable(config());
    QStringList edited;
    for (const msup::TrainSetting& s : msup::trainSettings())
        if (now.contains(s.key) && now.value(s.key) != m_presetBase.value(s.key))
            edited << s.key;
    return edited.isEmpty() ? name : tr("%1, edited: %2").arg(name, edited.join(QStringLiteral(", ")));
}

void TrainingPanel::updatePresetSummary()
{
    if (!m_presetLabel)
        return;
    m_presetLabel->setText(presetSummary());
    const QSignalBlocker blocker(m_presetCombo);
    selectData(m_presetCombo, m_presetSource);
}

bool TrainingPanel::saveConfigFile(const QString& path)
{
    QJsonObject json = config().toJson();
    json.remove(QStringLiteral("dataset")); // a config is for any dataset
    // The run folder as the form shows it (empty: a new dated folder for each run).
    json.insert(QStringLiteral("out"), m_settings->value(QStringLiteral("out")).toString());
    try {
        msup::writeFileAtomic(path, QJsonDocument(json).toJson(QJsonDocument::Indented));
    } catch (const std::exception& e) {
        showWarning(tr("The config could not be saved."), QString::fromLocal8Bit(e.what()));
        return false;
    }
    return true;
}

bool TrainingPanel::loadConfigFile(const QString& path)
{
    return applySettingsFrom(path, true);
}

void TrainingPanel::chooseConfigToLoad()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Load config"), userPresetDir(), tr("JSON config files (*.json);;All files (*)"));
    if (!path.isEmpty())
        loadConfigFile(path);
}

void TrainingPanel::chooseConfigToSave()
{
    QDir().mkpath(userPresetDir());
    QString path = QFileDialog::getSaveFileName(this, tr("Save config as"),
        QDir(userPresetDir()).filePath(QStringLiteral("my-preset.json")), tr("JSON config files (*.json)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".json");
    if (!saveConfigFile(path))
        return;
    m_presetSource = path;
    m_presetBase = comparable(config());
    refreshPresetList();
    updatePresetSummary();
}

QString TrainingPanel::formProblem() const
{
    const msup::TrainConfig c = config();
    for (const msup::TrainSetting& s : msup::trainSettings()) {
        if (s.group == msup::SettingGroup::Dataset)
            continue;
        try {
            s.validate(c);
        } catch (const std::exception& e) {
            return tr("%1: %2").arg(settingText(s.label), QString::fromLocal8Bit(e.what()));
        }
    }
    return {};
}

void TrainingPanel::showFormProblem()
{
    const QString problem = formProblem();
    m_formProblemLabel->setText(problem);
    m_formProblemLabel->setVisible(!problem.isEmpty());
}

bool TrainingPanel::isAdvancedExpanded() const
{
    return m_advancedButton->isChecked();
}

void TrainingPanel::setAdvancedExpanded(bool expanded)
{
    m_advancedButton->setChecked(expanded);
}

void TrainingPanel::saveSettings(QSettings& settings) const
{
    m_settings->save(settings, settingsKeys());
}

void TrainingPanel::restoreSettings(const QSettings& settings)
{
    setConfig(m_settings->restore(settings, settingsKeys()));
}

} // namespace msup::ui
