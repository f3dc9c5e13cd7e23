#include "ui/chart_legend.h"

#include "ui/qcustomplot_include.h"

#include <algorithm>

namespace msup {
namespace ui {

    namespace {
        const char* const kMaxColumns = "msupLegendColumns";

        void updateLegend(QCustomPlot* plot)
        {
            // Entries a line: as many of the widest as fit in the chart, never clipped.
            QCPLegend* legend = plot->legend;
            int widest = 1;
            for (int i = 0; i < legend->itemCount(); ++i)
                if (const QCPLayoutElement* item = legend->item(i)) // (an empty cell of the grid: null)
                    widest = std::max(widest, item->minimumOuterSizeHint().width());
            const int room = plot->width() - legend->margins().left() - legend->margins().right();
            const int fit
                = std::max(1, (room + legend->columnSpacing()) / (widest + legend->columnSpacing()));
            const int columns = std::min(fit, std::max(1, legend->property(kMaxColumns).toInt()));
            if (legend->wrap() != columns || legend->fillOrder() != QCPLayoutGrid::foColumnsFirst) {
                legend->setWrap(columns);
                legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
            }

            bool any = false;
            for (int i = 0; i < plot->legend->itemCount() && !any; ++i) {
                auto* item = qobject_cast<QCPPlottableLegendItem*>(plot->legend->item(i));
                if (!item)
                    continue;
                QCPPlottableInterface1D* data = item->plottable()->interface1D();
                any = !data || data->dataCount() > 0;
            }
            plot->legend->setVisible(any);
        }
    } // namespace

    void placeLegendBelowPlot(QCustomPlot* plot, int columns)
    {
        QCPLegend* legend = plot->legend;
        plot->axisRect()->insetLayout()->take(legend);
        plot->axisRect()->insetLayout()->simplify();
        QCPLayoutGrid* grid = plot->plotLayout();
        const int row = grid->rowCount();
        grid->addElement(row, 0, legend);
        grid->setRowStretchFactor(row, 0.001); // as tall as its entries, the plot takes the rest
        legend->setMargins(QMargins(4, 2, 4, 2));
        legend->setProperty(kMaxColumns, columns);
        QObject::connect(plot, &QCustomPlot::beforeReplot, plot, [plot] { updateLegend(plot); });
        updateLegend(plot);
    }

} // namespace ui
} // namespace msup
