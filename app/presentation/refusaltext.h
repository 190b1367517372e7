// Why the server refused a command, in the user's language. The reducers say it in English (the
// reason is recorded with the command, the same words for every client), from the templates of
// domain/refusals.h; the app reads a reason back into its template and arguments, whether a
// reducer of this app gave it or it came over HTTP from a server, and says it in the user's
// language. A reason it does not know (a newer server's) is shown as it came.
#pragma once

#include "domain/refusals.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <optional>

namespace waybill::app {

class RefusalText final
{
    Q_DECLARE_TR_FUNCTIONS(RefusalText)
public:
    // The reason in the user's language: a shipment status among its arguments ("Assigned") is
    // named as the app names it.
    static QString translated(const QString &reason);
    // Which template the English reason was made from, and with which arguments (%1 first).
    struct Reading
    {
        Refusal refusal;
        QStringList arguments;
    };
    static std::optional<Reading> read(const QString &reason);
};

} // namespace waybill::app
