#pragma once

#include <QLocale>
#include <QString>

namespace msup {
namespace ui {

    // A number as the user's locale writes it ("0.7039" in English, "0,7039" in French).
    inline QString formatNumber(double value, int decimals)
    {
        return QLocale().toString(value, 'f', decimals);
    }

} // namespace ui
} // namespace msup
