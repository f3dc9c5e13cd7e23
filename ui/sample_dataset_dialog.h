#pragma once

#include "core/data/synth.h"

#include <QDialog>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace msup {
namespace ui {

    // Asks for the options of a procedural sample dataset (gland-like tissue or multi-class scenes).
    class SampleDatasetDialog : public QDialog {
        Q_OBJECT
    public:
        explicit SampleDatasetDialog(QWidget* parent = nullptr);

        msup::SynthOptions options() const;
        void setOptions(const msup::SynthOptions& options);

        void accept() override;

    private:
        void browse();
        void suggestFolder();

        QComboBox* m_kindCombo = nullptr;
        QSpinBox* m_countSpin = nullptr;
        QSpinBox* m_sizeSpin = nullptr;
        QSpinBox* m_seedSpin = nullptr;
        QLineEdit* m_folderEdit = nullptr;
        bool m_folderEdited = false;
    };

    // Where the first-start sample lives: <AppDataLocation>/sample-glands.
    QString defaultSampleDatasetDir();

} // namespace ui
} // namespace msup
