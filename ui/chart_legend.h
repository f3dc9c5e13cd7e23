#pragma once

class QCustomPlot;

namespace msup {
namespace ui {

    // Chart legends never cover plotted data: the legend leaves the axis rectangle's inset and
    // takes a row of its own below the plot. Before every replot it is shown only while one of its
    // entries has data (an empty chart shows no empty legend box), with as many entries a line as
    // the chart's width holds, at most `columns`. Call once per chart.
    void placeLegendBelowPlot(QCustomPlot* plot, int columns);

} // namespace ui
} // namespace msup
