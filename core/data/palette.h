#pragma once

#include <QColor>
#include <QVector>

namespace msup {

// The PASCAL VOC colour map (bit interleaving): class i keeps its colour whatever the class count,
// black for class 0. NYUDv2 palette PNGs use it.
QVector<QColor> vocPalette(int classCount);

// Default class colours: the VOC map, except that a binary task's foreground gets a colour that
// stands out on any tissue.
QVector<QColor> defaultPalette(int classCount);

} // namespace msup
