#pragma once

#include <QMessageBox>
#include <QString>

class QLabel;

namespace msup {
namespace ui {

    // How panels show messages: boxes that do not block, labels for text worth copying, labels for
    // problems in the error colour.

    // A message that does not block: a box with Close over `parent`, deleted when closed; `details`
    // is its informative text. The caller names it or adds detailed text if it likes, then shows it
    // with open() (window-modal, never exec()):  closableMessage(this, Warning, title, text)->open();
    QMessageBox* closableMessage(QWidget* parent, QMessageBox::Icon icon, const QString& title,
        const QString& text, const QString& details = {});

    // A label for text the user may want to copy (summaries, status lines, what failed and why):
    // word-wrapped, selectable with the mouse.
    QLabel* textLabel(const QString& objectName, QWidget* parent);

    // A word-wrapped label in the error colour, hidden until there is a problem to show (under the
    // field it concerns).
    QLabel* errorLabel(const QString& objectName, QWidget* parent);

} // namespace ui
} // namespace msup
