#pragma once

#include "core/data/dataset.h"
#include "core/data/synth.h"

#include <QDialog>

class QComboBox;
class QSpinBox;

namespace msup {
namespace ui {

    class PathField;

    // Asks for the options of a procedural sample dataset (gland-like tissue or multi-class scenes).
    class SampleDatasetDialog : public QDialog {
        Q_OBJECT
    public:
        explicit SampleDatasetDialog(QWidget* parent = nullptr);

        msup::SynthOptions options() const;
        void setOptions(const msup::SynthOptions& options);

        void accept() override;

    private:
        void suggestFolder();

        QComboBox* m_kindCombo = nullptr;
        QSpinBox* m_countSpin = nullptr;
        QSpinBox* m_sizeSpin = nullptr;
        QSpinBox* m_seedSpin = nullptr;
        PathField* m_folderField = nullptr;
        bool m_folderEdited = false;
    };

    // Where the first-start sample lives: <AppDataLocation>/sample-glands.
    QString defaultSampleDatasetDir();
    // The format as shown to the user: "built-in glands sample (Kvasir-SEG layout)" for the
    // first-start sample (written in the Kvasir-SEG layout), else the format's name.
    QString datasetFormatText(const msup::Dataset& dataset);

} // namespace ui
} // namespace msup
