#pragma once
// Test support for the studio's widgets: message boxes that show up, and waiting for a dataset to open.

#include <QString>

class QMessageBox;

namespace msup::ui {
class MainWindow;
}

namespace msup::test {

// The visible message box with the given object name, or the first visible one when empty.
QMessageBox* visibleMessageBox(const QString& objectName = {});
// The visible message box whose text or informative text contains `needle`.
QMessageBox* visibleMessageBoxMentioning(const QString& needle);
// Shows the window (when hidden) and opens `folder` in it, waiting (at most 30 s) until the dataset
// is open; false when it did not open.
bool openDatasetAndWait(ui::MainWindow& window, const QString& folder);

} // namespace msup::test
