#include "ui/path_field.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

namespace msup {
namespace ui {

    PathField::PathField(Kind kind, const QString& dialogTitle, const QString& editName,
        const QString& buttonName, QWidget* parent)
        : QWidget(parent)
        , m_kind(kind)
        , m_title(dialogTitle)
    {
        auto* row = new QHBoxLayout(this);
        row->setContentsMargins(0, 0, 0, 0);
        m_edit = new QLineEdit(this);
        m_edit->setObjectName(editName);
        m_button = new QPushButton(tr("Browse…"), this);
        m_button->setObjectName(buttonName);
        connect(m_button, &QPushButton::clicked, this, &PathField::browse);
        row->addWidget(m_edit, 1);
        row->addWidget(m_button);
    }

    QString PathField::path() const
    {
        return QDir::fromNativeSeparators(m_edit->text().trimmed());
    }

    void PathField::setPath(const QString& path)
    {
        m_edit->setText(QDir::toNativeSeparators(path));
    }

    void PathField::browse()
    {
        const QString current = path();
        QString start = current;
        if (current.isEmpty())
            start = m_startFolder ? m_startFolder() : QDir::homePath();
        else if (m_kind == Kind::OpenFile)
            start = QFileInfo(current).absolutePath();
        const QString chosenPath = m_kind == Kind::Folder
            ? QFileDialog::getExistingDirectory(this, m_title, start)
            : QFileDialog::getOpenFileName(this, m_title, start, m_filter);
        if (chosenPath.isEmpty())
            return;
        setPath(chosenPath);
        Q_EMIT chosen(chosenPath);
    }

} // namespace ui
} // namespace msup
