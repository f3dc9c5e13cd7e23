#include "ui/messages.h"

#include <QLabel>

namespace msup {
namespace ui {

    QMessageBox* closableMessage(QWidget* parent, QMessageBox::Icon icon, const QString& title,
        const QString& text, const QString& details)
    {
        auto* box = new QMessageBox(icon, title, text, QMessageBox::Close, parent);
        box->setInformativeText(details);
        box->setAttribute(Qt::WA_DeleteOnClose);
        return box;
    }

    namespace {

        QLabel* wrappedLabel(const QString& objectName, QWidget* parent)
        {
            auto* label = new QLabel(parent);
            label->setObjectName(objectName);
            label->setWordWrap(true);
            return label;
        }

    } // namespace

    QLabel* textLabel(const QString& objectName, QWidget* parent)
    {
        QLabel* label = wrappedLabel(objectName, parent);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return label;
    }

    QLabel* errorLabel(const QString& objectName, QWidget* parent)
    {
        QLabel* label = wrappedLabel(objectName, parent);
        label->setStyleSheet(QStringLiteral("color: #c0392b;"));
        label->hide();
        return label;
    }

} // namespace ui
} // namespace msup
