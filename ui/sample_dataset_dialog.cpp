#include "ui/sample_dataset_dialog.h"

#include "ui/path_field.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <limits>

namespace msup {
namespace ui {

    QString defaultSampleDatasetDir()
    {
        return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
            .filePath(QStringLiteral("sample-glands"));
    }

    QString datasetFormatText(const msup::Dataset& dataset)
    {
        if (QDir::cleanPath(dataset.root) == QDir::cleanPath(defaultSampleDatasetDir()))
            return SampleDatasetDialog::tr("built-in glands sample (Kvasir-SEG layout)");
        return msup::formatName(dataset.format);
    }

    SampleDatasetDialog::SampleDatasetDialog(QWidget* parent)
        : QDialog(parent)
    {
        setWindowTitle(tr("Generate sample dataset"));
        auto* layout = new QVBoxLayout(this);
        auto* intro = new QLabel(tr("Writes a small procedural dataset you can train on right away. "
                                    "The same options always give the same files."),
            this);
        intro->setWordWrap(true);
        layout->addWidget(intro);

        auto* form = new QFormLayout;
        m_kindCombo = new QComboBox(this);
        m_kindCombo->setObjectName(QStringLiteral("sampleKindCombo"));
        m_kindCombo->addItem(
            tr("Glands (binary, Kvasir-SEG layout)"), static_cast<int>(msup::SynthKind::Glands));
        m_kindCombo->addItem(
            tr("Scenes (6 classes, NYUDv2 RefineNet layout)"), static_cast<int>(msup::SynthKind::Scenes));
        connect(m_kindCombo, &QComboBox::currentIndexChanged, this, &SampleDatasetDialog::suggestFolder);
        form->addRow(tr("&Kind:"), m_kindCombo);

        m_countSpin = new QSpinBox(this);
        m_countSpin->setObjectName(QStringLiteral("sampleCountSpin"));
        m_countSpin->setRange(2, 100000);
        m_countSpin->setValue(24);
        form->addRow(tr("&Images:"), m_countSpin);

        m_sizeSpin = new QSpinBox(this);
        m_sizeSpin->setObjectName(QStringLiteral("sampleSizeSpin"));
        m_sizeSpin->setRange(32, 4096);
        m_sizeSpin->setValue(256);
        m_sizeSpin->setSuffix(tr(" px"));
        form->addRow(tr("Image &size:"), m_sizeSpin);

        m_seedSpin = new QSpinBox(this);
        m_seedSpin->setObjectName(QStringLiteral("sampleSeedSpin"));
        m_seedSpin->setRange(0, std::numeric_limits<int>::max());
        m_seedSpin->setValue(1);
        form->addRow(tr("S&eed:"), m_seedSpin);

        m_folderField = new PathField(PathField::Kind::Folder, tr("Folder for the sample dataset"),
            QStringLiteral("sampleFolderEdit"), QStringLiteral("sampleFolderBrowseButton"), this);
        connect(m_folderField->lineEdit(), &QLineEdit::textEdited, this, [this] { m_folderEdited = true; });
        connect(m_folderField, &PathField::chosen, this, [this] { m_folderEdited = true; });
        auto* folderLabel = new QLabel(tr("&Folder:"), this);
        folderLabel->setBuddy(m_folderField->lineEdit());
        form->addRow(folderLabel, m_folderField);
        layout->addLayout(form);

        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
        buttons->button(QDialogButtonBox::Ok)->setText(tr("Generate"));
        connect(buttons, &QDialogButtonBox::accepted, this, &SampleDatasetDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, this, &SampleDatasetDialog::reject);
        layout->addWidget(buttons);

        suggestFolder();
        resize(520, sizeHint().height());
    }

    void SampleDatasetDialog::suggestFolder()
    {
        if (m_folderEdited)
            return;
        const bool glands = m_kindCombo->currentData().toInt() == static_cast<int>(msup::SynthKind::Glands);
        const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        m_folderField->setPath(
            QDir(base).filePath(glands ? QStringLiteral("sample-glands") : QStringLiteral("sample-scenes")));
    }

    msup::SynthOptions SampleDatasetDialog::options() const
    {
        msup::SynthOptions options;
        options.kind = static_cast<msup::SynthKind>(m_kindCombo->currentData().toInt());
        options.count = m_countSpin->value();
        options.size = m_sizeSpin->value();
        options.seed = static_cast<std::uint64_t>(m_seedSpin->value());
        options.outDir = QDir::cleanPath(m_folderField->path());
        return options;
    }

    void SampleDatasetDialog::setOptions(const msup::SynthOptions& options)
    {
        m_kindCombo->setCurrentIndex(m_kindCombo->findData(static_cast<int>(options.kind)));
        m_countSpin->setValue(options.count);
        m_sizeSpin->setValue(options.size);
        m_seedSpin->setValue(int(options.seed));
        if (!options.outDir.isEmpty()) {
            m_folderField->setPath(options.outDir);
            m_folderEdited = true;
        }
    }

    void SampleDatasetDialog::accept()
    {
        const QString folder = m_folderField->lineEdit()->text().trimmed();
        if (folder.isEmpty()) {
            QMessageBox::warning(this, windowTitle(), tr("Choose a folder for the dataset."));
            return;
        }
        const QDir dir(folder);
        if (dir.exists() && !dir.entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty()) {
            const auto answer = QMessageBox::question(this, windowTitle(),
                tr("The folder “%1” is not empty. Files with the same names will be replaced. "
                   "Continue?")
                    .arg(folder));
            if (answer != QMessageBox::Yes)
                return;
        }
        QDialog::accept();
    }

} // namespace ui
} // namespace msup
