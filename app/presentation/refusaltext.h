// Why the server refused a command, in the user's language. The reducers say it in English (the
// reason is recorded with the command, the same words for every client); the app knows each of
// their reasons by its exact English text, arguments and all, and says it in the user's language.
// A reason it does not know (a newer server's) is shown as it came.
#pragma once

#include <QCoreApplication>
#include <QString>

namespace waybill::app {

class RefusalText final
{
    Q_DECLARE_TR_FUNCTIONS(RefusalText)
public:
    // The reason in the user's language: a shipment status among its arguments ("Assigned") is
    // named as the app names it.
    static QString translated(const QString &reason);
};

} // namespace waybill::app
