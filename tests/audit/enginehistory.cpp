#include "enginehistory.h"

#include "domain/commandvalidation.h"
#include "domain/ids.h"

#include <QJsonObject>
#include <QMutex>
#include <QSemaphore>

#include <stdexcept>

namespace waybill::test {

namespace {

AcceptRequest request(
    CommandType type, const QString &streamId, const QJsonObject &body, const QString &user)
{
    QJsonObject data;
    const ValidationErrors errors = validateCommandBody(type, body, &data);
    if (!errors.isEmpty())
        throw std::invalid_argument(
            "test command body is invalid: " + errors.first().message.toStdString());
    AcceptRequest r;
    r.type = type;
    r.streamId = streamId;
    r.data = data;
    r.user = user;
    return r;
}

QJsonObject address(const QString &name, const QString &city, const QString &zip)
{
    return { { QStringLiteral("name"), name },
        { QStringLiteral("line1"), QStringLiteral("1 Main St") }, { QStringLiteral("city"), city },
        { QStringLiteral("state"), QStringLiteral("TX") }, { QStringLiteral("zip"), zip } };
}

} // namespace

Workload depotDay(
    const QString &prefix, int shipments, const QStringList &accounts, const QString &user)
{
    Workload w;
    const auto add = [&w](AcceptRequest r) {
        w.requests.append(std::move(r));
        ++w.expectedEvents;
    };
    for (int i = 0; i < shipments; ++i) {
        const QString stream = shipmentStreamId(prefix + QString::number(i));
        add(request(CommandType::Submit, stream,
            { { QStringLiteral("shipFrom"),
                  address(QStringLiteral("Acme, Inc."), QStringLiteral("Austin"),
                      QStringLiteral("78701")) },
                { QStringLiteral("shipTo"),
                    address(QStringLiteral("Zoë \"Z\" Ng"), QStringLiteral("Dallas"),
                        QStringLiteral("75201")) },
                { QStringLiteral("weightInPounds"), 100 + 37 * i },
                { QStringLiteral("billToAccountId"), accounts.at(i % accounts.size()) } },
            user));
        add(request(CommandType::Assign, stream,
            { { QStringLiteral("truckId"), QStringLiteral("truck-%1").arg(i % 3) } }, user));
        switch (i % 4) {
        case 0:
        case 1:
            add(request(CommandType::Ship, stream, {}, user));
            add(request(CommandType::Deliver, stream,
                i % 2 ? QJsonObject { { QStringLiteral("signedBy"),
                    QStringLiteral("Dock, 2nd shift") } }
                      : QJsonObject {},
                user));
            ++w.expectedEvents; // the invoice
            break;
        case 2:
            add(request(CommandType::Ship, stream, {}, user));
            break;
        default:
            add(request(CommandType::Cancel, stream,
                { { QStringLiteral("reason"), QStringLiteral("=not needed") } }, user));
            break;
        }
    }
    for (const QString &account : accounts)
        add(request(CommandType::Payment, accountStreamId(account),
            { { QStringLiteral("amount"), 123.45 } }, user));
    return w;
}

bool acceptAll(Engine &engine, const QVector<AcceptRequest> &requests, QString *error)
{
    QSemaphore answered;
    QMutex mutex;
    QString firstFailure;
    for (const AcceptRequest &r : requests) {
        engine.accept(r, [&](const AcceptResult &result) {
            if (result.status != AcceptResult::Status::Accepted) {
                QMutexLocker lock(&mutex);
                if (firstFailure.isEmpty())
                    firstFailure
                        = QStringLiteral("a command was not accepted: %1").arg(result.error);
            }
            answered.release();
        });
    }
    if (!answered.tryAcquire(requests.size(), 60000)) {
        *error = QStringLiteral("the engine did not answer every command within a minute");
        return false;
    }
    QMutexLocker lock(&mutex);
    *error = firstFailure;
    return firstFailure.isEmpty();
}

} // namespace waybill::test
