#include "ui/inference_options_box.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSettings>
#include <QVBoxLayout>

#include <algorithm>

namespace msup::ui {

InferenceOptionsBox::InferenceOptionsBox(
    const QString& settingsGroup, Qt::Orientation orientation, QWidget* parent)
    : QWidget(parent)
    , m_group(settingsGroup)
{
    setObjectName(QStringLiteral("inferenceOptions"));
    QBoxLayout* column = orientation == Qt::Vertical ? static_cast<QBoxLayout*>(new QVBoxLayout(this))
                                                     : static_cast<QBoxLayout*>(new QHBoxLayout(this));
    column->setContentsMargins(0, 0, 0, 0);
    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("inferenceModeCombo"));
    m_mode->addItem(tr("Resize to the training size"), int(InferenceOptions::Mode::Resize));
    m_mode->addItem(tr("Tiles at native resolution"), int(InferenceOptions::Mode::Tiles));
    m_mode->setToolTip(tr("Resize: the whole image is resized to the size the network was trained at, and "
                          "the labels back. Tiles: the image (times the scale) is segmented in overlapping "
                          "tiles of the training size, blended smoothly: finer detail, slower."));
    column->addWidget(m_mode);

    auto* tiles = new QHBoxLayout;
    m_scaleLabel = new QLabel(tr("Scale:"), this);
    m_scale = new QDoubleSpinBox(this);
    m_scale->setObjectName(QStringLiteral("inferenceScaleSpin"));
    m_scale->setRange(InferenceOptions::kMinScale, InferenceOptions::kMaxScale);
    m_scale->setDecimals(2);
    m_scale->setSingleStep(0.05);
    m_scale->setSuffix(QStringLiteral("×"));
    m_scale->setToolTip(tr("The image is scaled by this before tiling (1 = native resolution)."));
    m_scaleLabel->setBuddy(m_scale);
    m_overlapLabel = new QLabel(tr("Overlap:"), this);
    m_overlap = new QDoubleSpinBox(this);
    m_overlap->setObjectName(QStringLiteral("inferenceOverlapSpin"));
    m_overlap->setRange(0, InferenceOptions::kMaxOverlap);
    m_overlap->setDecimals(2);
    m_overlap->setSingleStep(0.05);
    m_overlap->setToolTip(tr("The share of a tile's side that its neighbour covers again."));
    m_overlapLabel->setBuddy(m_overlap);
    tiles->addWidget(m_scaleLabel);
    tiles->addWidget(m_scale);
    tiles->addWidget(m_overlapLabel);
    tiles->addWidget(m_overlap);
    if (orientation == Qt::Vertical)
        tiles->addStretch(1);
    column->addLayout(tiles);

    m_tta = new QCheckBox(tr("Flip TTA (average 4 flipped passes)"), this);
    m_tta->setObjectName(QStringLiteral("inferenceTtaCheck"));
    m_tta->setToolTip(tr("Test-time augmentation: the image and its horizontal, vertical and double flips "
                         "are predicted and the probabilities averaged (4× the time). The uncertainty then "
                         "shows where the passes disagree."));
    column->addWidget(m_tta);
    if (orientation == Qt::Horizontal)
        column->addStretch(1);

    setOptions(InferenceOptions());
    connect(m_mode, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        updateEnabled();
        Q_EMIT changed();
    });
    for (QDoubleSpinBox* box : { m_scale, m_overlap })
        connect(box, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &InferenceOptionsBox::changed);
    connect(m_tta, &QCheckBox::toggled, this, &InferenceOptionsBox::changed);
}

InferenceOptions InferenceOptionsBox::options() const
{
    InferenceOptions o;
    o.mode = InferenceOptions::Mode(m_mode->currentData().toInt());
    o.scale = m_scale->value();
    o.overlap = m_overlap->value();
    o.flipTta = m_tta->isChecked();
    return o;
}

void InferenceOptionsBox::setOptions(const InferenceOptions& o)
{
    const QSignalBlocker blockMode(m_mode), blockScale(m_scale), blockOverlap(m_overlap), blockTta(m_tta);
    m_mode->setCurrentIndex(m_mode->findData(int(o.mode)));
    m_scale->setValue(o.scale);
    m_overlap->setValue(o.overlap);
    m_tta->setChecked(o.flipTta);
    updateEnabled();
}

void InferenceOptionsBox::updateEnabled()
{
    const bool tiles = m_mode->currentData().toInt() == int(InferenceOptions::Mode::Tiles);
    for (QWidget* w : std::initializer_list<QWidget*> { m_scaleLabel, m_scale, m_overlapLabel, m_overlap })
        w->setEnabled(tiles);
}

void InferenceOptionsBox::loadSettings()
{
    const QSettings s;
    InferenceOptions o;
    InferenceOptions::modeFromName(s.value(m_group + QStringLiteral("/inference")).toString(), &o.mode);
    o.scale = std::clamp(s.value(m_group + QStringLiteral("/scale"), 1.0).toDouble(),
        InferenceOptions::kMinScale, InferenceOptions::kMaxScale);
    o.overlap = std::clamp(
        s.value(m_group + QStringLiteral("/overlap"), 0.5).toDouble(), 0.0, InferenceOptions::kMaxOverlap);
    o.flipTta = s.value(m_group + QStringLiteral("/tta")).toString() == QLatin1String("flip");
    setOptions(o);
}

void InferenceOptionsBox::saveSettings() const
{
    QSettings s;
    const InferenceOptions o = options();
    s.setValue(m_group + QStringLiteral("/inference"), InferenceOptions::modeName(o.mode));
    s.setValue(m_group + QStringLiteral("/scale"), o.scale);
    s.setValue(m_group + QStringLiteral("/overlap"), o.overlap);
    s.setValue(m_group + QStringLiteral("/tta"), o.flipTta ? QStringLiteral("flip") : QStringLiteral("none"));
}

} // namespace msup::ui
