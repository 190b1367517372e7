// Structural validation of command bodies: every error at once, each with the path to it.
#pragma once

#include "command.h"
#include "pricing.h"

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

// A command's body as it came: the object, and the text it was parsed from, in which money is
// read from the digits that were written (a double cannot tell 0.01 from 0.010000000000000001).
struct CommandBody
{
    QJsonObject object;
    QByteArray text; // empty: the object's own compact JSON stands for it
};

// Parses a request body as a JSON object, whatever its Content-Type claimed. An empty body is {}.
ValidationErrors parseJsonObject(const QByteArray &body, QJsonObject *object);
ValidationErrors parseCommandBody(const QByteArray &text, CommandBody *body);

// Checks the body of a command of the given type against the contract and, when it is valid,
// gives the data to record (payments gain "amountCents" beside "amount"). Text that Waybill
// does not store (NUL, control characters, unpaired surrogates: storabletext.h) is refused
// wherever it stands in the body.
ValidationErrors validateCommandBody(CommandType type, const CommandBody &body, QJsonObject *data);
// The same for a body made in code: its numbers are read as its compact JSON writes them, the
// shortest decimals that give the same doubles back.
ValidationErrors validateCommandBody(CommandType type, const QJsonObject &body, QJsonObject *data);

// The codes of a valid submit's or amend's "accessorials" that the rate table does not have
// (400, as the contract has it: the table is the server's, so the body's structure alone
// cannot tell).
ValidationErrors validateAccessorials(const QJsonObject &body, const RateTable &rates);

// {"errors": [...]} as the 400 answer carries it.
QJsonObject validationErrorsToJson(const ValidationErrors &errors);

} // namespace waybill
