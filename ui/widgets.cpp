#include "ui/widgets.h"

#include <QLabel>
#include <QListWidget>
#include <QSlider>

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

    QSlider* opacitySlider(
        const QString& objectName, const QString& toolTip, int maxWidth, QLabel* caption, QWidget* parent)
    {
        auto* slider = new QSlider(Qt::Horizontal, parent);
        slider->setObjectName(objectName);
        slider->setRange(0, 100);
        slider->setValue(50);
        slider->setMaximumWidth(maxWidth);
        slider->setToolTip(toolTip);
        caption->setBuddy(slider);
        return slider;
    }

    QStringList itemTexts(const QListWidget* list)
    {
        QStringList texts;
        for (int row = 0; row < list->count(); ++row)
            texts << list->item(row)->text();
        return texts;
    }

} // namespace ui
} // namespace msup
