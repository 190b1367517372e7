#include "language.h"

#include <QLibraryInfo>
#include <QSettings>
#include <QTranslator>

#include <memory>
#include <vector>

namespace waybill::app {

namespace {
const QString kSettingsKey = QStringLiteral("language");

std::vector<std::unique_ptr<QTranslator>> &installed()
{
    static std::vector<std::unique_ptr<QTranslator>> translators;
    return translators;
}
} // namespace

QStringList Language::available()
{
    return { QStringLiteral("en"), QStringLiteral("es") };
}

QString Language::nativeName(const QString &code)
{
    const QLocale locale(code);
    QString name = locale.nativeLanguageName();
    if (!name.isEmpty())
        name[0] = name.at(0).toUpper();
    return name;
}

QString Language::configured()
{
    return QSettings().value(kSettingsKey).toString();
}

void Language::setConfigured(const QString &code)
{
    if (code.isEmpty())
        QSettings().remove(kSettingsKey);
    else
        QSettings().setValue(kSettingsKey, code);
}

QLocale Language::install(const QString &code)
{
    QString chosen = code.isEmpty() ? configured() : code;
    QLocale locale = chosen.isEmpty() ? QLocale::system() : QLocale(chosen);
    if (!available().contains(QLocale::languageToCode(locale.language())))
        locale = QLocale(QLocale::English, QLocale::UnitedStates);
    QLocale::setDefault(locale);

    for (auto &translator : installed())
        QCoreApplication::removeTranslator(translator.get());
    installed().clear();
    auto load = [&locale](const QString &name, const QString &folder) {
        auto translator = std::make_unique<QTranslator>();
        if (translator->load(locale, name, QStringLiteral("_"), folder)) {
            QCoreApplication::installTranslator(translator.get());
            installed().push_back(std::move(translator));
        }
    };
    load(QStringLiteral("waybill"), QStringLiteral(":/i18n"));
    // Qt's own words (the buttons of standard dialogs, the context menus of fields).
    load(QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    return locale;
}

} // namespace waybill::app
