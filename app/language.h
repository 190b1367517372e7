// The language of the app: English or Spanish, from the system's locale or the user's choice.
#pragma once

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

namespace waybill::app {

class Language final
{
    Q_DECLARE_TR_FUNCTIONS(Language)
public:
    // Language codes with a translation: "en", "es".
    static QStringList available();
    // A language's own name ("Español"), the way people look for it in a menu.
    static QString nativeName(const QString &code);
    // The user's choice in the settings; empty: follow the system.
    static QString configured();
    static void setConfigured(const QString &code);
    // Loads the translations of code (or the configured language, or the system's) and makes its
    // locale the default for numbers, money and dates. Returns the locale in use.
    static QLocale install(const QString &code = {});
};

} // namespace waybill::app
