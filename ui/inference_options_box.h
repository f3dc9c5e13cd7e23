#pragma once

#include "core/train/inference_options.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;

namespace msup::ui {

// The inference choices of `masksup predict/evaluate --inference --scale --overlap --tta` as one row
// of widgets: "Resize to the training size" or "Tiles at native resolution" (then scale and
// overlap), and "Flip TTA". Remembers its values under `settingsGroup` in QSettings.
class InferenceOptionsBox : public QWidget {
    Q_OBJECT
public:
    // Vertical: the mode, then scale and overlap, then TTA, one under the other (dialogs);
    // horizontal: all on one row (a panel's tool row).
    InferenceOptionsBox(const QString& settingsGroup, Qt::Orientation orientation, QWidget* parent = nullptr);

    InferenceOptions options() const;
    void setOptions(const InferenceOptions& options);
    void loadSettings();
    void saveSettings() const;

Q_SIGNALS:
    void changed();

private:
    void updateEnabled();
    QString m_group;
    QComboBox* m_mode = nullptr;
    QLabel* m_scaleLabel = nullptr;
    QDoubleSpinBox* m_scale = nullptr;
    QLabel* m_overlapLabel = nullptr;
    QDoubleSpinBox* m_overlap = nullptr;
    QCheckBox* m_tta = nullptr;
};

} // namespace msup::ui
