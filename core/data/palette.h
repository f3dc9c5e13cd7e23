#pragma once

#include <QColor>
#include <QVector>

namespace msup {

// The PASCAL VOC colour map (bit interleaving): class i keeps its colour whatever the class count,
// black for class 0. NYUDv2 palette PNGs use it.
QVector<QColor> vocPalette(int classCount);

// The foreground colour of binary tasks: a cyan green, the complement of the reds and pinks of
// endoscopy and stained tissue, so that a polyp or a gland stays visible under its overlay.
QColor binaryForegroundColor();

// Default class colours: the VOC map, except that a binary task's foreground gets
// binaryForegroundColor().
QVector<QColor> defaultPalette(int classCount);

} // namespace msup
