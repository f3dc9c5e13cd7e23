#include "ui/studio_resources.h"

#include <QCoreApplication>
#include <QImageReader>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#ifndef MASKSUP_VERSION
#define MASKSUP_VERSION "unknown"
#endif

// Q_INIT_RESOURCE must be used outside of any namespace.
static void initMasksupQrc()
{
    Q_INIT_RESOURCE(masksup);
}

namespace msup {
namespace ui {

    void initStudioResources()
    {
        static bool done = false;
        if (done)
            return;
        done = true;
        initMasksupQrc();
    }

    QIcon applicationIcon()
    {
        initStudioResources();
        QIcon icon;
        if (QImageReader::supportedImageFormats().contains("svg"))
            icon.addFile(QStringLiteral(":/icons/masksup.svg"));
        for (int size : { 16, 32, 48, 64, 128, 256 })
            icon.addFile(QStringLiteral(":/icons/masksup-%1.png").arg(size), QSize(size, size));
        return icon;
    }

    namespace {
        // The buttons of Qt's standard dialogs (QMessageBox, QDialogButtonBox) take their text from
        // the "QPlatformTheme" context. Qt's own qtbase_*.qm translates them when it is installed;
        // masksup_fr.ts carries them too, so that a machine without Qt's translations shows "Fermer"
        // and "Oui"/"Non" instead of "Close" and "Yes"/"No". This table exists for lupdate.
        [[maybe_unused]] const char* const kStandardButtonTexts[] = {
            QT_TRANSLATE_NOOP("QPlatformTheme", "OK"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "Save"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "Save All"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "Open"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "&Yes"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "Yes to &All"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "&No"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "N&o to All"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "Abort"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "Retry"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "Ignore"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "Close"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "Cancel"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "Discard"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "Help"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "Apply"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "Reset"),
            QT_TRANSLATE_NOOP("QPlatformTheme", "Restore Defaults"),
        };
    } // namespace

    bool installTranslators(QCoreApplication& app, const QString& language)
    {
        initStudioResources();
        const QLocale locale = language.isEmpty() ? QLocale() : QLocale(language);
        // Qt's own translations (installed first: MaskSup's, installed after, are searched first).
        auto* qtTranslator = new QTranslator(&app);
        if (qtTranslator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(qtTranslator);
        else
            delete qtTranslator;

        auto* translator = new QTranslator(&app);
        if (translator->load(
                locale, QStringLiteral("masksup"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
            QCoreApplication::installTranslator(translator);
            return translator->language() != QLatin1String("en_US");
        }
        // No translation for this language: English text, with its plural forms.
        if (translator->load(QStringLiteral(":/i18n/masksup_en.qm")))
            QCoreApplication::installTranslator(translator);
        else
            delete translator;
        return false;
    }

    QString studioVersion()
    {
        return QStringLiteral(MASKSUP_VERSION);
    }

} // namespace ui
} // namespace msup
