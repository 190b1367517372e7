#include "historygenerator.h"

#include "domain/accountreducer.h"
#include "domain/commandvalidation.h"
#include "domain/ids.h"
#include "domain/shipmentreducer.h"
#include "store/eventstore.h"
#include "store/readmodels.h"
#include "store/sql.h"

#include <QSqlQuery>

#include <QHash>

namespace waybill::bench {

namespace {

QJsonObject address(const QString &name, int n)
{
    static const char *const cities[] = { "Des Moines", "Omaha", "Lincoln", "Topeka", "Wichita", "Sioux Falls" };
    static const char *const states[] = { "IA", "NE", "NE", "KS", "KS", "SD" };
    return { { QStringLiteral("name"), name },
             { QStringLiteral("line1"), QStringLiteral("%1 Prairie Rd").arg(100 + n % 900) },
             { QStringLiteral("city"), QString::fromLatin1(cities[n % 6]) },
             { QStringLiteral("state"), QString::fromLatin1(states[n % 6]) },
             { QStringLiteral("zip"), QStringLiteral("%1").arg(50000 + n % 9999, 5, 10, QLatin1Char('0')) } };
}

struct Writer
{
    QSqlDatabase db;
    ChainHead head;
    QDateTime clock;
    qint64 written = 0;
    RateTable rates;

    RecordedEvent append(const QString &stream, int version, const NewEvent &e, const QString &commandId)
    {
        clock = clock.addMSecs(7);
        ++written;
        return EventStore::append(db, head, stream, version, e,
                                  { commandId, QStringLiteral("generator"), commandId, clock });
    }
};

} // namespace

qint64 generateHistory(Database &database, const HistoryShape &shape,
                       const std::function<void(qint64)> &progress)
{
    database.migrate();
    Writer w;
    w.clock = QDateTime::currentDateTimeUtc().addDays(-365);
    QHash<QString, AccountState> accounts;
    qint64 shipment = 0;
    qint64 payment = 0;
    const qint64 firstShipment = [&] {
        QSqlQuery q(database.connection());
        q.exec(QStringLiteral("SELECT COUNT(*) FROM shipments"));
        return q.next() ? q.value(0).toLongLong() : 0;
    }();
    while (w.written < shape.events || shipment < shape.shipments) {
        WriteTransaction tx(database);
        w.db = tx.db();
        w.head = EventStore::readHead(w.db);
        accounts.clear();
        const qint64 goal = w.written + shape.perTransaction;
        while (w.written < goal && (w.written < shape.events || shipment < shape.shipments)) {
            if (shipment < shape.shipments) {
                const qint64 n = firstShipment + shipment++;
                const QString id = QStringLiteral("gen-%1").arg(n, 7, 10, QLatin1Char('0'));
                const QString stream = shipmentStreamId(id);
                const QString account = QStringLiteral("acct-%1").arg(n % 500, 3, 10, QLatin1Char('0'));
                // Lifecycles spread over every status, most of them delivered.
                const int stage = static_cast<int>(n % 10); // 0 submitted, 1 assigned, 2 shipped, 3 cancelled, else delivered
                Command c;
                c.streamId = stream;
                ShipmentState s;
                QVector<std::pair<CommandType, QJsonObject>> steps {
                    { CommandType::Submit,
                      { { QStringLiteral("shipFrom"), address(QStringLiteral("Shipper %1").arg(n % 97), static_cast<int>(n)) },
                        { QStringLiteral("shipTo"), address(QStringLiteral("Consignee %1").arg(n % 89), static_cast<int>(n / 7)) },
                        { QStringLiteral("weightInPounds"), static_cast<double>(5 + n % 2000) },
                        { QStringLiteral("billToAccountId"), account } } } };
                if (stage != 0 && stage != 3)
                    steps.append({ CommandType::Assign, { { QStringLiteral("truckId"), QStringLiteral("truck-%1").arg(n % 120) } } });
                if (stage == 3)
                    steps.append({ CommandType::Cancel, { { QStringLiteral("reason"), QStringLiteral("customer cancelled") } } });
                if (stage >= 2 && stage != 3)
                    steps.append({ CommandType::Ship, {} });
                if (stage >= 4)
                    steps.append({ CommandType::Deliver, { { QStringLiteral("signedBy"), QStringLiteral("Receiver %1").arg(n % 31) } } });
                int k = 0;
                for (const auto &[type, body] : steps) {
                    c.type = type;
                    c.data = body;
                    const Decision d = decideShipment(s, c, w.rates);
                    for (const NewEvent &e : d.events) {
                        const RecordedEvent r = w.append(stream, s.version + 1, e, QStringLiteral("gen-%1-%2").arg(n).arg(k++));
                        s = applyShipment(s, r);
                        ReadModels::noteEvent(w.db, r);
                    }
                }
                ReadModels::saveShipment(w.db, s);
                if (s.status == ShipmentStatus::Delivered) {
                    AccountState &a = accounts[account];
                    if (a.version == 0)
                        a = ReadModels::loadAccount(w.db, account).value_or(AccountState {});
                    c.type = CommandType::Invoice;
                    c.streamId = accountStreamId(account);
                    c.data = { { QStringLiteral("shipmentId"), id }, { QStringLiteral("amountCents"), static_cast<double>(s.costCents) } };
                    for (const NewEvent &e : decideAccount(a, c).events)
                        a = applyAccount(a, w.append(c.streamId, a.version + 1, e, QStringLiteral("invoice-for-shipment-") + id));
                }
            } else {
                const QString account = QStringLiteral("acct-%1").arg(payment % 500, 3, 10, QLatin1Char('0'));
                AccountState &a = accounts[account];
                if (a.version == 0)
                    a = ReadModels::loadAccount(w.db, account).value_or(AccountState {});
                Command c;
                c.type = CommandType::Payment;
                c.streamId = accountStreamId(account);
                c.data = { { QStringLiteral("amountCents"), static_cast<double>(1000 + payment % 50000) } };
                for (const NewEvent &e : decideAccount(a, c).events)
                    a = applyAccount(a, w.append(c.streamId, a.version + 1, e, QStringLiteral("gen-payment-%1").arg(payment)));
                ++payment;
            }
        }
        for (const AccountState &a : std::as_const(accounts))
            ReadModels::saveAccount(w.db, a);
        // The invoicer has seen all of this history.
        runQuery(w.db, QStringLiteral("INSERT INTO checkpoints (name, position) VALUES ('delivery-invoicer', ?) "
                                      "ON CONFLICT (name) DO UPDATE SET position = excluded.position"),
                 { w.head.position });
        tx.commit();
        if (progress)
            progress(w.written);
    }
    return w.written;
}

} // namespace waybill::bench
