#pragma once
// Test support: checking that a call fails with msup::Error and says the right thing.

#include <QString>

#include <functional>

namespace msup::test {

// True when `f` throws msup::Error whose message contains `mention`. `message` gets the message,
// "no error was raised" or the other exception's text, for QVERIFY2:
//     QString m;
//     QVERIFY2(throwsErrorMentioning([&] { load(path); }, path, &m), qPrintable(m));
bool throwsErrorMentioning(const std::function<void()>& f, const QString& mention, QString* message);

} // namespace msup::test
