#include "tests/support/errors.h"

#include "core/base/error.h"

#include <exception>

namespace msup::test {

bool throwsErrorMentioning(const std::function<void()>& f, const QString& mention, QString* message)
{
    try {
        f();
    } catch (const Error& e) {
        *message = QString::fromStdString(e.what());
        return message->contains(mention);
    } catch (const std::exception& e) {
        *message = QStringLiteral("not a msup::Error: ") + QString::fromStdString(e.what());
        return false;
    }
    *message = QStringLiteral("no error was raised");
    return false;
}

} // namespace msup::test
