// Benchmarks: hole-mask generation and one MaskSup training step.
// Machine-readable output: masksup-bench --benchmark_format=json
#include "core/data/dataset.h"
#include "core/data/nyu_mat.h"
#include "core/data/synth.h"
#include "core/masks/hole_generator.h"
#include "core/nn/masksup_loss.h"
#include "core/nn/unet.h"
#include "core/train/host_pipeline.h"
#include "core/train/run_folder.h"
#include "core/train/run_index.h"
#include "core/train/training_session.h"
#include "core/train/training_worker.h"
#include "tests/support/fixtures.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>
#include <benchmark/benchmark.h>
#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

#ifdef MASKSUP_BENCH_RUNS_UI
#include "ui/runs_panel.h"
#endif
#ifdef MASKSUP_BENCH_GUI
#include "ui/annotation_panel.h"

#include <QApplication>
#include <QMouseEvent>
#include <opencv2/imgproc.hpp>
#endif

#include <algorithm>
#include <cmath>
#include <cstring>
#include <thread>

namespace {

void BM_HoleMask(benchmark::State& state)
{
    const int size = static_cast<int>(state.range(0));
    const msup::HoleGenerator gen(msup::HoleRatioRange::parse(state.range(1) ? "high" : "low"));
    std::uint64_t seed = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(gen.generate(size, size, ++seed).data);
    state.counters["masks_per_second"]
        = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_HoleMask)
    ->Args({ 224, 1 })
    ->Args({ 224, 0 })
    ->Args({ 512, 1 })
    ->Args({ 512, 0 })
    ->Unit(benchmark::kMicrosecond);

// One optimisation step (both branches for masksup) on random images with real hole masks: U-Net width W at
// S×S, batch B.
void BM_TrainStep(benchmark::State& state)
{
    const int width = static_cast<int>(state.range(0)), size = static_cast<int>(state.range(1)),
              batch = static_cast<int>(state.range(2));
    const auto mode = static_cast<msup::nn::MaskSupMode>(state.range(3));
    torch::manual_seed(0);
    msup::nn::UNet net(msup::nn::UNetOptions { 3, 1, width });
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(1e-4).amsgrad(true));
    const auto images = torch::randn({ batch, 3, size, size });
    const auto target = torch::randint(0, 2, { batch, size, size }, torch::kInt64);
    // Real streak-and-hole masks ("high" ratio), as the training session feeds them.
    const msup::HoleGenerator gen(msup::HoleRatioRange::parse("high"));
    auto holes = torch::empty({ batch, 1, size, size }, torch::kFloat32);
    for (int i = 0; i < batch; ++i) {
        cv::Mat f;
        gen.generate(size, size, static_cast<std::uint64_t>(i)).convertTo(f, CV_32F, 1.0 / 255.0);
        std::memcpy(holes[i].data_ptr<float>(), f.ptr<float>(), sizeof(float) * size * size);
    }
    // As the training session does: all cores; and one untimed step, so that first-touch page
    // faults and allocator growth are not counted.
    torch::set_num_threads(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    msup::nn::maskSupStep(*net, opt, images, holes, target, 255, mode, {});
    for (auto _ : state)
        benchmark::DoNotOptimize(
            msup::nn::maskSupStep(*net, opt, images, holes, target, 255, mode, {}).total);
    state.counters["images_per_second"]
        = benchmark::Counter(double(state.iterations()) * batch, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TrainStep)
    ->Args({ 16, 224, 8, int(msup::nn::MaskSupMode::MaskSup) })
    ->Args({ 16, 224, 8, int(msup::nn::MaskSupMode::Baseline) })
    ->Unit(benchmark::kMillisecond)
    ->Iterations(4)
    ->UseRealTime();

// The host side of training alone, no model: training batches built exactly as the training
// session builds them (224², batch 8, hole masks "high", augmentations "all"), from a memory cache
// that holds every sample (synthetic glands, decoded before timing), up to tensors ready to be
// copied to the device. Back to back on the calling thread, as the prefetch thread runs them.
void BM_PipelineOnly(benchmark::State& state)
{
    QTemporaryDir dir;
    const msup::Dataset ds = msup::openDataset(msup::test::writeTinyDataset(
        dir.filePath(QStringLiteral("data")), msup::SynthKind::Glands, 64, 256, 1));
    const int size = 224, batch = 8;
    const msup::SampleCache cache(ds, size, qint64(1) << 30);
    QVector<int> order;
    for (int i = 0; i < ds.samples.size(); ++i) {
        cache.get(i);
        order << i;
    }
    const msup::HoleGenerator holes(msup::HoleRatioRange::parse("high"));
    const msup::AugmentOptions augment = msup::AugmentOptions::parse("all");
    const int batchesPerEpoch = int(order.size()) / batch;
    int step = 0;
    for (auto _ : state) {
        const int epoch = 1 + step / batchesPerEpoch, from = (step % batchesPerEpoch) * batch;
        const msup::engine::HostBatch b = msup::buildHostBatch(cache, order, from, batch, &holes, &augment,
            ds.ignoreIndex, 7, epoch, msup::engine::HoleFill::Zero, false);
        benchmark::DoNotOptimize(b.images.data_ptr());
        ++step;
    }
    state.counters["images_per_second"]
        = benchmark::Counter(double(state.iterations()) * batch, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PipelineOnly)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);

// Opening (detecting and indexing, no decoding) a Kvasir-SEG style folder of N pairs.
void BM_IndexDataset(benchmark::State& state)
{
    const int pairs = static_cast<int>(state.range(0));
    QTemporaryDir dir;
    QDir().mkpath(dir.filePath(QStringLiteral("images")));
    QDir().mkpath(dir.filePath(QStringLiteral("masks")));
    std::vector<uchar> png;
    cv::imencode(".png", cv::Mat(8, 8, CV_8UC3, cv::Scalar(1, 2, 3)), png);
    const QByteArray bytes(reinterpret_cast<const char*>(png.data()), int(png.size()));
    for (int i = 0; i < pairs; ++i)
        for (const char* sub : { "images", "masks" }) {
            QFile f(dir.filePath(
                QStringLiteral("%1/%2.png").arg(QLatin1String(sub)).arg(i, 6, 10, QLatin1Char('0'))));
            f.open(QIODevice::WriteOnly);
            f.write(bytes);
        }
    for (auto _ : state)
        benchmark::DoNotOptimize(msup::openDataset(dir.path()).samples.size());
    state.counters["pairs_per_second"]
        = benchmark::Counter(double(state.iterations()) * pairs, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IndexDataset)->Arg(1000)->Unit(benchmark::kMillisecond);

// Reading one frame (RGB and raw labels) of a v7.3 file laid out like nyu_depth_v2_labeled.mat
// (640x480, here 48 frames, about 74 MB): the cost per frame of NYUDv2 training's first epoch.
void BM_NyuMatFrame(benchmark::State& state)
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("nyu_depth_v2_labeled.mat"));
    const int frames = 48;
    {
        std::vector<cv::Mat> rgb, labels;
        for (int k = 0; k < frames; ++k) {
            rgb.emplace_back(480, 640, CV_8UC3, cv::Scalar(k, 2 * k, 3 * k));
            labels.emplace_back(480, 640, CV_16UC1, cv::Scalar(k % 894 + 1));
        }
        msup::writeNyuMatFile(file, rgb, labels);
    }
    int frame = 0;
    for (auto _ : state) {
        frame = frame % frames + 1;
        benchmark::DoNotOptimize(msup::readNyuMatImage(file, frame).data);
        benchmark::DoNotOptimize(msup::readNyuMatLabels(file, frame).data);
    }
    state.counters["frames_per_second"]
        = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NyuMatFrame)->Unit(benchmark::kMillisecond)->UseRealTime();

// `count` synthetic gland pairs at 256² in `dir`, and a two-epoch U-Net w16 run on them at 224²,
// batch 8, masksup mode (the config; lastEpochOf() runs it).
msup::TrainConfig benchRun(const QTemporaryDir& dir, int count)
{
    const QString data = msup::test::writeTinyDataset(
        dir.filePath(QStringLiteral("data")), msup::SynthKind::Glands, count, 256, 1);
    msup::TrainConfig cfg = msup::test::tinyConfig(data, dir.filePath(QStringLiteral("run")), 16, 8);
    cfg.imageSize = 224;
    cfg.epochs = 2;
    cfg.threads = 0; // all cores, as before
    return cfg;
}

msup::EpochMetrics lastEpochOf(const msup::TrainConfig& cfg)
{
    msup::EpochMetrics last;
    msup::TrainingSession session(cfg);
    msup::TrainingSession::Callbacks cb;
    cb.epoch = [&](const msup::EpochMetrics& m) { last = m; };
    session.run(cb);
    return last;
}

// A real training run (synthetic glands, U-Net w16, 224x224, batch 8, masksup, 2 epochs):
// per-batch time the step loop waited for data vs time spent computing, from the second epoch
// (the first includes the un-prefetched first batch). The argument is the sample cache's memory in
// MiB: 2048 holds everything (the default), 0 makes every batch decode its PNGs again on the
// background threads while the model computes.
void BM_TrainingDataVsCompute(benchmark::State& state)
{
    QTemporaryDir dir;
    msup::TrainConfig cfg = benchRun(dir, 40);
    cfg.cacheMemoryMb = int(state.range(0));
    for (auto _ : state) {
        const msup::EpochMetrics last = lastEpochOf(cfg);
        const double batches = std::ceil(32.0 / cfg.batchSize); // 40 pairs, 8 held out
        state.counters["data_wait_ms_per_batch"] = 1000.0 * last.dataWaitSeconds / batches;
        state.counters["compute_ms_per_batch"] = 1000.0 * last.computeSeconds / batches;
        state.counters["images_per_second"] = last.imagesPerSecond;
        state.counters["decoded_samples_last_epoch"] = last.decodedSamples;
    }
}
BENCHMARK(BM_TrainingDataVsCompute)
    ->Arg(2048)
    ->Arg(0)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

// Training speed of the paper's convolutional models through the real training session (synthetic
// glands, 224², batch 8, masksup mode so both branches run, default cache): images/s and the share
// of the step loop's wall time spent waiting for data, from the second epoch (the first one's first
// batch is not prefetched). Arguments: model (0 = U-Net w16, 1 = U-Net w32, 2 = U-Net++ w32) and
// branches (0 = two forward passes as the reference, 1 = one concatenated batch).
void BM_TrainingRun(benchmark::State& state)
{
    static const struct {
        const char* model;
        int width;
    } models[] = { { "unet", 16 }, { "unet", 32 }, { "unetpp", 32 } };
    const auto& m = models[state.range(0)];
    QTemporaryDir dir;
    msup::TrainConfig cfg = benchRun(dir, 20); // 16 training pairs: 2 batches an epoch
    cfg.model = QString::fromLatin1(m.model);
    cfg.width = m.width;
    cfg.branches = state.range(1) ? QStringLiteral("concat") : QStringLiteral("separate");
    cfg.device = QStringLiteral("auto");
    for (auto _ : state) {
        const msup::EpochMetrics last = lastEpochOf(cfg);
        state.counters["images_per_second"] = last.imagesPerSecond;
        state.counters["data_wait_share"]
            = last.dataWaitSeconds / (last.dataWaitSeconds + last.computeSeconds);
        state.counters["step_seconds"] = last.computeSeconds / 2;
    }
    state.SetLabel(QStringLiteral("%1 w%2 %3")
                       .arg(QLatin1String(m.model))
                       .arg(m.width)
                       .arg(state.range(1) ? QStringLiteral("concat") : QStringLiteral("separate"))
                       .toStdString());
}
BENCHMARK(BM_TrainingRun)
    ->ArgsProduct({ { 0, 1, 2 }, { 0, 1 } })
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

// How long the GUI thread's event loop waits while a CPU training run (U-Net w16, 224², batch 8,
// masksup, all cores) works in TrainingController's thread, as the studio runs it: a 5 ms timer
// on this thread records the gaps between its ticks; the counters give the extra delay beyond the
// 5 ms period at the 50th and 99th percentiles and the maximum, in milliseconds.
void BM_GuiStallDuringTraining(benchmark::State& state)
{
    QTemporaryDir dir;
    msup::TrainConfig cfg = benchRun(dir, 20);
    cfg.epochs = 1;
    for (auto _ : state) {
        msup::TrainingController controller;
        QEventLoop loop;
        QObject::connect(&controller, &msup::TrainingController::finished, &loop, &QEventLoop::quit);
        QObject::connect(&controller, &msup::TrainingController::failed, &loop, &QEventLoop::quit);
        std::vector<double> gaps;
        QElapsedTimer clock;
        QTimer tick;
        tick.setInterval(5);
        QObject::connect(&tick, &QTimer::timeout, [&] {
            if (clock.isValid())
                gaps.push_back(std::max(0.0, clock.nsecsElapsed() * 1e-6 - 5.0));
            clock.restart();
        });
        tick.start();
        controller.start(cfg);
        loop.exec();
        tick.stop();
        std::sort(gaps.begin(), gaps.end());
        auto percentile = [&](double q) {
            return gaps.empty() ? 0.0 : gaps[std::min(gaps.size() - 1, size_t(q * double(gaps.size())))];
        };
        state.counters["stall_p50_ms"] = percentile(0.5);
        state.counters["stall_p99_ms"] = percentile(0.99);
        state.counters["stall_max_ms"] = gaps.empty() ? 0.0 : gaps.back();
        state.counters["ticks"] = double(gaps.size());
    }
}
BENCHMARK(BM_GuiStallDuringTraining)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

// Opening a project that lists N run folders (empty runs: a config of "{}" each, made once per N
// in a temporary folder): findRunFolders over the parent, then the Runs panel's setRunFolders until
// its (background) read of every run has been shown. Listing, de-duplicating, selecting and
// watching the runs used to compare QStringLists in loops: 1.5 s for 20k runs, 77 s for 200k. Without
// the GUI only the engine's part (findRunFolders + scanRuns) is measured.
void BM_RunIndexScan(benchmark::State& state)
{
    const int n = static_cast<int>(state.range(0));
    QTemporaryDir dir;
    QStringList folders;
    folders.reserve(n);
    for (int i = 0; i < n; ++i) {
        const QString folder = dir.filePath(QStringLiteral("run%1").arg(i, 6, 10, QLatin1Char('0')));
        QDir().mkdir(folder);
        QFile config(msup::RunFolder(folder).path(msup::RunFile::Config));
        if (!config.open(QIODevice::WriteOnly) || config.write("{}") != 2) {
            state.SkipWithError("cannot create the run folders");
            return;
        }
    }
    for (auto _ : state) {
        const QStringList found = msup::findRunFolders(dir.path());
#ifdef MASKSUP_BENCH_RUNS_UI
        msup::ui::RunsPanel panel;
        QEventLoop loop;
        QObject::connect(&panel, &msup::ui::RunsPanel::refreshed, &loop, &QEventLoop::quit);
        panel.setRunFolders(found);
        if (panel.isRefreshing())
            loop.exec();
        benchmark::DoNotOptimize(panel.runs().size());
#else
        benchmark::DoNotOptimize(msup::scanRuns(found).size());
#endif
        if (found.size() != n) {
            state.SkipWithError("findRunFolders missed runs");
            return;
        }
    }
    state.counters["runs"] = n;
}
BENCHMARK(BM_RunIndexScan)
    ->Arg(20000)
    ->Arg(200000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

#ifdef MASKSUP_BENCH_GUI
// Painting latency of the mask editor on a 4096×4096 label map: one iteration is one brush stroke
// of radius 10 dragged 200 image pixels (50 mouse moves of 4 px) in an offscreen AnnotationPanel
// of 1280×800. Each segment's latency covers the mouse-move event (brush operation + refresh of
// the cached overlay's dirty rect) and the repaint of the widget's dirty area it schedules; the
// counters give its 50th / 99th percentiles and maximum in milliseconds (60 fps: <= 16.7 ms), and
// the release (merging the segments into one undo command). Arg: 0 = image fitted to the view,
// 1 = zoom 1:1. (Fitted, one screen pixel is about 5.5 image pixels: moves that land on the same
// image pixel as the previous one paint nothing, as with a real mouse.)
void BM_AnnotationStroke(benchmark::State& state)
{
    const int side = 4096;
    QImage image(side, side, QImage::Format_RGB32);
    image.fill(qRgb(120, 90, 80));
    cv::Mat labels(side, side, CV_8UC1, cv::Scalar(0));
    cv::circle(labels, cv::Point(side / 2, side / 2), side / 4, cv::Scalar(1), cv::FILLED);
    msup::ui::AnnotationPanel panel;
    panel.setAutosaveInterval(0);
    panel.resize(1280, 800);
    panel.setClasses({ QStringLiteral("background"), QStringLiteral("a"), QStringLiteral("b") }, {});
    panel.setSample(image, QStringLiteral("bench"), labels);
    panel.show();
    QCoreApplication::processEvents();
    msup::ui::AnnotationCanvas* canvas = panel.canvas();
    if (state.range(0) == 1)
        canvas->zoomActualSize();
    canvas->setTool(msup::ui::AnnotationTool::Brush);
    canvas->setBrushRadius(10);
    QCoreApplication::processEvents();

    // Counts the paint events the segments cause (the display really is updated).
    struct PaintCounter : QObject {
        int paints = 0;
        bool eventFilter(QObject*, QEvent* e) override
        {
            if (e->type() == QEvent::Paint)
                ++paints;
            return false;
        }
    } counter;
    canvas->installEventFilter(&counter);

    const auto send
        = [canvas](QEvent::Type type, const QPoint& pixel, Qt::MouseButton button, Qt::MouseButtons buttons) {
              const QPointF at = canvas->widgetPointForPixel(pixel);
              QMouseEvent event(type, at, canvas->mapToGlobal(at), button, buttons, Qt::NoModifier);
              QCoreApplication::sendEvent(canvas, &event);
          };
    std::vector<double> segments;
    std::vector<double> releases;
    int stroke = 0;
    QElapsedTimer clock;
    for (auto _ : state) {
        // Strokes cycle through 6 rows around the view's centre and alternate classes at each
        // cycle, so every stroke changes every pixel it covers.
        const QPoint centre = canvas->pixelAt(QPointF(canvas->width() / 2.0, canvas->height() / 2.0));
        const QPoint start(centre.x() - 100, centre.y() - 60 + (stroke % 6) * 24);
        canvas->setCurrentClass(1 + (stroke / 6) % 2);
        ++stroke;
        send(QEvent::MouseButtonPress, start, Qt::LeftButton, Qt::LeftButton);
        QCoreApplication::processEvents();
        for (int i = 1; i <= 50; ++i) {
            clock.start();
            send(QEvent::MouseMove, start + QPoint(4 * i, 0), Qt::NoButton, Qt::LeftButton);
            QCoreApplication::processEvents(); // the scheduled repaint of the dirty area
            segments.push_back(clock.nsecsElapsed() * 1e-6);
        }
        clock.start();
        send(QEvent::MouseButtonRelease, start + QPoint(200, 0), Qt::LeftButton, Qt::NoButton);
        QCoreApplication::processEvents();
        releases.push_back(clock.nsecsElapsed() * 1e-6);
    }
    std::sort(segments.begin(), segments.end());
    std::sort(releases.begin(), releases.end());
    const auto at = [](const std::vector<double>& v, double q) {
        return v.empty() ? 0.0 : v[std::min(v.size() - 1, size_t(q * double(v.size())))];
    };
    state.counters["segment_p50_ms"] = at(segments, 0.5);
    state.counters["segment_p99_ms"] = at(segments, 0.99);
    state.counters["segment_max_ms"] = segments.empty() ? 0.0 : segments.back();
    state.counters["release_p50_ms"] = at(releases, 0.5);
    state.counters["paints_per_segment"]
        = segments.empty() ? 0.0 : double(counter.paints) / double(segments.size());
    state.counters["scale"] = canvas->scale();
}
BENCHMARK(BM_AnnotationStroke)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
#endif

} // namespace

int main(int argc, char** argv)
{
#ifdef MASKSUP_BENCH_GUI
    // Widgets for BM_AnnotationStroke, offscreen unless a platform is asked for.
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
#else
    QCoreApplication app(argc, argv); // Qt's thread pool and file APIs used by the training session
#endif
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
