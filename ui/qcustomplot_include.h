#pragma once
// QCustomPlot's header uses Qt's bare keywords, which QT_NO_KEYWORDS disables for every target of
// this project: map them to the Q_ forms for this header only. Include this, never qcustomplot.h.

#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
