#pragma once
// The training form's fields bound to the rows of the training settings table
// (core/train/train_settings.h): a hand-made widget is bound with its getter and setter, every other
// row gets an editor generated from its type (a spin box with the row's range, a combo box with its
// choices, a check box, a path field with Browse…). The panel reads and writes a TrainConfig through
// the bindings, and QSettings under "training/<key>", so that a new table row appears in the form,
// the settings and the project file without code here.

#include "core/train/train_config.h"

#include <QDoubleSpinBox>
#include <QHash>
#include <QObject>
#include <QSpinBox>
#include <QString>
#include <QVariant>

#include <functional>

class QAbstractSpinBox;
class QSettings;
class QComboBox;
class QWidget;

namespace msup {
struct TrainSetting;
}

namespace msup::ui {

// A QDoubleSpinBox that shows and reads numbers in the shortest form ("0.0001", "1e-05"), so that
// rates from 1e-12 to 1e30 fit and round-trip exactly.
class RealSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    explicit RealSpinBox(QWidget* parent = nullptr);
    QString textFromValue(double value) const override;
    double valueFromText(const QString& text) const override;
    QValidator::State validate(QString& text, int& pos) const override;
    QSize sizeHint() const override; // wide enough for "1.2345e-05"
    QSize minimumSizeHint() const override;
};

// A QSpinBox that lets an out-of-range number stand while it is typed (the form then says why it is
// refused; leaving the box restores the last valid value) instead of swallowing the key press.
class IntSpinBox : public QSpinBox {
    Q_OBJECT
public:
    explicit IntSpinBox(QWidget* parent = nullptr);
    QValidator::State validate(QString& text, int& pos) const override;
};

// Keeps the mouse wheel for scrolling a form: its spin boxes and combo boxes take the wheel only once
// focused (clicked or tabbed into), so that scrolling past them never changes a setting.
class WheelGuard : public QObject {
    Q_OBJECT
public:
    // Guards every spin box and combo box under `root`.
    static void install(QWidget* root);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    using QObject::QObject;
};

class SettingsForm : public QObject {
    Q_OBJECT
public:
    explicit SettingsForm(QObject* parent = nullptr);

    // Binds a hand-made widget to the row `key`.
    void bind(const QString& key, QWidget* widget, std::function<QVariant()> get,
        std::function<void(const QVariant&)> set);
    // Binds a combo box to a Choice or Text row: its items are the row's choices, shown with their
    // display labels (translated) and holding their values; a Text row's combo also takes typed text.
    void bindChoices(const msup::TrainSetting& setting, QComboBox* combo);
    // The editor of a row from its type (bound); `field` is what the form layout shows (the path
    // field with its Browse button), `editor` the widget holding the value.
    struct Editor {
        QWidget* field = nullptr;
        QWidget* editor = nullptr;
    };
    Editor createEditor(const msup::TrainSetting& setting, QWidget* parent);

    bool isBound(const QString& key) const { return m_bindings.contains(key); }
    QWidget* editor(const QString& key) const;
    QVariant value(const QString& key) const;
    void setValue(const QString& key, const QVariant& value);
    // Every bound row's value into / from `config`.
    void read(msup::TrainConfig& config) const;
    void write(const msup::TrainConfig& config);
    // "training/<key>" of the rows `keys` (QSettings); restore falls back to the keys of older
    // versions (batchSize, learningRate, ...).
    void save(QSettings& settings, const QStringList& keys) const;
    msup::TrainConfig restore(const QSettings& settings, const QStringList& keys) const;

    // Announces a change of a widget (hand-made widgets call it from their signals).
    void notifyEdited(const QString& key);

Q_SIGNALS:
    void edited(const QString& key);
    // A value typed into a spin box is out of the row's range: the reason, naming the setting.
    void refused(const QString& key, const QString& reason);

private:
    void watchRange(const msup::TrainSetting& setting, QAbstractSpinBox* spin);
    struct Binding {
        QWidget* widget = nullptr;
        std::function<QVariant()> get;
        std::function<void(const QVariant&)> set;
    };
    QHash<QString, Binding> m_bindings;
};

} // namespace msup::ui
