// The dataset panel's review state: marks, filters, counts, Ctrl+M, and the project-file API.
#include "core/data/dataset.h"
#include "core/io/project_file.h"
#include "ui/dataset_panel.h"
#include "ui/sample_list_model.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace msup;
using msup::ui::DatasetPanel;
using Filter = msup::ui::SampleFilterModel::ReviewFilter;

class TestAnnotReview : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void statesFiltersAndShortcut();

private:
    QTemporaryDir m_tmp;
    QString m_root;
};

void TestAnnotReview::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    // A generic 3-class dataset; c's label map is all void: "unlabelled".
    m_root = m_tmp.filePath(QStringLiteral("scenes"));
    QDir().mkpath(m_root + QStringLiteral("/images"));
    QDir().mkpath(m_root + QStringLiteral("/masks"));
    writeClassesJson(m_root + QStringLiteral("/classes.json"),
        { QStringLiteral("background"), QStringLiteral("wall"), QStringLiteral("floor") },
        { QColor(0, 0, 0), QColor(200, 0, 0), QColor(0, 200, 0) });
    for (const char* id : { "a", "b", "c" }) {
        cv::Mat rgb(32, 32, CV_8UC3, cv::Scalar(40, 80, 120));
        const QString name = QString::fromLatin1(id);
        QVERIFY(cv::imwrite(
            QString(m_root + QStringLiteral("/images/") + name + QStringLiteral(".png")).toStdString(), rgb));
        cv::Mat mask(32, 32, CV_8UC1, cv::Scalar(name == QLatin1String("c") ? 255 : 0));
        if (name != QLatin1String("c"))
            cv::circle(mask, { 16, 16 }, 6, cv::Scalar(2), cv::FILLED);
        QVERIFY(cv::imwrite(
            QString(m_root + QStringLiteral("/masks/") + name + QStringLiteral(".png")).toStdString(), mask));
    }
}

void TestAnnotReview::statesFiltersAndShortcut()
{
    const Dataset ds = openDataset(m_root);
    QCOMPARE(formatName(ds.format), QStringLiteral("generic"));
    QCOMPARE(ds.samples.size(), 3);
    // As in the main window: the samples widget lives beside the panel (there, in a dock).
    QWidget window;
    auto* layout = new QHBoxLayout(&window);
    auto* panelPtr = new DatasetPanel(&window);
    DatasetPanel& panel = *panelPtr;
    layout->addWidget(panel.samplesWidget());
    layout->addWidget(panelPtr, 1);
    window.resize(1000, 600);
    QSignalSpy changed(&panel, &DatasetPanel::imageStatesChanged);

    // The project's states may come before the dataset; unknown ids are kept.
    QMap<QString, ProjectImageState> states;
    states[QStringLiteral("a")].reviewed = true;
    states[QStringLiteral("gone")].reviewed = true;
    panel.setImageStates(states);
    panel.setDataset(ds);
    QCOMPARE(changed.count(), 0);
    QVERIFY(panel.isReviewed(0));
    QVERIFY(!panel.isReviewed(1));
    QCOMPARE(panel.reviewedCount(), 1);
    QCOMPARE(panel.editedCount(), 0);

    panel.setEditedIds({ QStringLiteral("b") });
    QCOMPARE(changed.count(), 1);
    QVERIFY(panel.isEdited(1));
    QCOMPARE(panel.editedCount(), 1);
    QMap<QString, ProjectImageState> out = panel.imageStates();
    QCOMPARE(out.keys(), (QStringList { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("gone") }));
    QVERIFY(out[QStringLiteral("b")].edited && !out[QStringLiteral("b")].reviewed);
    auto* countLabel = panel.samplesWidget()->findChild<QLabel*>(QStringLiteral("reviewCountLabel"));
    QVERIFY(countLabel);
    QVERIFY(countLabel->text().contains(QLatin1String("1")));

    // Filters.
    panel.setReviewFilter(Filter::Reviewed);
    QCOMPARE(panel.visibleSamples(), QVector<int> { 0 });
    panel.setReviewFilter(Filter::NotReviewed);
    QCOMPARE(panel.visibleSamples(), (QVector<int> { 1, 2 }));
    panel.setReviewFilter(Filter::Edited);
    QCOMPARE(panel.visibleSamples(), QVector<int> { 1 });
    QSignalSpy scanned(&panel, &DatasetPanel::classScanFinished);
    panel.setReviewFilter(Filter::Unlabelled);
    QVERIFY(scanned.count() > 0 || scanned.wait(10000));
    QCOMPARE(panel.visibleSamples(), QVector<int> { 2 });
    panel.setReviewFilter(Filter::All);
    QCOMPARE(panel.visibleSampleCount(), 3);

    // Ctrl+M toggles the current sample; the marks are painted.
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    panel.setCurrentIndex(2);
    QCOMPARE(panel.currentIndex(), 2);
    QVERIFY(!panel.markReviewedAction()->isChecked());
    changed.clear();
    QTest::keyClick(&panel, Qt::Key_M, Qt::ControlModifier);
    QVERIFY(panel.isReviewed(2));
    QVERIFY(panel.markReviewedAction()->isChecked());
    QCOMPARE(changed.count(), 1);
    QVERIFY(panel.imageStates().value(QStringLiteral("c")).reviewed);
    QTest::keyClick(&panel, Qt::Key_M, Qt::ControlModifier);
    QVERIFY(!panel.isReviewed(2));
    QVERIFY(!panel.imageStates().contains(QStringLiteral("c")));
    auto* list = panel.samplesWidget()->findChild<QListView*>(QStringLiteral("thumbnailList"));
    QVERIFY(list);
    QVERIFY(!list->viewport()->grab().isNull());

    // Working through the unreviewed images: marking one moves on to the next.
    panel.setReviewFilter(Filter::NotReviewed);
    panel.setCurrentIndex(1);
    panel.markReviewedAction()->trigger();
    QVERIFY(panel.isReviewed(1));
    QCOMPARE(panel.visibleSamples(), QVector<int> { 2 });
    QCOMPARE(panel.currentIndex(), 2);
    QCOMPARE(panel.reviewedCount(), 2);

    // A new project replaces every state without a signal.
    changed.clear();
    panel.setImageStates({});
    QCOMPARE(panel.reviewedCount(), 0);
    QCOMPARE(panel.editedCount(), 0);
    QCOMPARE(changed.count(), 0);
}

QTEST_MAIN(TestAnnotReview)
#include "tst_annot_review.moc"
