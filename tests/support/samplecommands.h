// A valid body for every command type that the API takes, with every optional field filled, so
// that a test can attack each field of each command in turn. A command type added to the enum
// without a sample here fails to build (-Wswitch) or fails sampleCommandsCoverEveryType.
#pragma once

#include "domain/command.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QVector>

#include <optional>

namespace waybill::test {

struct SampleCommand
{
    CommandType type = CommandType::Submit;
    QString collection; // the route's first segment: "shipments", "accounts", ...
    QJsonObject body; // valid, every optional field present
    QString route(const QString &entityId) const; // "/shipments/{id}/commands/submit"
};

// Every command type, in the enum's order (the invoice too, which the API refuses).
QVector<CommandType> allCommandTypes();
// The sample of a type the API takes; nothing for the invoice.
std::optional<SampleCommand> sampleCommand(CommandType type);
QVector<SampleCommand> sampleCommands();

// Where the strings of a body are: the path of every string anywhere in it.
QVector<QJsonArray> stringPaths(const QJsonObject &body);
// The body with the string at `path` replaced by `text`.
QJsonObject withString(const QJsonObject &body, const QJsonArray &path, const QString &text);

} // namespace waybill::test
