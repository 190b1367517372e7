// Money on screen: integer cents shown and read in the user's locale, never through floating point.
#pragma once

#include "domain/money.h"

#include <QCoreApplication>
#include <QLocale>
#include <QString>

#include <optional>

namespace waybill::app {

class MoneyText final
{
    Q_DECLARE_TR_FUNCTIONS(MoneyText)
public:
    // 280 -> "$2.80" ("2,80 $" style where the translation puts the sign after).
    static QString display(Cents cents, const QLocale &locale = QLocale());
    // "1,234.5", "1.234,50" or "120.50" -> cents. Empty when the text is not an amount with at
    // most two decimals, or is ambiguous.
    static std::optional<Cents> parse(const QString &text);
};

} // namespace waybill::app
