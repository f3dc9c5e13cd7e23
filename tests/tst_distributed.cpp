// Data-parallel training over c10d with Gloo on loopback (issue 17): shards, gradients equal to one
// process over the union, bit-identical weights on every rank, validation equal to one process,
// only rank 0 writing, stop/pause reaching every rank, a killed rank named, resume across world
// sizes, the torchrun-style environment. Two processes on 2 cores: everything is tiny.
#include "support/files.h"
#include "support/fixtures.h"
#include "support/process.h"

#include "core/dist/data_parallel.h"
#include "core/dist/process_group.h"
#include "core/nn/masksup_loss.h"
#include "core/train/run_folder.h"
#include "core/train/training_session.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include <csignal>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace msup;
using namespace msup::test;

namespace {

// The per-rank CRC-32 lists of "the weights are identical" lines, one per epoch.
QList<QStringList> digestLines(const QString& err)
{
    QList<QStringList> lines;
    static const QRegularExpression re(
        QStringLiteral("identical on the \\d+ processes \\(CRC-32 per rank: ([0-9a-f, ]+)\\)"));
    auto it = re.globalMatch(err);
    while (it.hasNext())
        lines << it.next().captured(1).split(QStringLiteral(", "));
    return lines;
}

// A masksup process whose stderr is read while it runs.
struct Live {
    QProcess p;
    QString err;
    explicit Live(const QStringList& args, const QHash<QString, QString>& env = {})
    {
        if (!env.isEmpty()) {
            QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
            for (auto it = env.begin(); it != env.end(); ++it)
                e.insert(it.key(), it.value());
            p.setProcessEnvironment(e);
        }
        p.start(cliPath(), args);
    }
    // Waits until stderr contains `text` (true) or the process ends / `ms` pass (false).
    bool waitFor(const QString& text, int ms)
    {
        QElapsedTimer t;
        t.start();
        while (!err.contains(text) && t.elapsed() < ms) {
            p.waitForReadyRead(100);
            err += QString::fromLocal8Bit(p.readAllStandardError());
            if (p.state() == QProcess::NotRunning) {
                err += QString::fromLocal8Bit(p.readAllStandardError());
                break;
            }
        }
        return err.contains(text);
    }
    bool finish(int ms)
    {
        const bool ok = p.waitForFinished(ms);
        err += QString::fromLocal8Bit(p.readAllStandardError());
        return ok;
    }
    // The pid of rank 1, from rank 0's "Started ranks 1 to 1 (processes PID, ...)" line.
    qint64 rank1Pid()
    {
        static const QRegularExpression re(QStringLiteral("Started ranks 1 to \\d+ \\(processes (\\d+)"));
        const auto m = re.match(err);
        return m.hasMatch() ? m.captured(1).toLongLong() : -1;
    }
};

// A port nobody listens on now (the kernel's pick for a socket bound to port 0, then closed).
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t n = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
    ::close(fd);
    return ntohs(a.sin_port);
}

QStringList trainArgs(
    const QString& dataset, const QString& out, int epochs, int batch, int size = 32, int width = 4);

// A 2-process run long enough to act on (40 epochs of 120 images in DIR/ds, run folder DIR/run),
// started and followed until its second epoch; `extra`: more flags.
std::unique_ptr<Live> longTwoProcessRun(const QTemporaryDir& dir, const QStringList& extra = {})
{
    const QString ds = writeTinyDataset(dir.filePath(QStringLiteral("ds")), SynthKind::Glands, 120, 48);
    auto live = std::make_unique<Live>(trainArgs(ds, dir.filePath(QStringLiteral("run")), 40, 4, 48, 8)
        << QStringLiteral("--nproc") << QStringLiteral("2") << extra);
    if (!live->waitFor(QStringLiteral("Epoch 2/40"), 120000))
        qWarning("%s", qPrintable(live->err));
    return live;
}

QStringList trainArgs(const QString& dataset, const QString& out, int epochs, int batch, int size, int width)
{
    return { QStringLiteral("train"), QStringLiteral("--dataset"), dataset, QStringLiteral("--out"), out,
        QStringLiteral("--epochs"), QString::number(epochs), QStringLiteral("--batch-size"),
        QString::number(batch), QStringLiteral("--image-size"), QString::number(size),
        QStringLiteral("--width"), QString::number(width), QStringLiteral("--device"), QStringLiteral("cpu"),
        QStringLiteral("--threads"), QStringLiteral("2"), QStringLiteral("--seed"), QStringLiteral("7") };
}

} // namespace

class TestDistributed : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!dist::available())
            QSKIP(dist::unavailableReason().c_str());
        torch::set_num_threads(1);
    }

    // Every image of a batch belongs to exactly one rank; parts differ by at most one image and
    // rank 0's is never empty.
    void shards()
    {
        for (int world = 1; world <= 5; ++world)
            for (int count = 1; count <= 13; ++count) {
                int next = 40, smallest = count, largest = 0;
                for (int r = 0; r < world; ++r) {
                    const Shard s = shardOf(40, count, r, world);
                    QCOMPARE(s.from, next);
                    next += s.count;
                    smallest = std::min(smallest, s.count);
                    largest = std::max(largest, s.count);
                }
                QCOMPARE(next, 40 + count);
                QVERIFY(largest - smallest <= 1);
                QVERIFY(shardOf(40, count, 0, world).count > 0);
            }
    }

    // Acceptance: after the allreduce each rank's gradients equal, to 1e-6 relative, those of one
    // process over the union of the shards (frozen BatchNorm: samples do not interact), with
    // uneven shards (4 + 3 images) and void pixels unevenly spread between them; the ranks' gradients
    // are the same bits; the loss reported is the union's. In float32 the difference is rounding
    // (the sums run in another order); in float64 it shrinks to ~1e-15: the weighting is exact.
    void gradientsEqualOneProcessOverTheUnion_data()
    {
        QTest::addColumn<bool>("float64");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("float32") << false << 1e-6;
        QTest::newRow("float64") << true << 1e-12;
    }
    void gradientsEqualOneProcessOverTheUnion()
    {
        QFETCH(bool, float64);
        QFETCH(double, tolerance);
        const auto type = float64 ? torch::kFloat64 : torch::kFloat32;
        nn::ModelSpec spec;
        spec.outChannels = 1;
        spec.width = 4;
        spec.imageSize = 32;
        auto build = [&] {
            torch::manual_seed(3);
            auto m = nn::createModel(spec);
            m->to(type);
            return m;
        };
        auto single = build();
        std::shared_ptr<nn::SegmentationModelImpl> ranks[2] = { build(), build() };
        torch::manual_seed(5);
        const auto images = torch::randn({ 7, 3, 32, 32 }, type);
        const auto holes = (torch::rand({ 7, 1, 32, 32 }) > 0.7).to(type);
        auto target = torch::randint(0, 2, { 7, 32, 32 }, torch::kInt64);
        target.narrow(0, 0, 2).narrow(1, 0, 20).fill_(255); // void pixels, all in rank 0's share
        const nn::LossWeights weights { 1.0, 0.7, 2.0 };
        nn::StepOptions options;
        options.batchNorm = nn::BatchNormMode::Frozen;

        torch::optim::SGD reference(single->parameters(), torch::optim::SGDOptions(0.0));
        const nn::StepResult whole = nn::maskSupStep(
            *single, reference, images, holes, target, 255, nn::MaskSupMode::MaskSup, weights, {}, options);

        auto host = dist::Rendezvous::host(2, std::chrono::seconds(60));
        dist::Environment env1;
        env1.rank = 1;
        env1.worldSize = 2;
        env1.masterPort = host->port();
        env1.launched = true;
        nn::StepResult results[2];
        std::string failures[2];
        auto rankThread = [&](int r, std::shared_ptr<dist::Rendezvous> rv) {
            try {
                torch::set_num_threads(1);
                dist::Group group(rv, torch::kCPU);
                DataParallel dp(group, *ranks[r], torch::kCPU, weights, false);
                torch::optim::SGD sgd(ranks[r]->parameters(), torch::optim::SGDOptions(0.0));
                const Shard s = shardOf(0, 7, r, 2);
                nn::StepOptions o = options;
                o.sync = &dp;
                dp.beginStep(7, false, false);
                results[r] = nn::maskSupStep(*ranks[r], sgd, images.narrow(0, s.from, s.count),
                    holes.narrow(0, s.from, s.count), target.narrow(0, s.from, s.count), 255,
                    nn::MaskSupMode::MaskSup, weights, {}, o);
                group.barrier();
            } catch (const std::exception& e) {
                failures[r] = e.what();
            }
        };
        std::thread t0(rankThread, 0, host);
        std::thread t1([&] { rankThread(1, dist::Rendezvous::connect(env1, std::chrono::seconds(60))); });
        t0.join();
        t1.join();
        QVERIFY2(failures[0].empty() && failures[1].empty(), (failures[0] + " | " + failures[1]).c_str());

        // Relative to the whole gradient (every parameter): ||g_rank - g|| / ||g||; and per tensor,
        // the largest element difference over the tensor's largest element (printed).
        const auto p = single->parameters();
        const auto p0 = ranks[0]->parameters();
        const auto p1 = ranks[1]->parameters();
        double diff2 = 0, norm2 = 0, worstTensor = 0;
        for (size_t i = 0; i < p.size(); ++i) {
            const auto g = p[i].grad().to(torch::kFloat64);
            const auto gr = p0[i].grad().to(torch::kFloat64);
            QVERIFY(torch::equal(p0[i].grad(), p1[i].grad())); // every rank: the same bits
            diff2 += (gr - g).pow(2).sum().item<double>();
            norm2 += g.pow(2).sum().item<double>();
            const double scale = std::max(1e-300, g.abs().max().item<double>());
            worstTensor = std::max(worstTensor, (gr - g).abs().max().item<double>() / scale);
        }
        const double relative = std::sqrt(diff2 / norm2);
        qInfo("relative gradient difference to one process: %.3g (largest per tensor %.3g)", relative,
            worstTensor);
        QVERIFY2(relative <= tolerance, qPrintable(QString::number(relative)));
        for (const nn::StepResult& r : results) {
            QVERIFY(r.finite);
            QVERIFY(std::abs(r.total - whole.total) <= tolerance * std::abs(whole.total));
            QVERIFY(std::abs(r.seg - whole.seg) <= tolerance * std::abs(whole.seg));
            QVERIFY(std::abs(r.tasksim - whole.tasksim) <= tolerance * std::abs(whole.tasksim) + 1e-15);
        }
    }

    // Acceptance: two ranks end with bit-identical weights (each rank's own digest, compared after
    // every epoch); only rank 0 writes: the run folder holds what a one-process run holds.
    void twoRanksTrainTheSameWeightsAndOnlyRankZeroWrites()
    {
        QTemporaryDir tmp;
        const QString ds = writeTinyDataset(tmp.filePath(QStringLiteral("ds")), SynthKind::Glands, 24, 48);
        const Run two = masksup(trainArgs(ds, tmp.filePath(QStringLiteral("two")), 2, 3)
            << QStringLiteral("--nproc") << QStringLiteral("2"));
        QVERIFY2(two.code == 0, qPrintable(two.err));
        const QList<QStringList> digests = digestLines(two.err);
        QCOMPARE(digests.size(), 2); // epochs 1 and 2
        for (const QStringList& d : digests) {
            QCOMPARE(d.size(), 2);
            QCOMPARE(d[1], d[0]);
        }
        const Run one = masksup(trainArgs(ds, tmp.filePath(QStringLiteral("one")), 2, 6));
        QVERIFY2(one.code == 0, qPrintable(one.err));
        const QStringList files = filesIn(tmp.filePath(QStringLiteral("two")));
        qInfo("files after a 2-process run: %s", qPrintable(files.join(QStringLiteral(" "))));
        QCOMPARE(files, filesIn(tmp.filePath(QStringLiteral("one"))));
        const QJsonObject config = RunFolder(tmp.filePath(QStringLiteral("two"))).readConfig();
        QCOMPARE(config.value(QStringLiteral("world_size")).toInt(), 2);
        QCOMPARE(config.value(QStringLiteral("backend")).toString(), QStringLiteral("gloo"));
        QCOMPARE(config.value(QStringLiteral("global_batch")).toInt(), 6);
        // The Masks tab's batch preview shows a whole step: the images one process with batch 6 takes.
        const QStringList step = previewTrainingBatch(TrainConfig::fromJson(config), 1, 2).ids;
        QCOMPARE(step.size(), 6);
        const QJsonObject oneConfig = RunFolder(tmp.filePath(QStringLiteral("one"))).readConfig();
        QCOMPARE(previewTrainingBatch(TrainConfig::fromJson(oneConfig), 1, 2).ids, step);
        // The checkpoints load in a single process.
        const Run eval = masksup({ QStringLiteral("evaluate"), QStringLiteral("--checkpoint"),
            tmp.filePath(QStringLiteral("two/checkpoints/best.pt")), QStringLiteral("--dataset"), ds });
        QVERIFY2(eval.code == 0, qPrintable(eval.err));
    }

    // The torchrun/Slurm way (two shells): each process gets the variables and the same command;
    // rank 1 is given another run folder, which it must never create (it writes nothing).
    void environmentGroupWritesOnlyOnRankZero()
    {
        QTemporaryDir tmp;
        const QString ds = writeTinyDataset(tmp.filePath(QStringLiteral("ds")), SynthKind::Glands, 16, 48);
        const QString port = QString::number(freePort());
        auto env = [&](int rank) {
            return QHash<QString, QString> { { QStringLiteral("WORLD_SIZE"), QStringLiteral("2") },
                { QStringLiteral("RANK"), QString::number(rank) },
                { QStringLiteral("LOCAL_RANK"), QString::number(rank) },
                { QStringLiteral("MASTER_ADDR"), QStringLiteral("127.0.0.1") },
                { QStringLiteral("MASTER_PORT"), port } };
        };
        Live rank0(trainArgs(ds, tmp.filePath(QStringLiteral("run")), 1, 3), env(0));
        Live rank1(trainArgs(ds, tmp.filePath(QStringLiteral("not-written")), 1, 3), env(1));
        QVERIFY(rank0.finish(120000));
        QVERIFY(rank1.finish(120000));
        QVERIFY2(rank0.p.exitCode() == 0, qPrintable(rank0.err));
        QVERIFY2(rank1.p.exitCode() == 0, qPrintable(rank1.err));
        QVERIFY(QFileInfo::exists(tmp.filePath(QStringLiteral("run/checkpoints/last.pt"))));
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("not-written"))));
        QVERIFY(rank1.p.readAllStandardOutput().isEmpty()); // ranks > 0 print nothing on stdout
        QCOMPARE(digestLines(rank0.err).size(), 1);
    }

    // Acceptance: a 2-rank validation equals the 1-process one exactly (every image's confusion
    // cells and the matrix). A learning rate of 1e-12 with frozen BatchNorm leaves the weights
    // as initialised, so both runs validate the same network.
    void validationEqualsOneProcess()
    {
        QTemporaryDir tmp;
        const QString ds = writeTinyDataset(tmp.filePath(QStringLiteral("ds")), SynthKind::Scenes, 30, 48);
        const QStringList common { QStringLiteral("--lr"), QStringLiteral("1e-12"),
            QStringLiteral("--batch-norm"), QStringLiteral("frozen"), QStringLiteral("--val-fraction"),
            QStringLiteral("0.4") };
        const Run two = masksup(trainArgs(ds, tmp.filePath(QStringLiteral("two")), 1, 2)
            << common << QStringLiteral("--nproc") << QStringLiteral("2"));
        QVERIFY2(two.code == 0, qPrintable(two.err));
        const Run one = masksup(trainArgs(ds, tmp.filePath(QStringLiteral("one")), 1, 4) << common);
        QVERIFY2(one.code == 0, qPrintable(one.err));
        const QJsonObject a = jsonLines(tmp.filePath(QStringLiteral("two/metrics.jsonl"))).first();
        const QJsonObject b = jsonLines(tmp.filePath(QStringLiteral("one/metrics.jsonl"))).first();
        QVERIFY(a.value(QStringLiteral("confusion")).toArray().size() == 36);
        QCOMPARE(a.value(QStringLiteral("confusion")), b.value(QStringLiteral("confusion")));
        QCOMPARE(a.value(QStringLiteral("val_miou")), b.value(QStringLiteral("val_miou")));
        QCOMPARE(readAll(tmp.filePath(QStringLiteral("two/val_errors.json"))),
            readAll(tmp.filePath(QStringLiteral("one/val_errors.json"))));
    }

    // Acceptance: killing one rank mid-epoch makes the other exit non-zero naming it within 60 s,
    // last.pt intact (evaluate works), and the run resumes with one process.
    void killedRankIsNamedAndTheRunResumesAlone()
    {
        QTemporaryDir tmp;
        const QString ds = tmp.filePath(QStringLiteral("ds")), run = tmp.filePath(QStringLiteral("run"));
        const std::unique_ptr<Live> started = longTwoProcessRun(tmp);
        Live& live = *started;
        const qint64 victim = live.rank1Pid();
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(::kill(pid_t(victim), SIGKILL), 0);
        QVERIFY(live.finish(60000));
        qInfo("rank 0 exited %.2f s after rank 1 was killed", clock.elapsed() / 1000.0);
        QVERIFY(clock.elapsed() < 60000);
        QCOMPARE(live.p.exitCode(), 1);
        QVERIFY2(live.err.contains(QStringLiteral("rank 1 stopped")), qPrintable(live.err));
        QVERIFY2(live.err.contains(QStringLiteral("killed by signal 9")), qPrintable(live.err));
        QVERIFY2(live.err.contains(QStringLiteral("--resume")), qPrintable(live.err));
        const Run eval = masksup({ QStringLiteral("evaluate"), QStringLiteral("--checkpoint"),
            run + QStringLiteral("/checkpoints/last.pt"), QStringLiteral("--dataset"), ds });
        QVERIFY2(eval.code == 0, qPrintable(eval.err));
        const Run resumed
            = masksup({ QStringLiteral("train"), QStringLiteral("--resume"), run, QStringLiteral("--nproc"),
                QStringLiteral("1"), QStringLiteral("--epochs"), QStringLiteral("2") });
        QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
        QVERIFY2(resumed.err.contains(
                     QStringLiteral("trained on 2 process(es), it goes on with 1: each step still "
                                    "takes 8 images (8 per process)")),
            qPrintable(resumed.err));
        QCOMPARE(jsonLines(run + QStringLiteral("/metrics.jsonl")).size(), 2);
    }

    // A rank that hangs (SIGSTOP: alive, silent) makes the other stop after --dist-timeout, naming it.
    void hungRankIsNamedAfterTheTimeout()
    {
        QTemporaryDir tmp;
        const std::unique_ptr<Live> started
            = longTwoProcessRun(tmp, { QStringLiteral("--dist-timeout"), QStringLiteral("10") });
        Live& live = *started;
        const qint64 victim = live.rank1Pid();
        QVERIFY2(victim > 0, qPrintable(live.err));
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(::kill(pid_t(victim), SIGSTOP), 0);
        QVERIFY(live.finish(60000));
        qInfo("rank 0 exited %.1f s after rank 1 was stopped (timeout 10 s)", clock.elapsed() / 1000.0);
        QCOMPARE(live.p.exitCode(), 1);
        QVERIFY2(live.err.contains(QStringLiteral("rank 1 stopped answering")), qPrintable(live.err));
        QVERIFY2(live.err.contains(QStringLiteral("timeout of 10 s")), qPrintable(live.err));
        QTRY_VERIFY_WITH_TIMEOUT(::kill(pid_t(victim), 0) != 0, 20000); // not left behind
    }

    // Stop (SIGTERM to rank 0 only, as the GUI's Stop) reaches rank 1 within a batch: both end,
    // last.pt saved mid-epoch; a one-process run stopped mid-epoch resumes on two processes.
    void stopReachesEveryRankAndResumesAcrossWorldSizes()
    {
        QTemporaryDir tmp;
        const QString ds = tmp.filePath(QStringLiteral("ds")), run = tmp.filePath(QStringLiteral("run"));
        const std::unique_ptr<Live> started = longTwoProcessRun(tmp);
        Live& live = *started;
        const qint64 rank1 = live.rank1Pid();
        QVERIFY2(rank1 > 0, qPrintable(live.err));
        live.p.terminate(); // SIGTERM to rank 0 only
        QVERIFY(live.finish(60000));
        QCOMPARE(live.p.exitCode(), 130);
        QTRY_VERIFY_WITH_TIMEOUT(::kill(pid_t(rank1), 0) != 0, 20000); // rank 1 has ended too
        QVERIFY(QFileInfo::exists(run + QStringLiteral("/checkpoints/last.pt")));

        // One process, stopped mid-epoch, continued with two.
        const QString single = tmp.filePath(QStringLiteral("single"));
        Live alone(trainArgs(ds, single, 3, 4, 48, 8));
        QVERIFY2(alone.waitFor(QStringLiteral("Epoch 1/3"), 120000), qPrintable(alone.err));
        QTest::qWait(700);
        alone.p.terminate();
        QVERIFY(alone.finish(60000));
        QCOMPARE(alone.p.exitCode(), 130);
        const Run resumed = masksup(
            { QStringLiteral("train"), QStringLiteral("--resume"), single, QStringLiteral("--nproc"),
                QStringLiteral("2"), QStringLiteral("--epochs"), QStringLiteral("2") });
        QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
        QVERIFY2(resumed.err.contains(
                     QStringLiteral("trained on 1 process(es), it goes on with 2: each step still "
                                    "takes 4 images (2 per process)")),
            qPrintable(resumed.err));
        QCOMPARE(jsonLines(single + QStringLiteral("/metrics.jsonl")).size(), 2);
        QVERIFY(!digestLines(resumed.err).isEmpty());
    }

    // The GUI's way: a TrainingSession in this process is rank 0 and starts the masksup tool as
    // rank 1; pausing it holds both (no step while paused) and resuming finishes the run.
    void pauseHoldsEveryRankFromTheLaunchingProcess()
    {
        QTemporaryDir tmp;
        const QString ds = writeTinyDataset(tmp.filePath(QStringLiteral("ds")), SynthKind::Glands, 40, 32);
        TrainConfig cfg = tinyConfig(ds, tmp.filePath(QStringLiteral("run")), 4, 2);
        cfg.epochs = 2;
        cfg.processes = 2;
        cfg.threads = 2;
        TrainingSession session(cfg);
        session.setWorkerProgram(cliPath());
        std::atomic<int> batches { 0 };
        std::atomic<bool> paused { false };
        TrainingSession::Callbacks cb;
        cb.batch = [&](const BatchProgress&) { ++batches; };
        cb.paused = [&](bool p) { paused = p; };
        TrainResult result;
        std::string failure;
        std::thread worker([&] {
            try {
                result = session.run(cb);
            } catch (const std::exception& e) {
                failure = e.what();
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(batches.load() >= 2 || !failure.empty(), 120000);
        session.pause();
        QTRY_VERIFY_WITH_TIMEOUT(paused.load() || !failure.empty(), 30000);
        const int held = batches.load();
        QTest::qWait(1500);
        QCOMPARE(batches.load(), held);
        session.resume();
        worker.join();
        QVERIFY2(failure.empty(), failure.c_str());
        QVERIFY(!result.stopped);
        QCOMPARE(result.epochsCompleted, 2);
        QCOMPARE(batches.load(), 2 * 8); // 32 training images, 4 per step (2 per process)
    }
};

QTEST_GUILESS_MAIN(TestDistributed)
#include "tst_distributed.moc"
