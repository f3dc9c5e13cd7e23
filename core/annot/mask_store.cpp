#include "core/annot/mask_store.h"

#include "core/base/error.h"
#include "core/data/image_io.h"
#include "core/io/atomic_file.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QImageWriter>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>

#include <cstring>
#include <functional>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace msup {

namespace {

    const QString kManifestName = QStringLiteral("corrections.json");
    const QString kManifestFormat = QStringLiteral("masksup-corrections");
    constexpr int kManifestVersion = 1;
    constexpr uchar kVoid = 255;

    std::string str(const QString& s)
    {
        return s.toStdString();
    }

    QString suffixOf(const QString& path)
    {
        return QFileInfo(path).suffix().toLower();
    }

    bool isJpeg(const QString& path)
    {
        const QString s = suffixOf(path);
        return s == QLatin1String("jpg") || s == QLatin1String("jpeg");
    }

    // The indices of an 8-bit palette or greyscale image.
    cv::Mat indicesOf(const QImage& img)
    {
        cv::Mat out(img.height(), img.width(), CV_8UC1);
        for (int y = 0; y < img.height(); ++y)
            std::memcpy(out.ptr(y), img.constScanLine(y), static_cast<size_t>(img.width()));
        return out;
    }

    QImage indexedImage(const cv::Mat& indices, const QVector<QRgb>& table, bool grey)
    {
        QImage img(indices.cols, indices.rows, grey ? QImage::Format_Grayscale8 : QImage::Format_Indexed8);
        if (!grey)
            img.setColorTable(table);
        for (int y = 0; y < indices.rows; ++y)
            std::memcpy(img.scanLine(y), indices.ptr(y), static_cast<size_t>(indices.cols));
        return img;
    }

    QByteArray encodeQImage(const QImage& img, const char* format, const QString& path)
    {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, format);
        if (!writer.write(img))
            throw Error("mask could not be encoded as " + std::string(format) + ": "
                    + writer.errorString().toStdString(),
                str(path), "Save to the corrections folder instead.");
        return bytes;
    }

    QByteArray encodeCv(const cv::Mat& map, const QString& ext, const QString& path)
    {
        std::vector<uchar> buf;
        bool ok = false;
        try {
            ok = cv::imencode("." + ext.toStdString(), map, buf);
        } catch (const cv::Exception& e) {
            throw Error(std::string("mask could not be encoded: ") + e.what(), str(path),
                "Save to the corrections folder instead.");
        }
        if (!ok)
            throw Error("mask could not be encoded as " + ext.toStdString(), str(path),
                "Save to the corrections folder instead.");
        return QByteArray(reinterpret_cast<const char*>(buf.data()), qsizetype(buf.size()));
    }

    // A colour table of 256 entries: `table` as far as it goes, then `fill(i)`.
    QVector<QRgb> fullTable(QVector<QRgb> table, const std::function<QRgb(int)>& fill)
    {
        for (int i = int(table.size()); i < 256; ++i)
            table.push_back(fill(i));
        table.resize(256);
        return table;
    }

    // Keeps the original mask once as `<path>.orig` (copied, so the original stays in place until
    // the new file replaces it atomically).
    void backupOnce(const QString& path)
    {
        const QString backup = path + QStringLiteral(".orig");
        if (QFileInfo::exists(backup))
            return;
        QFile original(path);
        if (!original.open(QIODevice::ReadOnly))
            throw Error("original mask cannot be read to back it up: " + original.errorString().toStdString(),
                str(path), "Check its permissions, or save to the corrections folder.");
        // Checked and atomic like every write: a full disk leaves no partial backup behind.
        writeFileAtomic(backup, original.readAll());
    }

    void refuseVoid(const cv::Mat& labels, const QString& path, const char* what)
    {
        if (cv::countNonZero(labels == kVoid) > 0)
            throw Error(std::string("holds void pixels, which ") + what + " cannot store", str(path),
                "Paint them as a class (or erase them), or save to the corrections folder.");
    }

    QImage readIndexed(const QString& path)
    {
        QImage img(path);
        if (img.isNull())
            throw Error(
                "original mask cannot be decoded", str(path), "Save to the corrections folder instead.");
        if (img.format() != QImage::Format_Indexed8 && img.format() != QImage::Format_Grayscale8)
            throw Error("original mask is not an 8-bit index image", str(path),
                "Save to the corrections folder instead.");
        return img;
    }

    // GLaS: instance ids from the original and the edited binary map (see MaskSession::save()).
    cv::Mat instanceIds(const cv::Mat& original, const cv::Mat& labels, const QString& path)
    {
        if (original.size() != labels.size())
            throw Error("original annotation has another size than the edited map", str(path));
        cv::Mat out = cv::Mat::zeros(labels.size(), CV_8UC1);
        original.copyTo(out, (labels == 1) & (original > 0));
        const cv::Mat added = (labels == 1) & (original == 0);
        double maxOriginal = 0;
        cv::minMaxLoc(original, nullptr, &maxOriginal);
        cv::Mat comp;
        const int n = cv::connectedComponents(added, comp, 8, CV_32S);
        if (n <= 1)
            return out;
        // For each new component: the kept instance it touches (0 none, -1 several).
        std::vector<int> touches(size_t(n), 0);
        for (int y = 0; y < comp.rows; ++y)
            for (int x = 0; x < comp.cols; ++x) {
                const int c = comp.at<int>(y, x);
                if (c == 0 || touches[size_t(c)] < 0)
                    continue;
                for (int dy = -1; dy <= 1; ++dy)
                    for (int dx = -1; dx <= 1; ++dx) {
                        const int yy = y + dy, xx = x + dx;
                        if (yy < 0 || xx < 0 || yy >= out.rows || xx >= out.cols)
                            continue;
                        const int id = out.at<uchar>(yy, xx);
                        if (id == 0 || comp.at<int>(yy, xx) != 0)
                            continue;
                        int& t = touches[size_t(c)];
                        t = (t == 0 || t == id) ? id : -1;
                    }
            }
        std::vector<int> idOf(size_t(n), 0);
        int next = int(maxOriginal);
        for (int c = 1; c < n; ++c) {
            if (touches[size_t(c)] > 0) {
                idOf[size_t(c)] = touches[size_t(c)];
                continue;
            }
            if (++next > 255)
                throw Error("would need more than 255 gland instances (an 8-bit annotation's limit)",
                    str(path), "Join some of the new glands, or save to the corrections folder.");
            idOf[size_t(c)] = next;
        }
        for (int y = 0; y < comp.rows; ++y)
            for (int x = 0; x < comp.cols; ++x) {
                const int c = comp.at<int>(y, x);
                if (c > 0)
                    out.at<uchar>(y, x) = uchar(idOf[size_t(c)]);
            }
        return out;
    }

} // namespace

QString defaultCorrectionsDir(const Dataset& dataset)
{
    return QDir::cleanPath(QFileInfo(dataset.root).absoluteFilePath()) + QStringLiteral(".corrections");
}

QString correctionFileName(const Sample& sample)
{
    QString name = sample.id;
    for (QChar& c : name)
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('.') && c != QLatin1Char('-')
            && c != QLatin1Char('_'))
            c = QLatin1Char('_');
    if (name.isEmpty() || name.startsWith(QLatin1Char('.')))
        name.prepend(QLatin1Char('_'));
    return name + QStringLiteral(".png");
}

// --- MaskStore ------------------------------------------------------------------------------------

MaskStore::MaskStore(Dataset dataset, const QString& correctionsDir)
    : m_dataset(std::move(dataset))
    , m_dir(QDir::cleanPath(
          QFileInfo(correctionsDir.isEmpty() ? defaultCorrectionsDir(m_dataset) : correctionsDir)
              .absoluteFilePath()))
{
    for (int i = 0; i < m_dataset.samples.size(); ++i)
        m_indexById.insert(m_dataset.samples[i].id, i);
    readManifest();
}

MaskStore::~MaskStore() = default;

QString MaskStore::manifestPath() const
{
    return QDir(m_dir).filePath(kManifestName);
}

int MaskStore::indexOf(const QString& id) const
{
    return m_indexById.value(id, -1);
}

const Sample& MaskStore::checkedSample(const Sample& sample) const
{
    const int i = indexOf(sample.id);
    if (i < 0)
        throw Error("sample '" + str(sample.id) + "' is not in this dataset", str(m_dataset.root),
            "Reopen the dataset.");
    return m_dataset.samples[i];
}

void MaskStore::readManifest()
{
    m_entries.clear();
    const QString path = manifestPath();
    QFile f(path);
    if (!f.exists())
        return;
    if (!f.open(QIODevice::ReadOnly))
        throw Error("cannot be read: " + f.errorString().toStdString(), str(path), "Check its permissions.");
    const QByteArray bytes = f.readAll();
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
    if (err.error != QJsonParseError::NoError) {
        const int line = int(bytes.left(err.offset).count('\n')) + 1;
        throw Error(
            "is not valid JSON (line " + std::to_string(line) + ": " + err.errorString().toStdString() + ")",
            str(path), "Fix the file, or move it away to start a new corrections folder.");
    }
    const QJsonObject root = doc.object();
    if (!doc.isObject() || root.value(QStringLiteral("format")).toString() != kManifestFormat)
        throw Error("is not a MaskSup corrections manifest", str(path),
            "Choose another corrections folder, or move the file away.");
    if (root.value(QStringLiteral("version")).toInt() > kManifestVersion)
        throw Error("was written by a newer MaskSup Studio (version "
                + std::to_string(root.value(QStringLiteral("version")).toInt()) + ")",
            str(path), "Update MaskSup Studio to use these corrections.");
    const QJsonObject images = root.value(QStringLiteral("images")).toObject();
    for (auto it = images.begin(); it != images.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        CorrectionEntry e;
        e.id = it.key();
        const QString file = o.value(QStringLiteral("file")).toString();
        if (file.isEmpty())
            throw Error("entry '" + str(e.id) + "' has no \"file\"", str(path),
                "Fix or remove the entry in the manifest.");
        e.file = QDir::cleanPath(QDir(m_dir).absoluteFilePath(file));
        e.mask = o.value(QStringLiteral("mask")).toString();
        e.frame = o.value(QStringLiteral("frame")).toInt(-1);
        e.saved = QDateTime::fromString(o.value(QStringLiteral("saved")).toString(), Qt::ISODate);
        m_entries.insert(e.id, e);
    }
}

void MaskStore::writeManifest() const
{
    QJsonObject root;
    root.insert(QStringLiteral("format"), kManifestFormat);
    root.insert(QStringLiteral("version"), kManifestVersion);
    root.insert(QStringLiteral("dataset"), m_dataset.root);
    root.insert(QStringLiteral("datasetFormat"), m_dataset.formatSpec);
    QJsonArray classes;
    for (int k = 0; k < m_dataset.classNames.size(); ++k) {
        QJsonObject c;
        c.insert(QStringLiteral("name"), m_dataset.classNames[k]);
        if (k < m_dataset.classColors.size())
            c.insert(QStringLiteral("color"), m_dataset.classColors[k].name());
        classes.append(c);
    }
    root.insert(QStringLiteral("classes"), classes);
    root.insert(QStringLiteral("void"), int(kVoid));
    QJsonObject images;
    for (const CorrectionEntry& e : m_entries) {
        QJsonObject o;
        o.insert(QStringLiteral("file"), QDir(m_dir).relativeFilePath(e.file));
        o.insert(QStringLiteral("mask"), e.mask);
        if (e.frame >= 0)
            o.insert(QStringLiteral("frame"), e.frame);
        o.insert(QStringLiteral("saved"), e.saved.toUTC().toString(Qt::ISODate));
        images.insert(e.id, o);
    }
    root.insert(QStringLiteral("images"), images);
    ensureWritableDir(m_dir);
    writeFileAtomic(manifestPath(), QJsonDocument(root).toJson(QJsonDocument::Indented));
}

bool MaskStore::hasCorrection(const Sample& sample) const
{
    const auto it = m_entries.constFind(sample.id);
    return it != m_entries.constEnd() && QFileInfo::exists(it->file);
}

CorrectionEntry MaskStore::correction(const Sample& sample) const
{
    return hasCorrection(sample) ? m_entries.value(sample.id) : CorrectionEntry();
}

QVector<CorrectionEntry> MaskStore::corrections() const
{
    QVector<CorrectionEntry> out;
    for (const CorrectionEntry& e : m_entries)
        out.push_back(e);
    return out;
}

QString MaskStore::correctionPath(const Sample& sample) const
{
    const auto it = m_entries.constFind(sample.id);
    if (it != m_entries.constEnd())
        return it->file;
    // A file name another id already uses (ids differing only in replaced characters) gets a suffix.
    const QString name = correctionFileName(sample);
    const QDir labels(QDir(m_dir).filePath(QStringLiteral("labels")));
    QSet<QString> used;
    for (const CorrectionEntry& e : m_entries)
        used.insert(QFileInfo(e.file).fileName());
    QString candidate = name;
    for (int k = 2; used.contains(candidate); ++k)
        candidate = name.chopped(4) + QStringLiteral("~%1.png").arg(k);
    return labels.filePath(candidate);
}

QString MaskStore::journalPath(const Sample& sample) const
{
    return QDir(m_dir).filePath(QStringLiteral("journal/")
        + QFileInfo(correctionPath(sample)).completeBaseName() + QStringLiteral(".journal"));
}

bool MaskStore::hasJournal(const Sample& sample) const
{
    return QFileInfo(journalPath(sample)).size() > LabelJournal::kHeaderSize;
}

bool MaskStore::hasDatasetBackup(const Sample& sample) const
{
    const int i = indexOf(sample.id);
    if (i < 0)
        return false;
    const Sample& s = m_dataset.samples[i];
    if (s.frame >= 0)
        return false;
    if (QFileInfo::exists(s.maskPath + QStringLiteral(".orig")))
        return true;
    if (suffixOf(s.maskPath) != QLatin1String("png"))
        return false;
    const QFileInfo fi(s.maskPath);
    for (const char* ext : { ".jpg.orig", ".jpeg.orig", ".JPG.orig", ".JPEG.orig" })
        if (QFileInfo::exists(fi.dir().filePath(fi.completeBaseName() + QLatin1String(ext))))
            return true;
    return false;
}

bool MaskStore::isEdited(const Sample& sample) const
{
    return hasCorrection(sample) || hasJournal(sample) || hasDatasetBackup(sample);
}

bool MaskStore::isEdited(const QString& id) const
{
    const int i = indexOf(id);
    return i >= 0 && isEdited(m_dataset.samples[i]);
}

QStringList MaskStore::editedIds() const
{
    QStringList out;
    for (const Sample& s : m_dataset.samples)
        if (isEdited(s))
            out << s.id;
    return out;
}

int MaskStore::editedCount() const
{
    return int(editedIds().size());
}

cv::Size MaskStore::imageSize(const Sample& sample) const
{
    const Sample& s = checkedSample(sample);
    if (s.frame < 0) {
        const QSize size = imageSizeFromHeader(s.imagePath);
        if (size.isValid())
            return { size.width(), size.height() };
    }
    const cv::Mat rgb = loadSampleImage(m_dataset, s);
    return rgb.size();
}

cv::Mat MaskStore::loadGroundTruth(const Sample& sample) const
{
    Sample s = checkedSample(sample);
    s.correctionPath.clear();
    return loadLabels(m_dataset, s);
}

cv::Mat MaskStore::loadCorrection(const Sample& sample) const
{
    if (!hasCorrection(sample))
        throw Error("has no correction for sample '" + str(sample.id) + "'", str(m_dir),
            "Open the image's ground truth instead.");
    Sample s = checkedSample(sample);
    s.correctionPath = m_entries.value(sample.id).file;
    const cv::Size size = imageSize(s);
    return loadLabels(m_dataset, s, QSize(size.width, size.height));
}

cv::Mat MaskStore::emptyLabels(const Sample& sample, uchar fill) const
{
    return cv::Mat(imageSize(sample), CV_8UC1, cv::Scalar(fill));
}

cv::Mat MaskStore::loadSaved(const Sample& sample, LabelSource* source) const
{
    const Sample& s = checkedSample(sample);
    LabelSource from = LabelSource::Empty;
    cv::Mat labels;
    if (hasCorrection(s)) {
        labels = loadCorrection(s);
        from = LabelSource::Correction;
    } else if (s.frame >= 0 || QFileInfo::exists(s.maskPath)) {
        labels = loadGroundTruth(s);
        from = LabelSource::GroundTruth;
    } else {
        labels = emptyLabels(s);
    }
    if (source)
        *source = from;
    return labels;
}

void MaskStore::checkLabels(const Sample& sample, const cv::Mat& labels) const
{
    const Sample& s = checkedSample(sample);
    if (labels.empty() || labels.type() != CV_8UC1)
        throw Error("a label map must be one 8-bit channel of class indices (255 = void)", str(s.imagePath));
    const cv::Size size = imageSize(s);
    if (labels.size() != size)
        throw Error("label map is " + std::to_string(labels.cols) + "x" + std::to_string(labels.rows)
                + " but the image is " + std::to_string(size.width) + "x" + std::to_string(size.height),
            str(s.imagePath), "Resize the prediction to the image's size first.");
    double maxVal = 0;
    cv::minMaxLoc(labels, nullptr, &maxVal, nullptr, nullptr, labels != kVoid);
    if (cv::countNonZero(labels != kVoid) > 0 && maxVal >= m_dataset.numClasses())
        throw Error("label map holds class " + std::to_string(int(maxVal)) + " but the dataset has "
                + std::to_string(m_dataset.numClasses()) + " classes",
            str(s.imagePath), "Use a prediction of a model trained on this dataset's classes.");
}

QString MaskStore::saveCorrection(const Sample& sample, const cv::Mat& labels)
{
    const Sample& s = checkedSample(sample);
    checkLabels(s, labels);
    const QString file = correctionPath(s);
    QVector<QRgb> table;
    for (const QColor& c : m_dataset.classColors)
        table.push_back(c.rgb());
    table = fullTable(table, [](int i) { return i == kVoid ? qRgb(255, 255, 255) : qRgb(0, 0, 0); });
    table[kVoid] = qRgb(255, 255, 255);
    ensureWritableDir(QFileInfo(file).absolutePath());
    writeImageAtomic(file, indexedImage(labels, table, false), "PNG");
    CorrectionEntry e;
    e.id = s.id;
    e.file = file;
    e.mask
        = s.frame >= 0 ? QFileInfo(s.maskPath).fileName() : QDir(m_dataset.root).relativeFilePath(s.maskPath);
    e.frame = s.frame;
    e.saved = QDateTime::currentDateTimeUtc();
    m_entries.insert(s.id, e);
    writeManifest();
    return file;
}

void MaskStore::removeCorrection(const Sample& sample)
{
    const auto it = m_entries.find(sample.id);
    if (it == m_entries.end())
        return;
    const QString file = it->file;
    m_entries.erase(it);
    writeManifest();
    if (QFileInfo::exists(file) && !QFile::remove(file))
        throw Error("correction cannot be removed", str(file), "Check the corrections folder is writable.");
}

QString MaskStore::saveToDataset(const Sample& sample, const cv::Mat& labels)
{
    const int index = indexOf(sample.id);
    const Sample& s = checkedSample(sample);
    checkLabels(s, labels);
    const QString path = s.maskPath;
    if (s.frame >= 0)
        throw Error("is a MATLAB container whose labels MaskSup does not rewrite", str(path),
            "Save to the corrections folder (the default) instead.");
    if (!QFileInfo::exists(path))
        throw Error("mask file does not exist, so there is no format to write", str(path),
            "Save to the corrections folder instead.");
    QString target = path;
    QByteArray bytes;
    switch (m_dataset.encoding) {
    case LabelEncoding::BinaryThreshold: {
        refuseVoid(labels, path, "a binary mask");
        const cv::Mat grey = cv::imread(path.toStdString(), cv::IMREAD_GRAYSCALE);
        double maxVal = 255;
        if (!grey.empty())
            cv::minMaxLoc(grey, nullptr, &maxVal);
        const uchar fg = maxVal == 1 ? 1 : 255; // keep a 0/1 mask 0/1
        cv::Mat out;
        labels.convertTo(out, CV_8UC1, fg);
        QString ext = suffixOf(path);
        if (isJpeg(path)) {
            // Never re-encode a mask as JPEG: a lossless PNG beside it, the JPEG kept as .orig.
            const QFileInfo fi(path);
            target = fi.dir().filePath(fi.completeBaseName() + QStringLiteral(".png"));
            ext = QStringLiteral("png");
        } else if (ext != QLatin1String("png") && ext != QLatin1String("bmp") && ext != QLatin1String("tif")
            && ext != QLatin1String("tiff")) {
            throw Error("mask format ." + ext.toStdString() + " cannot be rewritten", str(path),
                "Save to the corrections folder instead.");
        }
        bytes = encodeCv(out, ext, target);
        break;
    }
    case LabelEncoding::InstanceIds: {
        refuseVoid(labels, path, "an instance-id annotation");
        const QImage original = readIndexed(path);
        const cv::Mat ids = instanceIds(indicesOf(original), labels, path);
        const bool grey = original.format() == QImage::Format_Grayscale8;
        const QVector<QRgb> table = fullTable(original.colorTable(), [](int i) { return qRgb(i, i, i); });
        bytes = encodeQImage(
            indexedImage(ids, table, grey), suffixOf(path) == QLatin1String("png") ? "PNG" : "BMP", path);
        break;
    }
    case LabelEncoding::ClassIndex: {
        const QImage original = readIndexed(path);
        cv::Mat out = labels.clone();
        if (m_dataset.ignoreIndex != kVoid)
            out.setTo(m_dataset.ignoreIndex, labels == kVoid);
        const bool grey = original.format() == QImage::Format_Grayscale8;
        QVector<QRgb> classes;
        for (const QColor& c : m_dataset.classColors)
            classes.push_back(c.rgb());
        const QVector<QRgb> table = fullTable(original.colorTable(),
            [&](int i) { return i < classes.size() ? classes[i] : qRgb(255, 255, 255); });
        const QString ext = suffixOf(path);
        const char* format = ext == QLatin1String("bmp") ? "BMP"
            : ext == QLatin1String("png")                ? "PNG"
                                                         : nullptr;
        if (!format)
            throw Error("mask format ." + ext.toStdString() + " cannot be rewritten", str(path),
                "Save to the corrections folder instead.");
        bytes = encodeQImage(indexedImage(out, table, grey), format, path);
        break;
    }
    case LabelEncoding::Lookup: {
        // Raw value for each class and for void: the smallest value the table maps to it.
        QVector<int> rawOf(256, -1);
        for (int v = int(m_dataset.labelLut.size()) - 1; v >= 0; --v)
            rawOf[m_dataset.labelLut[v]] = v;
        const int voidRaw = rawOf[m_dataset.ignoreIndex];
        for (int c = 0; c < m_dataset.numClasses(); ++c)
            if (rawOf[c] < 0)
                throw Error("this dataset's labels have no value for class " + std::to_string(c), str(path),
                    "Save to the corrections folder instead.");
        const bool wide = QImageReader(path).imageFormat() == QImage::Format_Grayscale16;
        cv::Mat out(labels.size(), wide ? CV_16UC1 : CV_8UC1);
        if (cv::countNonZero(labels == kVoid) > 0 && voidRaw < 0)
            refuseVoid(labels, path, "these label files");
        for (int y = 0; y < labels.rows; ++y) {
            const uchar* p = labels.ptr(y);
            for (int x = 0; x < labels.cols; ++x) {
                const int raw = p[x] == kVoid ? voidRaw : rawOf[p[x]];
                if (wide)
                    out.at<quint16>(y, x) = quint16(raw);
                else
                    out.at<uchar>(y, x) = uchar(raw);
            }
        }
        if (suffixOf(path) != QLatin1String("png"))
            throw Error("label format ." + suffixOf(path).toStdString() + " cannot be rewritten", str(path),
                "Save to the corrections folder instead.");
        const QImage original(path);
        if (!wide && original.format() == QImage::Format_Indexed8)
            bytes = encodeQImage(
                indexedImage(out, fullTable(original.colorTable(), [](int) { return qRgb(0, 0, 0); }), false),
                "PNG", path);
        else
            bytes = encodeCv(out, QStringLiteral("png"), path);
        break;
    }
    }
    if (target == path) {
        backupOnce(path);
        writeFileAtomic(path, bytes);
    } else {
        writeFileAtomic(target, bytes);
        // The JPEG becomes the backup (renamed once; the dataset layer prefers the PNG anyway).
        const QString backup = path + QStringLiteral(".orig");
        if (!QFileInfo::exists(backup) && !QFile::rename(path, backup))
            throw Error("original JPEG mask cannot be renamed to " + str(QFileInfo(backup).fileName()),
                str(path),
                "Check the dataset folder is writable; " + str(QFileInfo(target).fileName())
                    + " is used meanwhile.");
        m_dataset.samples[index].maskPath = target;
    }
    if (m_entries.contains(s.id))
        removeCorrection(m_dataset.samples[index]);
    return target;
}

bool MaskStore::syncEditedStates(QMap<QString, ProjectImageState>* images) const
{
    bool changed = false;
    for (const Sample& s : m_dataset.samples) {
        const bool edited = isEdited(s);
        auto it = images->find(s.id);
        if (it == images->end()) {
            if (!edited)
                continue;
            it = images->insert(s.id, ProjectImageState());
        }
        if (it->edited != edited) {
            it->edited = edited;
            changed = true;
        }
        if (!it->edited && !it->reviewed && it->extra.isEmpty()) {
            images->erase(it);
            changed = true;
        }
    }
    return changed;
}

// --- MaskSession ----------------------------------------------------------------------------------

MaskSession::MaskSession(MaskStore& store, const Sample& sample)
    : m_store(store)
    , m_sample(store.dataset().samples.value(store.indexOf(sample.id), sample))
    , m_journal(store.journalPath(sample))
{
    m_labels = m_store.loadSaved(m_sample, &m_source);
    m_baseChecksum = LabelJournal::checksum(m_labels);
    if (!m_store.hasJournal(m_sample))
        return;
    cv::Mat recovered = m_labels.clone();
    try {
        m_recovered = m_journal.replay(recovered);
        m_labels = recovered;
        m_dirty = m_recovered > 0;
    } catch (const Error& e) {
        m_recovered = 0;
        m_recoveryProblem = QString::fromStdString(e.what());
        const QString stale = m_journal.path() + QStringLiteral(".stale");
        QFile::remove(stale);
        if (!QFile::rename(m_journal.path(), stale))
            m_journal.clear();
    }
}

LabelDelta MaskSession::startFrom(LabelSource source, const cv::Mat& prediction, uchar fill)
{
    cv::Mat next;
    switch (source) {
    case LabelSource::Correction:
        next = m_store.loadCorrection(m_sample);
        break;
    case LabelSource::GroundTruth:
        next = m_store.loadGroundTruth(m_sample);
        break;
    case LabelSource::Empty:
        next = cv::Mat(m_labels.size(), CV_8UC1, cv::Scalar(fill));
        break;
    case LabelSource::Prediction:
        m_store.checkLabels(m_sample, prediction);
        next = prediction;
        break;
    }
    const LabelDelta delta = makeLabelDelta(m_labels, next);
    commit(delta);
    m_source = source;
    return delta;
}

void MaskSession::commit(const LabelDelta& delta)
{
    if (delta.isEmpty())
        return;
    applyLabelDelta(m_labels, delta);
    m_dirty = true;
    m_journal.append(delta, m_labels.size(), m_baseChecksum);
}

void MaskSession::commitUndo(const LabelDelta& delta)
{
    commit(LabelJournal::inverted(delta));
}

QString MaskSession::save(SaveTarget target)
{
    const QString file = target == SaveTarget::Corrections ? m_store.saveCorrection(m_sample, m_labels)
                                                           : m_store.saveToDataset(m_sample, m_labels);
    m_sample = m_store.dataset().samples.value(m_store.indexOf(m_sample.id), m_sample);
    m_journal.clear();
    m_dirty = false;
    m_baseChecksum = LabelJournal::checksum(m_labels);
    return file;
}

bool MaskSession::saveIfDirty(SaveTarget target)
{
    if (!m_dirty)
        return false;
    save(target);
    return true;
}

void MaskSession::discard()
{
    m_journal.clear();
    m_labels = m_store.loadSaved(m_sample, &m_source);
    m_baseChecksum = LabelJournal::checksum(m_labels);
    m_dirty = false;
}

// --- Training -------------------------------------------------------------------------------------

int applyCorrections(Dataset& dataset, const QString& correctionsDir)
{
    const QString manifest = QDir(correctionsDir).filePath(kManifestName);
    if (!QFileInfo::exists(manifest))
        throw Error("is not a corrections folder (it has no " + str(kManifestName) + ")", str(correctionsDir),
            "Choose the folder MaskSup Studio saved the corrections in (by default <dataset "
            "folder>.corrections).");
    const MaskStore store(dataset, correctionsDir);
    int n = 0;
    for (Sample& s : dataset.samples) {
        const CorrectionEntry e = store.correction(s);
        if (e.id.isEmpty())
            continue;
        s.correctionPath = e.file;
        ++n;
    }
    return n;
}

} // namespace msup
