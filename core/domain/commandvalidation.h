// Structural validation of command bodies: every error at once, each with the path to it.
#pragma once

#include "command.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>
#include <QVector>

namespace waybill {

struct ValidationError
{
    QJsonArray path; // e.g. ["shipFrom", "zip"]; empty for the body as a whole
    QString message;

    QJsonObject toJson() const;
};

using ValidationErrors = QVector<ValidationError>;

// Parses a request body as a JSON object, whatever its Content-Type claimed. An empty body is {}.
ValidationErrors parseJsonObject(const QByteArray &body, QJsonObject *object);

// Checks the body of a command of the given type against the contract and, when it is valid,
// gives the data to record (payments gain "amountCents" beside "amount").
ValidationErrors validateCommandBody(CommandType type, const QJsonObject &body, QJsonObject *data);

// {"errors": [...]} as the 400 answer carries it.
QJsonObject validationErrorsToJson(const ValidationErrors &errors);

} // namespace waybill
