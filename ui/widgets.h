#pragma once

#include <QMessageBox>
#include <QPushButton>
#include <QString>
#include <QStringList>

class QLabel;
class QListWidget;
class QSlider;

namespace msup {
namespace ui {

    // The small widgets every panel builds the same way: buttons named for tests, boxes that do not
    // block, labels for text worth copying, labels for problems in the error colour.

    // A push button named `objectName` (tests and scripts find it by that name) with its tool tip,
    // calling `slot` of `receiver` when clicked.
    template <typename Receiver, typename Slot>
    QPushButton* pushButton(const QString& text, const QString& objectName, const QString& toolTip,
        QWidget* parent, Receiver* receiver, Slot slot)
    {
        auto* button = new QPushButton(text, parent);
        button->setObjectName(objectName);
        button->setToolTip(toolTip);
        QObject::connect(button, &QPushButton::clicked, receiver, slot);
        return button;
    }

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

    // The overlay opacity control of an image view: a horizontal 0–100 % slider at 50 %, at most
    // `maxWidth` wide, the buddy of its caption.
    QSlider* opacitySlider(
        const QString& objectName, const QString& toolTip, int maxWidth, QLabel* caption, QWidget* parent);

    // The texts of a list's items, top to bottom (what a class legend shows).
    QStringList itemTexts(const QListWidget* list);

} // namespace ui
} // namespace msup
