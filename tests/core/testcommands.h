// Builders of valid command bodies for tests.
#pragma once

#include "domain/commandvalidation.h"
#include "domain/ids.h"
#include "engine/engine.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QSemaphore>
#include <QStringList>

namespace waybill::test {

inline QJsonObject addressJson(const QString &name)
{
    return { { QStringLiteral("name"), name },
        { QStringLiteral("line1"), QStringLiteral("100 Grand Ave") },
        { QStringLiteral("city"), QStringLiteral("Des Moines") },
        { QStringLiteral("state"), QStringLiteral("IA") },
        { QStringLiteral("zip"), QStringLiteral("50309") } };
}

inline QJsonObject submitBody(const QString &account, double weight = 10)
{
    return { { QStringLiteral("shipFrom"), addressJson(QStringLiteral("Acme")) },
        { QStringLiteral("shipTo"), addressJson(QStringLiteral("Globex")) },
        { QStringLiteral("weightInPounds"), weight },
        { QStringLiteral("billToAccountId"), account } };
}

// The bodies built here must be valid: a test that sent one that is not would test nothing it
// claims to. Stops the test process in every build type (Q_ASSERT would vanish from release
// builds), and works in the crash harness too, which is no Qt Test.
inline QJsonObject validatedData(CommandType type, const QJsonObject &body)
{
    QJsonObject data;
    const ValidationErrors errors = validateCommandBody(type, body, &data);
    if (!errors.isEmpty()) {
        qFatal("a test built an invalid %s body %s: %s", qPrintable(commandTypeName(type)),
            QJsonDocument(body).toJson(QJsonDocument::Compact).constData(),
            QJsonDocument(validationErrorsToJson(errors))
                .toJson(QJsonDocument::Compact)
                .constData());
    }
    return data;
}

// A request for a shipment command with a validated body.
inline AcceptRequest shipmentRequest(CommandType type, const QString &shipmentId,
    const QJsonObject &body = {}, const QString &user = QStringLiteral("clerk"))
{
    AcceptRequest r;
    r.type = type;
    r.streamId = shipmentStreamId(shipmentId);
    r.data = validatedData(type, body);
    r.user = user;
    return r;
}

inline AcceptRequest paymentRequest(const QString &accountId, double amount)
{
    AcceptRequest r;
    r.type = CommandType::Payment;
    r.streamId = accountStreamId(accountId);
    r.data = validatedData(CommandType::Payment, { { QStringLiteral("amount"), amount } });
    r.user = QStringLiteral("finance");
    return r;
}

// Accepts a command and waits until the inbox answered.
inline AcceptResult acceptAndWait(Engine &engine, AcceptRequest request)
{
    QSemaphore done;
    AcceptResult result;
    engine.accept(std::move(request), [&](const AcceptResult &r) {
        result = r;
        done.release();
    });
    done.acquire();
    return result;
}

} // namespace waybill::test
