#include "core/train/batch_export.h"

#include "core/base/error.h"
#include "core/data/image_io.h"
#include "core/io/atomic_file.h"
#include "core/io/npy.h"
#include "core/io/overlay.h"
#include "core/train/output_guard.h"
#include "core/train/predictor.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFont>
#include <QFontMetrics>
#include <QHash>
#include <QPainter>
#include <QSet>

#include <algorithm>
#include <cstdint>
#include <exception>

namespace msup {

namespace {

    const QStringList& imageFilters()
    {
        static const QStringList filters { QStringLiteral("*.png"), QStringLiteral("*.jpg"),
            QStringLiteral("*.jpeg"), QStringLiteral("*.bmp"), QStringLiteral("*.tif"),
            QStringLiteral("*.tiff") };
        return filters;
    }

    // The reason of an engine error without the "path: " prefix (the summary names the file itself).
    QString reasonOf(const std::exception& e, const QString& file)
    {
        QString text = QString::fromStdString(e.what());
        const QStringList prefixes { file + QStringLiteral(": "),
            QDir::toNativeSeparators(file) + QStringLiteral(": ") };
        for (const QString& prefix : prefixes) {
            if (text.startsWith(prefix))
                return text.mid(prefix.size());
        }
        return text;
    }

    QString translate(const char* text)
    {
        return QCoreApplication::translate("msup::BatchExport", text);
    }

} // namespace

QStringList exportStems(const QStringList& files)
{
    QStringList stems;
    QHash<QString, int> stemUses;
    for (const QString& file : files) {
        QString stem = QFileInfo(file).completeBaseName();
        const int uses = ++stemUses[stem.toLower()];
        if (uses > 1)
            stem += QStringLiteral("-%1").arg(uses);
        stems << stem;
    }
    return stems;
}

QStringList plannedOutputs(const ExportOptions& options, const QString& outDir, const QString& stem)
{
    const QDir out(outDir);
    QStringList paths;
    if (options.overlay)
        paths << out.filePath(stem + QStringLiteral("_overlay.png"));
    if (options.labelMask)
        paths << out.filePath(stem + QStringLiteral("_mask.png"));
    if (options.probabilities)
        paths << out.filePath(stem + QStringLiteral("_prob.npy"));
    if (options.uncertainty)
        paths << out.filePath(stem + QStringLiteral("_uncertainty.npy"))
              << out.filePath(stem + QStringLiteral("_uncertainty.png"));
    return paths;
}

ExportPlan planExport(const ExportOptions& options)
{
    ExportPlan plan;
    plan.images = collectExportImages(options.inputs);
    OutputFolder guard(options.outDir, QStringLiteral("export"));
    const QStringList stems = exportStems(plan.images);
    for (const QString& stem : stems)
        plan.outputs << plannedOutputs(options, guard.path(), stem);
    plan.replaced = guard.claim(plan.outputs, plan.images);
    return plan;
}

QStringList collectExportImages(const QStringList& inputs, QVector<ExportSkip>* problems)
{
    QStringList files;
    QSet<QString> seen;
    auto add = [&](const QFileInfo& fi) {
        const QString path = fi.absoluteFilePath();
        const QString key = fi.canonicalFilePath().isEmpty() ? path : fi.canonicalFilePath();
        if (seen.contains(key))
            return;
        seen.insert(key);
        files << path;
    };
    for (const QString& input : inputs) {
        const QFileInfo in(input);
        if (!in.exists()) {
            if (problems)
                problems->append({ input, translate("not found") });
            continue;
        }
        if (in.isDir()) {
            // A recognised dataset folder: its images, one by one, never its masks or annotations.
            Dataset ds;
            bool isDataset = false;
            try {
                ds = openDataset(input);
                isDataset = !ds.samples.isEmpty()
                    && std::all_of(
                        ds.samples.cbegin(), ds.samples.cend(), [](const Sample& s) { return s.frame < 0; });
            } catch (const std::exception&) {
                isDataset = false;
            }
            if (isDataset) {
                for (const Sample& s : ds.samples)
                    add(QFileInfo(s.imagePath));
                continue;
            }
            const QFileInfoList entries = QDir(input).entryInfoList(imageFilters(), QDir::Files, QDir::Name);
            if (entries.isEmpty() && problems)
                problems->append({ input, translate("folder holds no images (png, jpg, bmp, tif)") });
            for (const QFileInfo& fi : entries)
                add(fi);
        } else {
            add(in);
        }
    }
    return files;
}

QImage annotateOverlay(const QImage& overlay, const QString& title, bool legend,
    const QStringList& classNames, const QVector<QColor>& classColors)
{
    if (overlay.isNull() || (title.isEmpty() && !legend))
        return overlay;
    const int width = overlay.width();
    const bool text = canDrawText();
    // Text scaled with the image, readable from small previews to large slides.
    const int pixelSize = std::clamp(width / 32, 11, 48);
    const int pad = std::max(3, pixelSize / 3);
    QFont font;
    font.setPixelSize(pixelSize);
    const QFontMetrics metrics(font);
    const int lineHeight = text ? metrics.height() : pixelSize;
    const int swatch = lineHeight - 2;

    // A binary overlay leaves its background uncoloured (overlayOptionsFor): no swatch for it.
    const int firstClass = classNames.size() <= 2 && classNames.size() > 1 ? 1 : 0;
    struct Item {
        QString name;
        QColor color;
        int x = 0, row = 0;
    };
    QVector<Item> items;
    int rows = 0;
    if (legend) {
        int x = pad;
        rows = 1;
        for (int c = firstClass; c < classNames.size(); ++c) {
            Item item { classNames[c], classColors.value(c, QColor(Qt::gray)) };
            const int itemWidth = swatch + (text ? pad + metrics.horizontalAdvance(item.name) : 0);
            if (x > pad && x + itemWidth > width - pad) {
                x = pad;
                ++rows;
            }
            item.x = x;
            item.row = rows - 1;
            items << item;
            x += itemWidth + 2 * pad;
        }
        if (items.isEmpty())
            rows = 0;
    }
    const int titleHeight = title.isEmpty() ? 0 : lineHeight + 2 * pad;
    const int legendHeight = rows == 0 ? 0 : rows * (lineHeight + pad) + pad;

    QImage out(width, overlay.height() + titleHeight + legendHeight, QImage::Format_RGB32);
    out.fill(QColor(255, 255, 255));
    QPainter p(&out);
    p.drawImage(0, titleHeight, overlay);
    if (text) {
        p.setFont(font);
        p.setRenderHint(QPainter::TextAntialiasing);
    }
    p.setPen(QColor(20, 20, 20));
    if (titleHeight > 0) {
        if (text)
            p.drawText(QRect(pad, pad, width - 2 * pad, lineHeight), Qt::AlignLeft | Qt::AlignVCenter,
                metrics.elidedText(title, Qt::ElideRight, width - 2 * pad));
        else
            p.fillRect(QRect(0, titleHeight - 1, width, 1), QColor(160, 160, 160));
    }
    const int legendTop = titleHeight + overlay.height();
    for (const Item& item : items) {
        const int y = legendTop + pad + item.row * (lineHeight + pad);
        const QRect box(item.x, y + (lineHeight - swatch) / 2, swatch, swatch);
        p.fillRect(box, item.color);
        p.setPen(QColor(90, 90, 90));
        p.drawRect(box.adjusted(0, 0, -1, -1));
        if (text) {
            p.setPen(QColor(20, 20, 20));
            p.drawText(QRect(box.right() + pad + 1, y, width, lineHeight), Qt::AlignLeft | Qt::AlignVCenter,
                item.name);
        }
    }
    p.end();
    return out;
}

ExportSummary exportPredictions(const ExportOptions& options, Progress& progress)
{
    QElapsedTimer clock;
    clock.start();
    if (!options.overlay && !options.labelMask && !options.probabilities && !options.uncertainty)
        throw Error(
            "nothing to export: choose the overlay, the label mask, the probabilities or the uncertainty");
    options.inference.check();
    if (options.outDir.isEmpty())
        throw Error("no output folder given", std::string(), "Choose the folder the files are written to.");

    ExportSummary summary;
    const QStringList files = collectExportImages(options.inputs, &summary.skipped);
    summary.imagesTotal = int(files.size());
    if (files.isEmpty())
        throw Error("no image to export", options.inputs.join(QStringLiteral(", ")).toStdString(),
            "Add image files (png, jpg, bmp, tif) or folders that hold some.");

    // Outputs never replace inputs: the folder must not be (inside) a dataset, and only files this
    // program wrote there earlier may be replaced (checked for every planned file before anything
    // is written).
    OutputFolder guard(options.outDir, QStringLiteral("export"));
    const QStringList stems = exportStems(files);
    QStringList planned;
    for (const QString& stem : stems)
        planned << plannedOutputs(options, guard.path(), stem);
    guard.claim(planned, files);
    ensureWritableDir(options.outDir);
    const QDir out(options.outDir);
    summary.outDir = out.absolutePath();
    Predictor predictor(options.checkpoint, options.device, options.imageSize);
    const CheckpointInfo& info = predictor.info();
    const OverlayOptions overlayOptions = overlayOptionsFor(
        int(info.classNames.size()), info.ignoreIndex, std::clamp(options.opacity, 0.0, 1.0));
    guard.commit();

    const int total = int(files.size());
    for (int i = 0; i < total; ++i) {
        const QString& file = files[i];
        progress.report(i, total, file.toStdString());
        if (progress.isCancelled()) {
            summary.cancelled = true;
            break;
        }
        const QFileInfo fi(file);
        const QString& stem = stems[i];
        try {
            const cv::Mat rgb = loadImageRgb(file);
            PredictionMaps maps = predictor.run(rgb, options.inference,
                (options.probabilities ? kProbabilities : 0) | (options.uncertainty ? kUncertainty : 0));
            const cv::Mat& labels = maps.labels;
            // Encode everything before writing, so an image that fails leaves no partial set behind.
            struct Output {
                QString path;
                QImage image;
            };
            QVector<Output> images;
            if (options.overlay) {
                QImage overlay = colorOverlay(rgb, labels, info.classColors, overlayOptions);
                if (options.legend || !options.title.isEmpty()) {
                    const QString title = options.title.contains(QLatin1String("%1"))
                        ? options.title.arg(fi.fileName())
                        : options.title;
                    overlay
                        = annotateOverlay(overlay, title, options.legend, info.classNames, info.classColors);
                }
                images.append({ out.filePath(stem + QStringLiteral("_overlay.png")), overlay });
            }
            if (options.labelMask)
                images.append({ out.filePath(stem + QStringLiteral("_mask.png")),
                    labelsToIndexed(labels, info.classColors, info.ignoreIndex) });
            if (options.uncertainty)
                images.append({ out.filePath(stem + QStringLiteral("_uncertainty.png")),
                    uncertaintyHeatmap(maps.uncertainty) });
            auto noteWrite = [&summary](const QString& path, bool existed) {
                summary.written << path;
                if (existed)
                    ++summary.overwritten;
            };
            for (const Output& o : images) {
                const bool existed = QFileInfo::exists(o.path);
                writeImageAtomic(o.path, o.image);
                noteWrite(o.path, existed);
            }
            auto writeNpy = [&](const QString& suffix, const std::vector<float>& values,
                                const std::vector<std::int64_t>& shape) {
                const QString path = out.filePath(stem + suffix);
                const bool existed = QFileInfo::exists(path);
                writeNpyFloat32(path, values, shape);
                noteWrite(path, existed);
            };
            if (options.probabilities) {
                const std::int64_t h = maps.probabilityRows, w = maps.probabilityCols;
                writeNpy(QStringLiteral("_prob.npy"), maps.probabilities,
                    { std::int64_t(maps.probabilities.size()) / (h * w), h, w });
            }
            if (options.uncertainty) {
                const cv::Mat& u = maps.uncertainty; // continuous CV_32FC1
                writeNpy(QStringLiteral("_uncertainty.npy"),
                    std::vector<float>(u.ptr<float>(), u.ptr<float>() + u.total()), { u.rows, u.cols });
            }
            ++summary.imagesExported;
        } catch (const std::exception& e) {
            summary.skipped.append({ file, reasonOf(e, file) });
        }
    }
    if (!summary.cancelled)
        progress.report(total, total);
    summary.seconds = clock.elapsed() / 1000.0;
    return summary;
}

} // namespace msup
