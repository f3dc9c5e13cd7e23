#include "tests/support/widgets.h"

#include "ui/dataset_panel.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QMessageBox>
#include <QSignalSpy>
#include <QtTest>

namespace msup::test {

QMessageBox* visibleMessageBox(const QString& objectName)
{
    for (QWidget* widget : QApplication::topLevelWidgets()) {
        auto* box = qobject_cast<QMessageBox*>(widget);
        if (box && box->isVisible() && (objectName.isEmpty() || box->objectName() == objectName))
            return box;
    }
    return nullptr;
}

QMessageBox* visibleMessageBoxMentioning(const QString& needle)
{
    for (QWidget* widget : QApplication::topLevelWidgets()) {
        auto* box = qobject_cast<QMessageBox*>(widget);
        if (box && box->isVisible()
            && (box->text().contains(needle) || box->informativeText().contains(needle)))
            return box;
    }
    return nullptr;
}

bool openDatasetAndWait(ui::MainWindow& window, const QString& folder)
{
    if (!window.isVisible()) {
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            return false;
    }
    QSignalSpy opened(&window, &ui::MainWindow::datasetOpened);
    window.openDataset(folder);
    return opened.wait(30000) && window.datasetPanel()->hasDataset();
}

} // namespace msup::test
