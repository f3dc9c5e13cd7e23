#include "ui/settings_form.h"

#include "core/train/train_settings.h"
#include "ui/path_field.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QLineEdit>
#include <QLocale>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>

#include <algorithm>
#include <cmath>
#include <limits>

namespace msup::ui {

RealSpinBox::RealSpinBox(QWidget* parent)
    : QDoubleSpinBox(parent)
{
    setDecimals(15); // rounding happens in textFromValue's shortest form, not in the box
    setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
}

QString RealSpinBox::textFromValue(double value) const
{
    // "1e-05" as in config files (some locales write "1E-05"; both are read back).
    return locale().toString(value, 'g', 10).replace(QLatin1Char('E'), QLatin1Char('e'));
}

double RealSpinBox::valueFromText(const QString& text) const
{
    return locale().toDouble(text.trimmed());
}

QValidator::State RealSpinBox::validate(QString& text, int&) const
{
    bool ok = false;
    const double v = locale().toDouble(text.trimmed(), &ok);
    if (!ok)
        return QValidator::Intermediate; // "1e-" while typing
    return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
}

QSize RealSpinBox::sizeHint() const
{
    const QSize hint = QDoubleSpinBox::sizeHint();
    // The text, the frame and the arrows (about as wide as the box is high).
    const int wide = fontMetrics().horizontalAdvance(QStringLiteral("1.2345e-05")) + hint.height() + 12;
    return QSize(std::max(hint.width(), wide), hint.height());
}

QSize RealSpinBox::minimumSizeHint() const
{
    return QSize(sizeHint().width(), QDoubleSpinBox::minimumSizeHint().height());
}

IntSpinBox::IntSpinBox(QWidget* parent)
    : QSpinBox(parent)
{
    setGroupSeparatorShown(false);
}

QValidator::State IntSpinBox::validate(QString& text, int& pos) const
{
    const QValidator::State state = QSpinBox::validate(text, pos);
    if (state != QValidator::Invalid)
        return state;
    QString number = text;
    if (!suffix().isEmpty() && number.endsWith(suffix()))
        number.chop(suffix().size());
    if (!prefix().isEmpty() && number.startsWith(prefix()))
        number.remove(0, prefix().size());
    bool ok = false;
    locale().toLongLong(number.trimmed(), &ok);
    return ok ? QValidator::Intermediate : QValidator::Invalid;
}

void WheelGuard::install(QWidget* root)
{
    auto* guard = new WheelGuard(root);
    QList<QWidget*> widgets;
    for (QAbstractSpinBox* spin : root->findChildren<QAbstractSpinBox*>())
        widgets << spin;
    for (QComboBox* combo : root->findChildren<QComboBox*>())
        widgets << combo;
    for (QWidget* w : widgets) {
        w->setFocusPolicy(Qt::StrongFocus); // a combo box's WheelFocus would take focus on scrolling
        w->installEventFilter(guard);
    }
}

bool WheelGuard::eventFilter(QObject* watched, QEvent* event)
{
    auto* widget = qobject_cast<QWidget*>(watched);
    if (event->type() == QEvent::Wheel && widget && !widget->hasFocus()) {
        event->ignore(); // goes on to the parents: the scroll area scrolls
        return true;
    }
    return QObject::eventFilter(watched, event);
}

SettingsForm::SettingsForm(QObject* parent)
    : QObject(parent)
{
}

void SettingsForm::bind(const QString& key, QWidget* widget, std::function<QVariant()> get,
    std::function<void(const QVariant&)> set)
{
    m_bindings.insert(key, Binding { widget, std::move(get), std::move(set) });
    const msup::TrainSetting* setting = msup::findTrainSetting(key);
    if (auto* spin = qobject_cast<QAbstractSpinBox*>(widget); spin && setting)
        watchRange(*setting, spin);
}

// A spin box silently keeps its last valid value when the text typed is out of range: say why.
void SettingsForm::watchRange(const msup::TrainSetting& s, QAbstractSpinBox* spin)
{
    if (s.type != msup::SettingType::Int && s.type != msup::SettingType::Real)
        return;
    auto* edit = spin->findChild<QLineEdit*>();
    if (!edit)
        return;
    const QString key = s.key;
    const QString label = QCoreApplication::translate(msup::TrainSetting::kTrContext, s.label);
    const double lo = s.min, hi = s.max;
    connect(edit, &QLineEdit::textEdited, this, [this, spin, key, label, lo, hi](const QString& text) {
        QString shown = text;
        const QString prefix = spin->property("prefix").toString();
        const QString suffix = spin->property("suffix").toString();
        if (!suffix.isEmpty() && shown.endsWith(suffix))
            shown.chop(suffix.size());
        if (!prefix.isEmpty() && shown.startsWith(prefix))
            shown.remove(0, prefix.size());
        bool ok = false;
        const double v = spin->locale().toDouble(shown.trimmed(), &ok);
        if (ok && (v < lo || v > hi))
            Q_EMIT refused(key,
                QCoreApplication::translate(
                    "msup::ui::SettingsForm", "%1: %2 is refused, the value must be from %3 to %4.")
                    .arg(label, shown.trimmed(), spin->locale().toString(lo, 'g', 12),
                        spin->locale().toString(hi, 'g', 12)));
    });
}

void SettingsForm::notifyEdited(const QString& key)
{
    Q_EMIT edited(key);
}

namespace {
    // A label or help of the table, translated.
    QString settingText(const char* text)
    {
        return QCoreApplication::translate(msup::TrainSetting::kTrContext, text);
    }
} // namespace

void SettingsForm::bindChoices(const msup::TrainSetting& s, QComboBox* combo)
{
    const QString key = s.key;
    const bool free = s.type == msup::SettingType::Text;
    combo->clear();
    combo->setEditable(free);
    combo->setInsertPolicy(QComboBox::NoInsert);
    for (int i = 0; i < s.choices.size(); ++i)
        combo->addItem(
            size_t(i) < s.choiceLabels.size() ? settingText(s.choiceLabels[size_t(i)]) : s.choices[i],
            s.choices[i]);
    connect(combo, &QComboBox::currentTextChanged, this, [this, key] { Q_EMIT edited(key); });
    bind(
        key, combo,
        [combo] {
            // A listed choice gives its value (its text may be translated), typed text itself.
            const int i = combo->findText(combo->currentText());
            return QVariant(i >= 0 ? combo->itemData(i).toString() : combo->currentText().trimmed());
        },
        [combo, free](const QVariant& v) {
            const int i = combo->findData(v.toString());
            if (i >= 0)
                combo->setCurrentIndex(i);
            else if (free)
                combo->setCurrentText(v.toString());
        });
}

SettingsForm::Editor SettingsForm::createEditor(const msup::TrainSetting& s, QWidget* parent)
{
    const QString key = s.key;
    const QString tip = settingText(s.help);
    Editor e;
    switch (s.type) {
    case msup::SettingType::Int:
    case msup::SettingType::Seed: {
        auto* spin = new IntSpinBox(parent);
        if (s.type == msup::SettingType::Int)
            spin->setRange(int(s.min), int(s.max));
        else
            spin->setRange(0, std::numeric_limits<int>::max());
        connect(spin, &QSpinBox::valueChanged, this, [this, key] { Q_EMIT edited(key); });
        bind(
            key, spin, [spin] { return QVariant(spin->value()); },
            [spin](const QVariant& v) { spin->setValue(v.toInt()); });
        e.editor = spin;
        break;
    }
    case msup::SettingType::Real: {
        auto* spin = new RealSpinBox(parent);
        spin->setRange(s.min, s.max);
        connect(spin, &QDoubleSpinBox::valueChanged, this, [this, key] { Q_EMIT edited(key); });
        bind(
            key, spin, [spin] { return QVariant(spin->value()); },
            [spin](const QVariant& v) { spin->setValue(v.toDouble()); });
        e.editor = spin;
        break;
    }
    case msup::SettingType::Bool: {
        auto* check = new QCheckBox(settingText(s.label), parent);
        connect(check, &QCheckBox::toggled, this, [this, key] { Q_EMIT edited(key); });
        bind(
            key, check, [check] { return QVariant(check->isChecked()); },
            [check](const QVariant& v) { check->setChecked(v.toBool()); });
        e.editor = check;
        break;
    }
    case msup::SettingType::Choice:
    case msup::SettingType::Text: {
        auto* combo = new QComboBox(parent);
        bindChoices(s, combo);
        e.editor = combo;
        break;
    }
    case msup::SettingType::Path: {
        auto* field = new PathField(PathField::Kind::Folder, settingText(s.label), QString(),
            key + QStringLiteral("BrowseButton"), parent);
        QLineEdit* edit = field->lineEdit();
        edit->setPlaceholderText(QCoreApplication::translate("msup::ui::SettingsForm", "none"));
        connect(edit, &QLineEdit::textChanged, this, [this, key] { Q_EMIT edited(key); });
        bind(
            key, edit, [field] { return QVariant(field->path()); },
            [field](const QVariant& v) { field->setPath(v.toString()); });
        e.field = field;
        e.editor = edit;
        break;
    }
    }
    if (!e.field)
        e.field = e.editor;
    e.editor->setObjectName(key + QStringLiteral("Setting"));
    e.editor->setToolTip(tip);
    return e;
}

QWidget* SettingsForm::editor(const QString& key) const
{
    const auto it = m_bindings.find(key);
    return it == m_bindings.end() ? nullptr : it->widget;
}

QVariant SettingsForm::value(const QString& key) const
{
    const auto it = m_bindings.find(key);
    return it == m_bindings.end() ? QVariant() : it->get();
}

void SettingsForm::setValue(const QString& key, const QVariant& value)
{
    const auto it = m_bindings.find(key);
    if (it != m_bindings.end())
        it->set(value);
}

void SettingsForm::read(msup::TrainConfig& config) const
{
    for (const msup::TrainSetting& s : msup::trainSettings())
        if (const auto it = m_bindings.find(s.key); it != m_bindings.end())
            s.setValue(config, it->get());
}

void SettingsForm::write(const msup::TrainConfig& config)
{
    for (const msup::TrainSetting& s : msup::trainSettings())
        if (const auto it = m_bindings.find(s.key); it != m_bindings.end())
            it->set(s.value(config));
}

namespace {
    // The QSettings keys of versions before the settings table (camelCase, "learningRate").
    QString legacySettingsKey(const QString& key)
    {
        static const QHash<QString, QString> legacy { { QStringLiteral("batch_size"),
                                                          QStringLiteral("batchSize") },
            { QStringLiteral("image_size"), QStringLiteral("imageSize") },
            { QStringLiteral("channels_last"), QStringLiteral("channelsLast") },
            { QStringLiteral("lr"), QStringLiteral("learningRate") },
            { QStringLiteral("hole_ratio"), QStringLiteral("holeRatio") } };
        return legacy.value(key);
    }
} // namespace

void SettingsForm::save(QSettings& settings, const QStringList& keys) const
{
    settings.beginGroup(QStringLiteral("training"));
    for (const QString& key : keys)
        if (const auto it = m_bindings.find(key); it != m_bindings.end())
            settings.setValue(key, it->get());
    settings.endGroup();
}

msup::TrainConfig SettingsForm::restore(const QSettings& settings, const QStringList& keys) const
{
    msup::TrainConfig c;
    for (const QString& key : keys) {
        const msup::TrainSetting* s = msup::findTrainSetting(key);
        if (!s)
            continue;
        QVariant v = settings.value(QStringLiteral("training/") + key);
        const QString legacy = legacySettingsKey(key);
        if (!v.isValid() && !legacy.isEmpty())
            v = settings.value(QStringLiteral("training/") + legacy);
        if (v.isValid())
            s->setValue(c, v);
    }
    return c;
}

} // namespace msup::ui
