#pragma once

#include <QColor>
#include <QVector>

namespace msup {

// A distinct colour per class: black background then well-separated hues (PASCAL VOC-style bit
// interleaving), so class i keeps its colour whatever the class count.
QVector<QColor> defaultPalette(int classCount);

} // namespace msup
