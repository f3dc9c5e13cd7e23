#pragma once

#include <QString>
#include <QWidget>

#include <functional>

class QLineEdit;
class QPushButton;

namespace msup {
namespace ui {

    // A path typed in a line edit or chosen with its "Browse…" button, in one row without margins
    // (put it in a form row; give the row's label lineEdit() as buddy). The dialog opens where the
    // path points (a file's folder), else at startFolder(); the path is shown with native
    // separators and read back with '/'. Every folder or file field of a panel is one of these.
    class PathField : public QWidget {
        Q_OBJECT
    public:
        enum class Kind { Folder, OpenFile };

        PathField(Kind kind, const QString& dialogTitle, const QString& editName, const QString& buttonName,
            QWidget* parent = nullptr);

        QLineEdit* lineEdit() const { return m_edit; }
        QPushButton* browseButton() const { return m_button; }
        QString path() const; // trimmed, '/' separators
        void setPath(const QString& path);
        // OpenFile: the dialog's name filter ("Images (*.png);;All files (*)").
        void setNameFilter(const QString& filter) { m_filter = filter; }
        // Where the dialog opens while the field is empty (asked each time); the home folder if unset.
        void setStartFolder(std::function<QString()> startFolder) { m_startFolder = std::move(startFolder); }

    public Q_SLOTS:
        void browse();

    Q_SIGNALS:
        // A path was picked in the dialog; the field already shows it.
        void chosen(const QString& path);

    private:
        Kind m_kind;
        QString m_title;
        QString m_filter;
        std::function<QString()> m_startFolder;
        QLineEdit* m_edit = nullptr;
        QPushButton* m_button = nullptr;
    };

} // namespace ui
} // namespace msup
