#pragma once

#include <QString>

namespace msup {

// One CSV field (RFC 4180): quoted, with inner quotes doubled, when it holds a comma, a quote or a
// line break; as it is otherwise. Every CSV the project writes goes through this.
inline QString csvField(const QString& text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"'))
        && !text.contains(QLatin1Char('\n')))
        return text;
    return QLatin1Char('"') + QString(text).replace(QLatin1Char('"'), QStringLiteral("\"\""))
        + QLatin1Char('"');
}

} // namespace msup
