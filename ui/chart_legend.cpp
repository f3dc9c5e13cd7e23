#include "ui/chart_legend.h"

#include "ui/qcustomplot_include.h"

#include <algorithm>
#include <numeric>

namespace msup {
namespace ui {

    namespace {
        const char* const kMaxColumns = "msupLegendColumns";

        // The legend's row below the plot exists only while it has entries: an empty legend grid
        // would cap the width of the column it shares with the plot (QCustomPlot takes the smallest
        // maximum width in a column, visible or not) and squeeze the empty chart to a sliver.
        void attachBelowPlot(QCustomPlot* plot, bool attach)
        {
            QCPLegend* legend = plot->legend;
            QCPLayoutGrid* grid = plot->plotLayout();
            if ((legend->layout() == grid) == attach)
                return;
            if (attach) {
                const int row = grid->rowCount();
                grid->addElement(row, 0, legend);
                grid->setRowStretchFactor(row, 0.001); // as tall as its entries, the plot takes the rest
            } else {
                grid->take(legend); // still owned by the plot (its QObject parent)
                grid->simplify();
            }
        }

        void updateLegend(QCustomPlot* plot)
        {
            // Entries a line: the most (up to the chart's maximum) whose columns, each as wide as its
            // widest entry, fit in the chart's width, so that no entry is clipped.
            QCPLegend* legend = plot->legend;
            QVector<int> widths;
            for (int i = 0; i < legend->itemCount(); ++i)
                if (const QCPLayoutElement* item = legend->item(i)) // (an empty cell of the grid: null)
                    widths << item->minimumOuterSizeHint().width();
            const int room = plot->width() - legend->margins().left() - legend->margins().right();
            int columns = std::max(1, std::min(int(widths.size()), legend->property(kMaxColumns).toInt()));
            for (; columns > 1; --columns) {
                QVector<int> columnWidths(columns, 0);
                for (int i = 0; i < widths.size(); ++i)
                    columnWidths[i % columns] = std::max(columnWidths[i % columns], widths[i]);
                const int total = std::accumulate(columnWidths.begin(), columnWidths.end(), 0)
                    + legend->columnSpacing() * (columns - 1);
                if (total <= room)
                    break;
            }
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
            attachBelowPlot(plot, any);
        }
    } // namespace

    void placeLegendBelowPlot(QCustomPlot* plot, int columns)
    {
        QCPLegend* legend = plot->legend;
        plot->axisRect()->insetLayout()->take(legend);
        plot->axisRect()->insetLayout()->simplify();
        legend->setMargins(QMargins(4, 2, 4, 2));
        legend->setProperty(kMaxColumns, columns);
        QObject::connect(plot, &QCustomPlot::beforeReplot, plot, [plot] { updateLegend(plot); });
        updateLegend(plot);
    }

} // namespace ui
} // namespace msup
