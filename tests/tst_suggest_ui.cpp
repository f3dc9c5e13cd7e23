// "Suggest images to annotate" in the studio (issue 18, part 3): the Dataset panel ranks the images
// not marked reviewed with a checkpoint in the background (the order msup::suggestImagesToAnnotate
// gives), shows the ranking as a filter in rank order, reports skipped images, cancels, forgets the
// ranking when the dataset changes; the Annotate panel walks it (N / Shift+N), skipping reviewed
// images. A tiny checkpoint is trained once.
#include "core/data/dataset.h"
#include "core/train/suggestions.h"
#include "core/train/training_session.h"
#include "tests/support/files.h"
#include "tests/support/fixtures.h"
#include "tests/support/widgets.h"
#include "ui/annotation_panel.h"
#include "ui/dataset_panel.h"
#include "ui/log_panel.h"
#include "ui/main_window.h"
#include "ui/prediction_panel.h"
#include "ui/sample_list_model.h"
#include "ui/studio_resources.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include <algorithm>

using msup::ui::AnnotationPanel;
using msup::ui::DatasetPanel;
using msup::ui::MainWindow;
using Filter = msup::ui::SampleFilterModel::ReviewFilter;

namespace {

constexpr int kTimeout = 120000;

// The panel beside its samples widget, as the main window docks them.
struct PanelWindow {
    QWidget window;
    DatasetPanel* panel;
    PanelWindow()
    {
        auto* layout = new QHBoxLayout(&window);
        panel = new DatasetPanel(&window);
        layout->addWidget(panel->samplesWidget());
        layout->addWidget(panel, 1);
        window.resize(1100, 700);
        window.show();
    }
};

// Runs the panel's action and waits for the ranking job to end; the message it ended with.
QString suggestAndWait(DatasetPanel& panel)
{
    QSignalSpy finished(&panel, &DatasetPanel::suggestFinished);
    panel.suggestAction()->trigger();
    if (!finished.wait(kTimeout))
        return QStringLiteral("no suggestFinished");
    return finished.first().first().toString();
}

QStringList idsOf(const msup::Dataset& ds, const QVector<int>& indices)
{
    QStringList ids;
    for (int i : indices)
        ids << ds.samples[i].id;
    return ids;
}

bool suggestedEntryEnabled(const DatasetPanel& panel)
{
    auto* combo = panel.samplesWidget()->findChild<QComboBox*>(QStringLiteral("reviewFilterCombo"));
    auto* items = qobject_cast<QStandardItemModel*>(combo->model());
    return items->item(combo->findData(int(Filter::Suggested)))->isEnabled();
}

} // namespace

class TestSuggestUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void ranksTheImagesNotReviewedInTheCoresOrder();
    void skippedImagesAreNamedWithTheirReason();
    void cancelKeepsTheImagesRankedSoFar();
    void annotatePanelWalksTheRankingSkippingReviewedImages();

private:
    QTemporaryDir m_tmp;
    QString m_dataset; // 12 glands images
    QString m_broken; // the same with one unreadable image
    QString m_big; // 60 glands images, for Cancel
    QString m_checkpoint;
};

void TestSuggestUi::initTestCase()
{
    msup::test::isolateSettings(QStringLiteral("tst_suggest_ui"));
    msup::ui::installTranslators(
        *qApp, QStringLiteral("en")); // English plural forms, as the studio shows them
    QVERIFY(m_tmp.isValid());
    m_dataset = msup::test::writeTinyDataset(
        m_tmp.filePath(QStringLiteral("glands")), msup::SynthKind::Glands, 12, 64, 5);
    m_broken = msup::test::writeTinyDataset(
        m_tmp.filePath(QStringLiteral("broken")), msup::SynthKind::Glands, 6, 64, 5);
    const msup::Dataset broken = msup::openDataset(m_broken);
    QFile image(broken.samples[2].imagePath);
    QVERIFY(image.open(QIODevice::WriteOnly | QIODevice::Truncate));
    image.write("not an image");
    image.close();
    m_big = msup::test::writeTinyDataset(
        m_tmp.filePath(QStringLiteral("big")), msup::SynthKind::Glands, 60, 64, 8);

    msup::TrainConfig c = msup::test::tinyConfig(m_dataset, m_tmp.filePath(QStringLiteral("run")), 2, 4);
    c.seed = 3;
    m_checkpoint = msup::TrainingSession(c).run({}).bestCheckpoint;
    QVERIFY(QFile::exists(m_checkpoint));
}

// Without a checkpoint the action is disabled and says why; with one it ranks the images not marked
// reviewed exactly as the core does, shows them most uncertain first ("Suggested to annotate"),
// names the checkpoint, and forgets the ranking when the dataset changes.
void TestSuggestUi::ranksTheImagesNotReviewedInTheCoresOrder()
{
    const msup::Dataset ds = msup::openDataset(m_dataset);
    PanelWindow w;
    DatasetPanel& panel = *w.panel;
    panel.setDataset(ds);
    QVERIFY(!panel.suggestAction()->isEnabled());
    QVERIFY2(panel.suggestAction()->toolTip().contains(QStringLiteral("checkpoint")),
        qPrintable(panel.suggestAction()->toolTip()));
    QVERIFY(!suggestedEntryEnabled(panel));

    panel.setSuggestCheckpoint(m_checkpoint);
    QVERIFY(panel.suggestAction()->isEnabled());
    const QSet<int> reviewed { 1, 4, 7 };
    for (int i : reviewed)
        panel.setReviewed(i, true);

    QCOMPARE(suggestAndWait(panel), QString());
    QVERIFY(!panel.isSuggesting());

    msup::SuggestOptions options;
    options.checkpoint = m_checkpoint;
    options.dataset = m_dataset;
    for (int i : reviewed)
        options.exclude.insert(ds.samples[i].id);
    const msup::SuggestResult expected = msup::suggestImagesToAnnotate(options);
    QCOMPARE(expected.ranked.size(), ds.samples.size() - reviewed.size());
    QStringList expectedIds;
    for (const msup::AnnotationSuggestion& s : expected.ranked)
        expectedIds << s.id;

    const QVector<int> ranked = panel.suggestedSamples();
    QCOMPARE(idsOf(ds, ranked), expectedIds);
    for (int i : reviewed)
        QCOMPARE(panel.suggestionRank(i), -1);
    for (int r = 0; r < ranked.size(); ++r) {
        QCOMPARE(panel.suggestionRank(ranked[r]), r);
        QVERIFY(qAbs(panel.suggestionUncertainty(ranked[r]) - expected.ranked[r].meanUncertainty) < 1e-6);
        const QModelIndex row = panel.sampleModel()->index(ranked[r]);
        QCOMPARE(row.data(msup::ui::SampleListModel::SuggestionRankRole).toInt(), r);
        QVERIFY(
            row.data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("Suggested to annotate: %1 of %2").arg(r + 1).arg(ranked.size())));
    }
    // The filter shows them in rank order, and names where the ranking came from.
    QCOMPARE(panel.reviewFilter(), Filter::Suggested);
    QVERIFY(suggestedEntryEnabled(panel));
    QCOMPARE(panel.visibleSamples(), ranked);
    QCOMPARE(panel.suggestionsCheckpoint(), m_checkpoint);
    QVERIFY2(panel.suggestionsText().contains(msup::ui::PredictionPanel::runName(m_checkpoint)),
        qPrintable(panel.suggestionsText()));
    QVERIFY2(panel.suggestionsText().contains(QStringLiteral("9 images ranked")),
        qPrintable(panel.suggestionsText()));
    QVERIFY(panel.suggestionsSkipped().isEmpty());
    QVERIFY(!panel.suggestionsCancelled());

    // Reviewing one keeps it listed (with its mark) and the count of those left goes down.
    panel.setReviewed(ranked[0], true);
    QCOMPARE(panel.visibleSamples(), ranked);
    QVERIFY2(
        panel.suggestionsText().contains(QStringLiteral("8 to review")), qPrintable(panel.suggestionsText()));
    // Other filters keep the dataset's order.
    panel.setReviewFilter(Filter::NotReviewed);
    QVector<int> notReviewed = panel.visibleSamples();
    QVERIFY(std::is_sorted(notReviewed.begin(), notReviewed.end()));
    QCOMPARE(notReviewed.size(), ds.samples.size() - reviewed.size() - 1);
    panel.setReviewFilter(Filter::Suggested);
    QCOMPARE(panel.visibleSamples(), ranked);

    // Ranking again while the filter shows the last ranking: it shows the new one (the images
    // reviewed since are left out).
    QCOMPARE(suggestAndWait(panel), QString());
    const QVector<int> reranked = panel.suggestedSamples();
    QCOMPARE(reranked.size(), ranked.size() - 1);
    QVERIFY(!reranked.contains(ranked[0]));
    QCOMPARE(panel.reviewFilter(), Filter::Suggested);
    QCOMPARE(panel.visibleSamples(), reranked);
    QCOMPARE(panel.visibleSampleCount(), reranked.size());

    // Another checkpoint does not change the ranking shown, which still names its own.
    panel.setSuggestCheckpoint(QStringLiteral("/elsewhere/other.pt"));
    QCOMPARE(panel.suggestedSamples(), reranked);
    QCOMPARE(panel.suggestionsCheckpoint(), m_checkpoint);

    // A new dataset: nothing stale is left.
    QSignalSpy changed(&panel, &DatasetPanel::suggestionsChanged);
    panel.setDataset(ds);
    QCOMPARE(changed.count(), 1);
    QVERIFY(panel.suggestedSamples().isEmpty());
    QCOMPARE(panel.reviewFilter(), Filter::All);
    QVERIFY(!suggestedEntryEnabled(panel));
    QVERIFY(panel.suggestionsText().isEmpty());
    QCOMPARE(
        panel.sampleModel()->index(reranked[0]).data(msup::ui::SampleListModel::SuggestionRankRole).toInt(),
        -1);
}

// An image that cannot be read is left out of the ranking and named with the reason.
void TestSuggestUi::skippedImagesAreNamedWithTheirReason()
{
    const msup::Dataset ds = msup::openDataset(m_broken);
    PanelWindow w;
    DatasetPanel& panel = *w.panel;
    panel.setDataset(ds);
    panel.setSuggestCheckpoint(m_checkpoint);
    QCOMPARE(suggestAndWait(panel), QString());
    QCOMPARE(panel.suggestedSamples().size(), ds.samples.size() - 1);
    QCOMPARE(panel.suggestionRank(2), -1);
    QCOMPARE(panel.suggestionsSkipped().size(), 1);
    const QString file = QFileInfo(ds.samples[2].imagePath).fileName();
    QCOMPARE(QFileInfo(panel.suggestionsSkipped().first().file).fileName(), file);
    QVERIFY(!panel.suggestionsSkipped().first().reason.isEmpty());
    QVERIFY2(panel.suggestionsText().contains(QStringLiteral("1 image skipped: %1: ").arg(file)),
        qPrintable(panel.suggestionsText()));
    auto* label = panel.samplesWidget()->findChild<QLabel*>(QStringLiteral("suggestLabel"));
    QVERIFY(label->isVisible());
    QVERIFY(label->toolTip().contains(panel.suggestionsSkipped().first().reason));
}

// Cancel stops the job whenever it lands: the images ranked so far are shown (a prefix of the
// candidates in dataset order, ranked most uncertain first), or all of them when it came too late.
// Changing the dataset during a ranking cancels it and shows nothing.
void TestSuggestUi::cancelKeepsTheImagesRankedSoFar()
{
    const msup::Dataset ds = msup::openDataset(m_big);
    PanelWindow w;
    DatasetPanel& panel = *w.panel;
    panel.setDataset(ds);
    panel.setSuggestCheckpoint(m_checkpoint);
    panel.setReviewed(0, true);

    auto* cancel = panel.samplesWidget()->findChild<QPushButton*>(QStringLiteral("suggestCancelButton"));
    auto* bar = panel.samplesWidget()->findChild<QProgressBar*>(QStringLiteral("suggestProgressBar"));
    QSignalSpy finished(&panel, &DatasetPanel::suggestFinished);
    panel.suggestAction()->trigger();
    QVERIFY(panel.isSuggesting());
    QVERIFY(!panel.suggestAction()->isEnabled());
    QVERIFY(bar->isVisible());
    QVERIFY(cancel->isVisible() && cancel->isEnabled());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(finished.first().first().toString(), QString());
    QVERIFY(!panel.isSuggesting());
    QVERIFY(!bar->isVisible());
    QVERIFY(panel.suggestAction()->isEnabled());

    const QVector<int> ranked = panel.suggestedSamples();
    const int candidates = int(ds.samples.size()) - 1;
    QVERIFY(ranked.size() <= candidates);
    QCOMPARE(panel.suggestionRank(0), -1);
    if (panel.suggestionsCancelled()) {
        QVERIFY(ranked.size() < candidates);
        QVERIFY2(panel.suggestionsText().startsWith(
                     QStringLiteral("Cancelled: %1 of %2 images ranked").arg(ranked.size()).arg(candidates)),
            qPrintable(panel.suggestionsText()));
    } else {
        QCOMPARE(ranked.size(), candidates);
    }
    QVector<int> done = ranked;
    std::sort(done.begin(), done.end());
    for (int k = 0; k < done.size(); ++k)
        QCOMPARE(done[k], k + 1); // the candidates are visited in dataset order
    for (int r = 1; r < ranked.size(); ++r)
        QVERIFY(panel.suggestionUncertainty(ranked[r - 1]) >= panel.suggestionUncertainty(ranked[r]));
    if (!ranked.isEmpty())
        QCOMPARE(panel.visibleSamples(), ranked);

    // The dataset changes while a ranking runs: it stops, and nothing is shown from it.
    finished.clear();
    panel.suggestAction()->trigger();
    QVERIFY(panel.isSuggesting());
    panel.setDataset(ds);
    QVERIFY(panel.suggestedSamples().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isSuggesting(), kTimeout);
    QVERIFY(panel.suggestedSamples().isEmpty());
    QCOMPARE(panel.reviewFilter(), Filter::All);
    QVERIFY(panel.suggestionsText().isEmpty());
}

// In the studio: the checkpoint the Prediction panel shows is the one the ranking uses; the Annotate
// panel's Next / Previous suggested (N / Shift+N, used by nothing else) walk the ranking in rank
// order, skip images marked reviewed, and say where the walk stands.
void TestSuggestUi::annotatePanelWalksTheRankingSkippingReviewedImages()
{
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(msup::test::openDatasetAndWait(window, m_dataset));
    DatasetPanel* dataset = window.datasetPanel();
    AnnotationPanel* annotate = window.annotationPanel();
    QAction* next = annotate->nextSuggestedAction();
    QAction* previous = annotate->previousSuggestedAction();

    // Shortcuts nobody else uses.
    QCOMPARE(next->shortcut(), QKeySequence(Qt::Key_N));
    QCOMPARE(previous->shortcut(), QKeySequence(Qt::SHIFT | Qt::Key_N));
    for (QAction* action : window.findChildren<QAction*>()) {
        if (action == next || action == previous)
            continue;
        for (const QKeySequence& key : action->shortcuts())
            QVERIFY2(key != next->shortcut() && key != previous->shortcut(), qPrintable(action->text()));
    }
    for (QShortcut* shortcut : window.findChildren<QShortcut*>())
        QVERIFY(shortcut->key() != next->shortcut() && shortcut->key() != previous->shortcut());

    // No ranking yet: the walk is off and says how to get one.
    QVERIFY(!next->isEnabled() && !previous->isEnabled());
    QVERIFY(annotate->suggestionText().contains(QStringLiteral("Suggest images to annotate")));
    QVERIFY(!dataset->suggestAction()->isEnabled());

    window.predictionPanel()->setCheckpoint(m_checkpoint);
    QCOMPARE(dataset->suggestCheckpoint(), m_checkpoint);
    dataset->setReviewed(3, true);
    QCOMPARE(suggestAndWait(*dataset), QString());
    const QVector<int> ranked = dataset->suggestedSamples();
    QCOMPARE(ranked.size(), dataset->dataset().samples.size() - 1);
    QVERIFY(!ranked.contains(3));
    const int total = int(ranked.size());
    QVERIFY2(window.logPanel()->visibleText().contains(
                 QStringLiteral("Suggested %1 images to annotate, ranked by %2")
                     .arg(total)
                     .arg(QDir::toNativeSeparators(m_checkpoint))),
        qPrintable(window.logPanel()->visibleText()));

    // Reviewed after the ranking: the walk skips it.
    dataset->setReviewed(ranked[2], true);
    dataset->setCurrentIndex(ranked[0]);
    const auto shows = [&](int rank) {
        const msup::Sample& s = dataset->dataset().samples[ranked[rank]];
        return dataset->currentIndex() == ranked[rank] && annotate->sampleId() == s.id;
    };
    QTRY_VERIFY_WITH_TIMEOUT(shows(0), kTimeout);
    QCOMPARE(annotate->suggestionText(),
        QStringLiteral("Suggested 1 of %1 · %2 to review").arg(total).arg(total - 1));
    QVERIFY(next->isEnabled());
    QVERIFY(!previous->isEnabled());
    QVERIFY(annotate->suggestionText().size() > 0);

    window.showTab(MainWindow::Tab::Annotation);
    annotate->canvas()->setFocus();
    QTest::keyClick(annotate->canvas(), Qt::Key_N);
    QTRY_VERIFY_WITH_TIMEOUT(shows(1), kTimeout);
    next->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(shows(3), kTimeout); // rank 2 is reviewed
    QCOMPARE(annotate->suggestionText(),
        QStringLiteral("Suggested 4 of %1 · %2 to review").arg(total).arg(total - 1));
    QVERIFY(previous->isEnabled());
    QTest::keyClick(annotate->canvas(), Qt::Key_N, Qt::ShiftModifier);
    QTRY_VERIFY_WITH_TIMEOUT(shows(1), kTimeout);

    // To the end; marking the last ones reviewed leaves nothing after them.
    dataset->setCurrentIndex(ranked[total - 1]);
    QTRY_VERIFY_WITH_TIMEOUT(shows(total - 1), kTimeout);
    QVERIFY(!next->isEnabled());
    QVERIFY(previous->isEnabled());
    for (int r = 0; r < total; ++r)
        dataset->setReviewed(ranked[r], true);
    QVERIFY(!previous->isEnabled());
    QVERIFY(annotate->suggestionText().endsWith(QStringLiteral("0 to review")));

    // Another dataset: the ranking is gone, the walk is off.
    QVERIFY(msup::test::openDatasetAndWait(window, m_broken));
    QVERIFY(dataset->suggestedSamples().isEmpty());
    QVERIFY(!next->isEnabled() && !previous->isEnabled());
    QVERIFY(annotate->suggestionText().contains(QStringLiteral("Suggest images to annotate")));

    // Its images have the same ids, all marked reviewed above (the states follow the ids): nothing
    // to rank, and the panel and the log say why.
    for (int i = 0; i < dataset->dataset().samples.size(); ++i)
        QVERIFY(dataset->isReviewed(i));
    const QString error = suggestAndWait(*dataset);
    QVERIFY2(error.contains(QStringLiteral("no image to rank")), qPrintable(error));
    QVERIFY(dataset->suggestedSamples().isEmpty());
    QVERIFY2(dataset->suggestionsText().startsWith(QStringLiteral("Could not rank the images: ")),
        qPrintable(dataset->suggestionsText()));
    QVERIFY(
        window.logPanel()->visibleText().contains(QStringLiteral("Could not rank the images to annotate: ")));
    // Not reviewed: the unreadable image is named in the log with its reason.
    for (int i = 0; i < dataset->dataset().samples.size(); ++i)
        dataset->setReviewed(i, false);
    QCOMPARE(suggestAndWait(*dataset), QString());
    QCOMPARE(dataset->suggestedSamples().size(), dataset->dataset().samples.size() - 1);
    QVERIFY(!dataset->suggestionsText().contains(QStringLiteral("Could not rank")));
    const QString broken = QDir::toNativeSeparators(dataset->dataset().samples[2].imagePath);
    QVERIFY2(window.logPanel()->visibleText().contains(QStringLiteral("The ranking skips %1: ").arg(broken)),
        qPrintable(window.logPanel()->visibleText()));
    QVERIFY(next->isEnabled() || previous->isEnabled()); // the walk is on again
}

QTEST_MAIN(TestSuggestUi)
#include "tst_suggest_ui.moc"
