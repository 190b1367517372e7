// Builders of valid command bodies for tests.
#pragma once

#include "domain/commandvalidation.h"
#include "domain/ids.h"
#include "engine/engine.h"

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

// A request for a shipment command with a validated body.
inline AcceptRequest shipmentRequest(CommandType type, const QString &shipmentId,
    const QJsonObject &body = {}, const QString &user = QStringLiteral("clerk"))
{
    AcceptRequest r;
    r.type = type;
    r.streamId = shipmentStreamId(shipmentId);
    QJsonObject data;
    const ValidationErrors errors = validateCommandBody(type, body, &data);
    Q_ASSERT_X(errors.isEmpty(), "shipmentRequest", "test bodies must be valid");
    r.data = data;
    r.user = user;
    return r;
}

inline AcceptRequest paymentRequest(const QString &accountId, double amount)
{
    AcceptRequest r;
    r.type = CommandType::Payment;
    r.streamId = accountStreamId(accountId);
    validateCommandBody(CommandType::Payment, { { QStringLiteral("amount"), amount } }, &r.data);
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
