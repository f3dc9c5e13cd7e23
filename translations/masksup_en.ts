<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>msup::ui::AnnotationPanel</name>
    <message numerus="yes">
        <source>Recovered %n unsaved edit(s) from the crash journal.</source>
        <translation>
            <numerusform>Recovered %n unsaved edit from the crash journal.</numerusform>
            <numerusform>Recovered %n unsaved edits from the crash journal.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Start %n unedited image(s) from &quot;%1&quot; and save them?</source>
        <translation>
            <numerusform>Start %n unedited image from &quot;%1&quot; and save it?</numerusform>
            <numerusform>Start %n unedited images from &quot;%1&quot; and save them?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) started from the chosen source.</source>
        <translation>
            <numerusform>%n image started from the chosen source.</numerusform>
            <numerusform>%n images started from the chosen source.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) started; %1 failed: %2</source>
        <translation>
            <numerusform>%n image started; %1 failed: %2</numerusform>
            <numerusform>%n images started; %1 failed: %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Not among the %n suggested image(s)</source>
        <translation>
            <numerusform>Not among the %n suggested image</numerusform>
            <numerusform>Not among the %n suggested images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n to review</source>
        <translation>
            <numerusform>%n to review</numerusform>
            <numerusform>%n to review</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>msup::ui::DatasetPanel</name>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 · %n sample(s) · %3 classes</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 · %n sample · %3 classes</numerusform>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 · %n samples · %3 classes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) found while indexing</source>
        <translation>
            <numerusform>%n problem found while indexing</numerusform>
            <numerusform>%n problems found while indexing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) were found while indexing “%1”.</source>
        <translation>
            <numerusform>%n problem was found while indexing “%1”.</numerusform>
            <numerusform>%n problems were found while indexing “%1”.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them made a pair unusable; those pairs are not in the sample list.</source>
        <translation>
            <numerusform>%n of them made a pair unusable; such a pair is not in the sample list.</numerusform>
            <numerusform>%n of them made a pair unusable; those pairs are not in the sample list.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n instance(s)</source>
        <translation>
            <numerusform>%n instance</numerusform>
            <numerusform>%n instances</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n sample(s)</source>
        <translation>
            <numerusform>%1 of %n sample</numerusform>
            <numerusform>%1 of %n samples</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled: %1 of %n image(s) ranked by %2, most uncertain first</source>
        <translation>
            <numerusform>Cancelled: %1 of %n image ranked by %2, most uncertain first</numerusform>
            <numerusform>Cancelled: %1 of %n images ranked by %2, most uncertain first</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) ranked by %1, most uncertain first</source>
        <translation>
            <numerusform>%n image ranked by %1, most uncertain first</numerusform>
            <numerusform>%n images ranked by %1, most uncertain first</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n to review</source>
        <translation>
            <numerusform>%n to review</numerusform>
            <numerusform>%n to review</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) skipped: %1</source>
        <translation>
            <numerusform>%n image skipped: %1</numerusform>
            <numerusform>%n images skipped: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>msup::ui::DatasetReportDialog</name>
    <message numerus="yes">
        <source>%n pair(s)</source>
        <translation>
            <numerusform>%n pair</numerusform>
            <numerusform>%n pairs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>cancelled after %1 of %n pair(s): the figures cover those only</source>
        <translation>
            <numerusform>cancelled after %1 of %n pair: the figures cover those only</numerusform>
            <numerusform>cancelled after %1 of %n pairs: the figures cover those only</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) decoded</source>
        <translation>
            <numerusform>%n pair decoded</numerusform>
            <numerusform>%n pairs decoded</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) cannot be used for training</source>
        <translation>
            <numerusform>%n pair cannot be used for training</numerusform>
            <numerusform>%n pairs cannot be used for training</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s), each with its file and the fix:</source>
        <translation>
            <numerusform>%n problem, each with its file and the fix:</numerusform>
            <numerusform>%n problems, each with its file and the fix:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) found while indexing (decoding may find more):</source>
        <translation>
            <numerusform>%n problem found while indexing (decoding may find more):</numerusform>
            <numerusform>%n problems found while indexing (decoding may find more):</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>msup::ui::ErrorAnalysisView</name>
    <message numerus="yes">
        <source>The %n worst of %1 validation image(s) with this error, epoch %2.</source>
        <translation>
            <numerusform>The %n worst validation image with this error (of %1), epoch %2.</numerusform>
            <numerusform>The %n worst of %1 validation images with this error, epoch %2.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>msup::ui::ExportDialog</name>
    <message numerus="yes">
        <source>%n file(s) written to %1</source>
        <translation>
            <numerusform>%n file written to %1</numerusform>
            <numerusform>%n files written to %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n existing file(s) replaced.</source>
        <translation>
            <numerusform>%n existing file replaced.</numerusform>
            <numerusform>%n existing files replaced.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n image(s) exported in %2 s.</source>
        <translation>
            <numerusform>%1 of %n image exported in %2 s.</numerusform>
            <numerusform>%1 of %n images exported in %2 s.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n input(s) skipped:</source>
        <translation>
            <numerusform>%n input skipped:</numerusform>
            <numerusform>%n inputs skipped:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) in %1 were written by an earlier export and would be replaced.</source>
        <translation>
            <numerusform>%n file in %1 was written by an earlier export and would be replaced.</numerusform>
            <numerusform>%n files in %1 were written by an earlier export and would be replaced.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>msup::ui::MainWindow</name>
    <message numerus="yes">
        <source>%1: %n sample(s), %2 classes</source>
        <translation>
            <numerusform>%1: %n sample, %2 classes</numerusform>
            <numerusform>%1: %n samples, %2 classes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s)</source>
        <translation>
            <numerusform>%n problem</numerusform>
            <numerusform>%n problems</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Epoch 1, batch 1: %n image(s) at %1 × %1 px, seed %2, masks: %3</source>
        <translation>
            <numerusform>Epoch 1, batch 1: %n image at %1 × %1 px, seed %2, masks: %3</numerusform>
            <numerusform>Epoch 1, batch 1: %n images at %1 × %1 px, seed %2, masks: %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Started %n unedited image(s) from the chosen source</source>
        <translation>
            <numerusform>Started %n unedited image from the chosen source</numerusform>
            <numerusform>Started %n unedited images from the chosen source</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Opened dataset %1 (%n sample(s))</source>
        <translation>
            <numerusform>Opened dataset %1 (%n sample)</numerusform>
            <numerusform>Opened dataset %1 (%n samples)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Training started: %1, %2, %n epoch(s), run folder %3</source>
        <translation>
            <numerusform>Training started: %1, %2, %n epoch, run folder %3</numerusform>
            <numerusform>Training started: %1, %2, %n epochs, run folder %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Training stopped after %n epoch(s); best validation mIoU %1 (epoch %2)</source>
        <translation>
            <numerusform>Training stopped after %n epoch; best validation mIoU %1 (epoch %2)</numerusform>
            <numerusform>Training stopped after %n epochs; best validation mIoU %1 (epoch %2)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Training finished: %n epoch(s); best validation mIoU %1 (epoch %2)</source>
        <translation>
            <numerusform>Training finished: %n epoch; best validation mIoU %1 (epoch %2)</numerusform>
            <numerusform>Training finished: %n epochs; best validation mIoU %1 (epoch %2)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>CPU · %n thread(s)</source>
        <translation>
            <numerusform>CPU · %n thread</numerusform>
            <numerusform>CPU · %n threads</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) of this dataset have corrected masks in %1</source>
        <translation>
            <numerusform>%n image of this dataset has a corrected mask in %1</numerusform>
            <numerusform>%n images of this dataset have corrected masks in %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Suggested %n image(s) to annotate, ranked by %1</source>
        <translation>
            <numerusform>Suggested %n image to annotate, ranked by %1</numerusform>
            <numerusform>Suggested %n images to annotate, ranked by %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>msup::ui::MaskPanel</name>
    <message numerus="yes">
        <source>%n file(s) skipped</source>
        <translation>
            <numerusform>%n file skipped</numerusform>
            <numerusform>%n files skipped</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>msup::ui::ProjectController</name>
    <message numerus="yes">
        <source>Removed %n entry(ies) that no longer exist from the recent list: %1</source>
        <translation>
            <numerusform>Removed %n entry that no longer exists from the recent list: %1</numerusform>
            <numerusform>Removed %n entries that no longer exist from the recent list: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>msup::ui::RobustnessPanel</name>
    <message numerus="yes">
        <source>%n pair(s) could not be decoded and were left out: %1</source>
        <translation>
            <numerusform>%n pair could not be decoded and was left out: %1</numerusform>
            <numerusform>%n pairs could not be decoded and were left out: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>msup::ui::RunsPanel</name>
    <message numerus="yes">
        <source>Robustness curve: %n level(s)</source>
        <translation>
            <numerusform>Robustness curve: %n level</numerusform>
            <numerusform>Robustness curve: %n levels</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reading %n run(s)…</source>
        <translation>
            <numerusform>Reading %n run…</numerusform>
            <numerusform>Reading %n runs…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) added.</source>
        <translation>
            <numerusform>%n run added.</numerusform>
            <numerusform>%n runs added.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) selected.</source>
        <translation>
            <numerusform>%n run selected.</numerusform>
            <numerusform>%n runs selected.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Report written to %1 (%n example prediction(s)).</source>
        <translation>
            <numerusform>Report written to %1 (%n example prediction).</numerusform>
            <numerusform>Report written to %1 (%n example predictions).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 on the validation split (%n image(s)): %2 true positive, %3 false positive, %4 false negative object(s); per-image Dice: mean %5, median %6; HD95: mean %7 pixels</source>
        <translation>
            <numerusform>%1 on the validation split (%n image): %2 true positive, %3 false positive, %4 false negative object(s); per-image Dice: mean %5, median %6; HD95: mean %7 pixels</numerusform>
            <numerusform>%1 on the validation split (%n images): %2 true positive, %3 false positive, %4 false negative object(s); per-image Dice: mean %5, median %6; HD95: mean %7 pixels</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>msup::ui::TrainingPanel</name>
    <message numerus="yes">
        <source>Stopped after %n epoch(s); %1.</source>
        <translation>
            <numerusform>Stopped after %n epoch; %1.</numerusform>
            <numerusform>Stopped after %n epochs; %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Finished %n epoch(s); %1.</source>
        <translation>
            <numerusform>Finished %n epoch; %1.</numerusform>
            <numerusform>Finished %n epochs; %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Use corrected masks (%n edited image(s))</source>
        <translation>
            <numerusform>Use corrected masks (%n edited image)</numerusform>
            <numerusform>Use corrected masks (%n edited images)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>One batch of %1 images at %2 px takes %3 on %4: about %5 per epoch (%n batch(es)), %6 for the whole run.</source>
        <translation>
            <numerusform>One batch of %1 images at %2 px takes %3 on %4: about %5 per epoch (%n batch), %6 for the whole run.</numerusform>
            <numerusform>One batch of %1 images at %2 px takes %3 on %4: about %5 per epoch (%n batches), %6 for the whole run.</numerusform>
        </translation>
    </message>
</context>
</TS>
