#pragma once

#include <QIcon>
#include <QString>

class QCoreApplication;

namespace msup {
namespace ui {

    // Registers the resources compiled into the static masksup_ui library (icons, translations).
    // Safe to call more than once.
    void initStudioResources();

    // The application icon, from the embedded SVG when Qt's SVG plugin is present, else from the
    // PNG renderings of the same drawing.
    QIcon applicationIcon();

    // Installs the translation of `language` ("fr", "en"; empty = the system locale), embedded
    // under :/i18n, plus Qt's own translations for standard dialogs when installed. Returns true
    // when a MaskSup translation was loaded (false for English or an untranslated language).
    bool installTranslators(QCoreApplication& app, const QString& language = {});

    // The project version (from CMake's project() call).
    QString studioVersion();

} // namespace ui
} // namespace msup
