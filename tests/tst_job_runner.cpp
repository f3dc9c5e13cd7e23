// JobRunner (ui/job_runner.h): the one way ui/ runs a long job. Results, failures, cancel, joining on
// destruction, a newer job overtaking an older one, parallelFor, the order of progress reports and
// the progress-bar binding.

#include "core/base/progress.h"
#include "ui/job_runner.h"

#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <vector>

using msup::ui::JobRunner;

namespace {

// Waits (in slices, never forever) until `flag` is set; for jobs that must stay busy until the test
// lets them go or cancels them.
void waitFor(const std::atomic_bool& flag, const msup::Progress& progress)
{
    for (int i = 0; i < 3000 && !flag.load() && !progress.isCancelled(); ++i)
        QThread::msleep(5);
}

} // namespace

class TestJobRunner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resultIsDelivered();
    void exceptionBecomesOneFailure();
    void cancelDropsTheResult();
    void cancelCanDeliverAPartialResult();
    void cancelledExceptionMeansCancelled();
    void destructionJoinsARunningThread();
    void newerJobOvertakesTheRunningOne();
    void progressArrivesInOrderBeforeTheEnd();
    void parallelForCoversEveryIndex();
    void parallelForStopsOnCancel();
    void parallelForRethrowsTheFirstError();
    void bindProgressFollowsTheJob();
};

void TestJobRunner::resultIsDelivered()
{
    JobRunner runner;
    QSignalSpy started(&runner, &JobRunner::started);
    QSignalSpy finished(&runner, &JobRunner::finished);
    QSignalSpy failed(&runner, &JobRunner::failed);
    QVector<int> results;
    QThread* jobThread = nullptr;
    runner.start<int>(
        [&jobThread](msup::Progress&) {
            jobThread = QThread::currentThread();
            return 42;
        },
        [&results](int r) { results << r; });
    QCOMPARE(started.count(), 1);
    QVERIFY(runner.isRunning());
    QTRY_COMPARE(results, QVector<int>({ 42 }));
    QCOMPARE(finished.count(), 1);
    QCOMPARE(failed.count(), 0);
    QVERIFY(!runner.isRunning());
    QVERIFY(jobThread != QThread::currentThread()); // off the GUI thread
    QVERIFY(runner.waitForThreads(10000));
}

void TestJobRunner::exceptionBecomesOneFailure()
{
    JobRunner runner;
    QSignalSpy failed(&runner, &JobRunner::failed);
    QSignalSpy finished(&runner, &JobRunner::finished);
    QSignalSpy cancelled(&runner, &JobRunner::cancelled);
    int results = 0;
    runner.start<int>([](msup::Progress&) -> int { throw std::runtime_error("the disk is full"); },
        [&results](int) { ++results; });
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.first().first().toString(), QStringLiteral("the disk is full"));
    QTest::qWait(50);
    QCOMPARE(failed.count(), 1);
    QCOMPARE(results, 0);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(cancelled.count(), 0);
    QVERIFY(!runner.isRunning());

    // Anything thrown, not only std::exception, ends as a failure with a message.
    runner.start<int>([](msup::Progress&) -> int { throw 7; }, [&results](int) { ++results; });
    QTRY_COMPARE(failed.count(), 2);
    QVERIFY(!failed.last().first().toString().isEmpty());
    QCOMPARE(results, 0);
}

void TestJobRunner::cancelDropsTheResult()
{
    JobRunner runner;
    QSignalSpy cancelled(&runner, &JobRunner::cancelled);
    QSignalSpy finished(&runner, &JobRunner::finished);
    QSignalSpy failed(&runner, &JobRunner::failed);
    std::atomic_bool running { false };
    const std::atomic_bool never { false };
    int results = 0;
    runner.start<int>(
        [&](msup::Progress& progress) {
            running = true;
            waitFor(never, progress);
            return progress.isCancelled() ? 1 : 0;
        },
        [&results](int) { ++results; });
    QTRY_VERIFY(running.load());
    QVERIFY(!runner.isCancelRequested());
    runner.cancel();
    QVERIFY(runner.isCancelRequested());
    QTRY_COMPARE(cancelled.count(), 1);
    QCOMPARE(results, 0);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(failed.count(), 0);
    QVERIFY(!runner.isRunning());
    runner.cancel(); // idle: nothing happens
    QTest::qWait(20);
    QCOMPARE(cancelled.count(), 1);

    // A DropResult job that throws once cancelled (the core's way of stopping) is cancelled too.
    runner.start<int>(
        [&](msup::Progress& progress) -> int {
            waitFor(never, progress);
            throw std::runtime_error("evaluation cancelled");
        },
        [&results](int) { ++results; });
    runner.cancel();
    QTRY_COMPARE(cancelled.count(), 2);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(results, 0);
}

void TestJobRunner::cancelCanDeliverAPartialResult()
{
    JobRunner runner;
    QSignalSpy cancelled(&runner, &JobRunner::cancelled);
    QSignalSpy failed(&runner, &JobRunner::failed);
    std::atomic_bool running { false };
    const std::atomic_bool never { false };
    QVector<int> results;
    runner.start<int>(
        [&](msup::Progress& progress) {
            running = true;
            waitFor(never, progress);
            return 3; // the items done before the cancel
        },
        [&results](int r) { results << r; }, JobRunner::OnCancel::DeliverResult);
    QTRY_VERIFY(running.load());
    runner.cancel();
    QTRY_COMPARE(results, QVector<int>({ 3 }));
    QCOMPARE(cancelled.count(), 0);

    // An exception of a DeliverResult job stays a failure, cancelled or not.
    runner.start<int>(
        [&](msup::Progress& progress) -> int {
            waitFor(never, progress);
            throw std::runtime_error("loading the mask folder was cancelled");
        },
        [&results](int r) { results << r; }, JobRunner::OnCancel::DeliverResult);
    runner.cancel();
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.first().first().toString(), QStringLiteral("loading the mask folder was cancelled"));
    QCOMPARE(results.size(), 1);
    QCOMPARE(cancelled.count(), 0);
}

void TestJobRunner::cancelledExceptionMeansCancelled()
{
    JobRunner runner;
    QSignalSpy cancelled(&runner, &JobRunner::cancelled);
    QSignalSpy failed(&runner, &JobRunner::failed);
    int results = 0;
    runner.start<int>([](msup::Progress&) -> int { throw msup::Cancelled(); }, [&results](int) { ++results; },
        JobRunner::OnCancel::DeliverResult);
    QTRY_COMPARE(cancelled.count(), 1);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(results, 0);
}

void TestJobRunner::destructionJoinsARunningThread()
{
    std::atomic_bool running { false };
    std::atomic_bool ended { false };
    const std::atomic_bool never { false };
    int results = 0;
    auto* runner = new JobRunner;
    runner->start<int>(
        [&](msup::Progress& progress) {
            running = true;
            waitFor(never, progress);
            QThread::msleep(50); // still busy after the cancel: the destructor must wait
            ended = true;
            return 1;
        },
        [&results](int) { ++results; });
    QTRY_VERIFY(running.load());
    delete runner; // cancels and joins
    QVERIFY(ended.load());
    QTest::qWait(20);
    QCOMPARE(results, 0);
}

void TestJobRunner::newerJobOvertakesTheRunningOne()
{
    JobRunner runner;
    QSignalSpy cancelled(&runner, &JobRunner::cancelled);
    QSignalSpy progress(&runner, &JobRunner::progress);
    std::atomic_bool firstRunning { false };
    std::atomic_bool firstCancelled { false };
    const std::atomic_bool never { false };
    QVector<int> results;
    runner.start<int>(
        [&](msup::Progress& p) {
            firstRunning = true;
            waitFor(never, p);
            firstCancelled = p.isCancelled();
            p.report(1, 1, "first"); // overtaken: never shown
            return 1;
        },
        [&results](int r) { results << r; });
    QTRY_VERIFY(firstRunning.load());
    runner.start<int>(
        [](msup::Progress& p) {
            p.report(1, 2, "second");
            return 2;
        },
        [&results](int r) { results << r; });
    QTRY_COMPARE(results, QVector<int>({ 2 }));
    QVERIFY(runner.waitForThreads(10000));
    QVERIFY(firstCancelled.load());
    QTest::qWait(20);
    QCOMPARE(results, QVector<int>({ 2 }));
    QCOMPARE(cancelled.count(), 0); // the overtaken job ends quietly
    for (const QList<QVariant>& report : std::as_const(progress))
        QCOMPARE(report.at(2).toString(), QStringLiteral("second"));
}

void TestJobRunner::progressArrivesInOrderBeforeTheEnd()
{
    JobRunner runner;
    QStringList events;
    QVector<int> dones;
    connect(&runner, &JobRunner::started, this, [&events] { events << QStringLiteral("started"); });
    connect(&runner, &JobRunner::progress, this, [&](int done, int total, const QString& text) {
        QCOMPARE(total, 500);
        QCOMPARE(text, QStringLiteral("item %1").arg(done));
        dones << done;
        if (events.isEmpty() || events.last() != QLatin1String("progress"))
            events << QStringLiteral("progress");
    });
    connect(&runner, &JobRunner::finished, this, [&events] { events << QStringLiteral("finished"); });
    runner.start<int>(
        [](msup::Progress& p) {
            for (int i = 0; i <= 500; ++i)
                p.report(i, 500, "item " + std::to_string(i));
            return 0;
        },
        [&events](int) { events << QStringLiteral("result"); });
    QTRY_VERIFY(events.contains(QStringLiteral("result")));
    QCOMPARE(events,
        QStringList({ QStringLiteral("started"), QStringLiteral("progress"), QStringLiteral("finished"),
            QStringLiteral("result") }));
    QVERIFY(!dones.isEmpty());
    QVERIFY(std::is_sorted(dones.cbegin(), dones.cend()));
    QCOMPARE(dones.last(), 500); // the last report always arrives
}

void TestJobRunner::parallelForCoversEveryIndex()
{
    const int count = 1000;
    std::vector<std::atomic_int> hits(count);
    QVector<int> reports;
    msup::FunctionProgress progress([&reports](int done, int total, const std::string&) {
        QCOMPARE(total, count);
        reports << done;
    });
    JobRunner::parallelFor(
        count, [&hits](int i) { ++hits[size_t(i)]; }, progress, 4);
    for (int i = 0; i < count; ++i)
        QCOMPARE(hits[size_t(i)].load(), 1);
    QCOMPARE(reports.size(), count);
    QVERIFY(std::is_sorted(reports.cbegin(), reports.cend()));
    QCOMPARE(reports.last(), count);

    JobRunner::parallelFor(
        0, [](int) { QFAIL("no item"); }, progress);
}

void TestJobRunner::parallelForStopsOnCancel()
{
    const int count = 10000;
    std::atomic_int calls { 0 };
    std::atomic_bool cancel { false };
    msup::FunctionProgress progress(
        [&cancel](int done, int, const std::string&) {
            if (done >= 20)
                cancel = true;
        },
        &cancel);
    JobRunner::parallelFor(
        count,
        [&calls](int) {
            ++calls;
            QThread::usleep(200);
        },
        progress, 4);
    QVERIFY(calls.load() >= 20);
    QVERIFY2(calls.load() < count, qPrintable(QString::number(calls.load())));
}

void TestJobRunner::parallelForRethrowsTheFirstError()
{
    std::atomic_int calls { 0 };
    QVERIFY_THROWS_EXCEPTION(std::runtime_error,
        JobRunner::parallelFor(
            1000,
            [&calls](int i) {
                ++calls;
                if (i == 10)
                    throw std::runtime_error("bad item");
                QThread::msleep(1); // long enough for the others to see the stop
            },
            msup::noProgress(), 3));
    QVERIFY(calls.load() < 1000); // the others stop
}

void TestJobRunner::bindProgressFollowsTheJob()
{
    JobRunner runner;
    QProgressBar bar;
    QPushButton cancelButton;
    bar.hide();
    cancelButton.hide();
    msup::ui::bindProgress(&runner, &bar, &cancelButton);
    const std::atomic_bool release { false };
    runner.start<int>(
        [&](msup::Progress& p) {
            p.report(3, 10);
            waitFor(release, p);
            return 0;
        },
        {});
    QVERIFY(!bar.isHidden());
    QVERIFY(!cancelButton.isHidden());
    QTRY_COMPARE(bar.value(), 3);
    QCOMPARE(bar.maximum(), 10);
    QTest::mouseClick(&cancelButton, Qt::LeftButton);
    QVERIFY(runner.isCancelRequested());
    QVERIFY(!cancelButton.isEnabled());
    QTRY_VERIFY(!runner.isRunning());
    QVERIFY(bar.isHidden());
    QVERIFY(cancelButton.isHidden());

    // The next job shows them again, the button enabled.
    runner.start<int>([](msup::Progress&) { return 0; }, {});
    QVERIFY(!bar.isHidden());
    QVERIFY(cancelButton.isEnabled());
    QTRY_VERIFY(bar.isHidden());
}

QTEST_MAIN(TestJobRunner)
#include "tst_job_runner.moc"
