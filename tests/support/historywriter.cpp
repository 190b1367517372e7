#include "historywriter.h"

#include "domain/accountreducer.h"
#include "domain/commandvalidation.h"
#include "domain/ids.h"
#include "domain/shipmentreducer.h"
#include "domain/timeformat.h"
#include "store/eventstore.h"
#include "store/readmodels.h"
#include "store/sql.h"

#include <QSqlQuery>
#include <QUuid>

namespace waybill::test {

namespace {

// One write transaction that appends to the hash chain, carrying its head from event to event.
class ChainTransaction final
{
public:
    explicit ChainTransaction(Database &database)
        : m_tx(database)
        , m_head(EventStore::readHead(m_tx.db()))
    { }
    Q_DISABLE_COPY_MOVE(ChainTransaction)

    QSqlDatabase &db() { return m_tx.db(); }
    qint64 lastPosition() const { return m_head.position; }
    RecordedEvent append(
        const QString &streamId, int version, const NewEvent &event, const EventMeta &meta)
    {
        return EventStore::append(m_tx.db(), m_head, streamId, version, event, meta);
    }
    void commit() { m_tx.commit(); }

private:
    WriteTransaction m_tx;
    ChainHead m_head;
};

} // namespace

int HistoryWriter::nextVersion(const QSqlDatabase &db, const QString &streamId)
{
    auto it = m_versions.find(streamId);
    if (it == m_versions.end()) {
        QSqlQuery q = runQuery(db,
            QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM events WHERE stream_id = ?"),
            { streamId });
        it = m_versions.insert(streamId, q.next() ? q.value(0).toInt() : 0);
    }
    return ++*it;
}

template<typename Each>
void HistoryWriter::write(
    qint64 count, const std::function<EventDraft(qint64)> &draftAt, Each &&each)
{
    ChainTransaction tx(m_database);
    const QSqlDatabase &db = tx.db();
    QSqlQuery command(db);
    if (!command.prepare(QStringLiteral("INSERT INTO commands (id, stream_id, type, data, "
                                        "user_name, accepted_at, correlation_id, status,"
                                        " first_position, last_position, processed_at) VALUES (?, "
                                        "?, 'submit', '{}', ?, ?, ?, 'succeeded', ?, ?, ?)")))
        throwQueryError(command, QStringLiteral("cannot prepare the command insert"));
    for (qint64 i = 0; i < count; ++i) {
        const EventDraft draft = draftAt(i);
        const QString commandId = draft.commandId.isEmpty()
            ? QStringLiteral("cmd-%1-%2")
                  .arg(++m_commands)
                  .arg(QUuid::createUuid().toString(QUuid::Id128))
            : draft.commandId;
        const EventMeta meta { commandId, draft.user, commandId, draft.timestamp };
        RecordedEvent recorded = tx.append(draft.streamId, nextVersion(db, draft.streamId),
            NewEvent { draft.type, draft.data }, meta);
        const QString at = toIsoUtc(draft.timestamp);
        const QVariantList values { commandId, draft.streamId, draft.user, at, commandId,
            recorded.position, recorded.position, at };
        for (int v = 0; v < values.size(); ++v)
            command.bindValue(v, values.at(v));
        if (!command.exec())
            throwQueryError(command, QStringLiteral("cannot record the command"));
        each(std::move(recorded));
    }
    tx.commit();
}

EventList HistoryWriter::append(const QVector<EventDraft> &drafts)
{
    EventList events;
    const QHash<QString, int> before = m_versions;
    try {
        write(
            drafts.size(), [&drafts](qint64 i) { return drafts.at(i); },
            [&events](RecordedEvent &&e) { events.append(std::move(e)); });
    } catch (...) {
        m_versions = before; // rolled back
        throw;
    }
    return events;
}

void HistoryWriter::appendMany(
    qint64 count, int transactionSize, const std::function<EventDraft(qint64)> &draftAt)
{
    for (qint64 done = 0; done < count;) {
        const qint64 n = qMin<qint64>(transactionSize, count - done);
        write(
            n, [&draftAt, done](qint64 i) { return draftAt(done + i); }, [](RecordedEvent &&) {});
        done += n;
    }
}

namespace {

QJsonObject address(const QString &name, int n)
{
    static const char *const cities[]
        = { "Des Moines", "Omaha", "Lincoln", "Topeka", "Wichita", "Sioux Falls" };
    static const char *const states[] = { "IA", "NE", "NE", "KS", "KS", "SD" };
    return { { QStringLiteral("name"), name },
        { QStringLiteral("line1"), QStringLiteral("%1 Prairie Rd").arg(100 + n % 900) },
        { QStringLiteral("city"), QString::fromLatin1(cities[n % 6]) },
        { QStringLiteral("state"), QString::fromLatin1(states[n % 6]) },
        { QStringLiteral("zip"),
            QStringLiteral("%1").arg(50000 + n % 9999, 5, 10, QLatin1Char('0')) } };
}

// generate()'s events: one every 7 ms, by "generator", each with a command id of its own.
struct GeneratedEvents
{
    ChainTransaction *tx = nullptr;
    QDateTime clock;
    qint64 written = 0;

    RecordedEvent append(
        const QString &stream, int version, const NewEvent &e, const QString &commandId)
    {
        clock = clock.addMSecs(7);
        ++written;
        return tx->append(
            stream, version, e, { commandId, QStringLiteral("generator"), commandId, clock });
    }
};

} // namespace

qint64 HistoryWriter::generate(const HistoryShape &shape)
{
    m_database.migrate();
    const RateTable rates;
    GeneratedEvents w;
    w.clock = QDateTime::currentDateTimeUtc().addDays(-365);
    QHash<QString, AccountState> accounts;
    qint64 shipment = 0;
    qint64 payment = 0;
    const qint64 firstShipment = [&] {
        QSqlQuery q(m_database.connection());
        q.exec(QStringLiteral("SELECT COUNT(*) FROM shipments"));
        return q.next() ? q.value(0).toLongLong() : 0;
    }();
    while (w.written < shape.events || shipment < shape.shipments) {
        ChainTransaction tx(m_database);
        w.tx = &tx;
        accounts.clear();
        const qint64 goal = w.written + shape.perTransaction;
        while (w.written < goal && (w.written < shape.events || shipment < shape.shipments)) {
            if (shipment < shape.shipments) {
                const qint64 n = firstShipment + shipment++;
                const QString id = QStringLiteral("gen-%1").arg(n, 7, 10, QLatin1Char('0'));
                const QString stream = shipmentStreamId(id);
                const QString account
                    = QStringLiteral("acct-%1").arg(n % 500, 3, 10, QLatin1Char('0'));
                // Lifecycles spread over every status, most of them delivered.
                // 0 submitted, 1 assigned, 2 shipped, 3 cancelled, else delivered
                const int stage = static_cast<int>(n % 10);
                Command c;
                c.streamId = stream;
                ShipmentState s;
                QVector<std::pair<CommandType, QJsonObject>> steps { { CommandType::Submit,
                    { { QStringLiteral("shipFrom"),
                          address(QStringLiteral("Shipper %1").arg(n % 97), static_cast<int>(n)) },
                        { QStringLiteral("shipTo"),
                            address(QStringLiteral("Consignee %1").arg(n % 89),
                                static_cast<int>(n / 7)) },
                        { QStringLiteral("weightInPounds"), static_cast<double>(5 + n % 2000) },
                        { QStringLiteral("billToAccountId"), account } } } };
                if (stage != 0 && stage != 3)
                    steps.append({ CommandType::Assign,
                        { { QStringLiteral("truckId"),
                            QStringLiteral("truck-%1").arg(n % 120) } } });
                if (stage == 3)
                    steps.append({ CommandType::Cancel,
                        { { QStringLiteral("reason"), QStringLiteral("customer cancelled") } } });
                if (stage >= 2 && stage != 3)
                    steps.append({ CommandType::Ship, {} });
                if (stage >= 4)
                    steps.append({ CommandType::Deliver,
                        { { QStringLiteral("signedBy"),
                            QStringLiteral("Receiver %1").arg(n % 31) } } });
                int k = 0;
                for (const auto &[type, body] : steps) {
                    c.type = type;
                    c.data = body;
                    const Decision d = decideShipment(s, c, Rules { rates });
                    for (const NewEvent &e : d.events) {
                        const RecordedEvent r = w.append(
                            stream, s.version + 1, e, QStringLiteral("gen-%1-%2").arg(n).arg(k++));
                        s = applyShipment(s, r);
                        ReadModels::noteEvent(tx.db(), r);
                    }
                }
                ReadModels::saveShipment(tx.db(), s);
                if (s.status == ShipmentStatus::Delivered) {
                    AccountState &a = accounts[account];
                    if (a.version == 0)
                        a = ReadModels::loadAccount(tx.db(), account).value_or(AccountState {});
                    c.type = CommandType::Invoice;
                    c.streamId = accountStreamId(account);
                    c.data = { { QStringLiteral("shipmentId"), id },
                        { QStringLiteral("amountCents"), static_cast<double>(s.costCents) } };
                    AccountContext numbered;
                    numbered.invoiceNumber = ReadModels::lastInvoiceNumber(tx.db()) + 1;
                    numbered.now = w.clock.addMSecs(7);
                    for (const NewEvent &e : decideAccount(a, c, Rules {}, numbered).events) {
                        const RecordedEvent r = w.append(c.streamId, a.version + 1, e,
                            QStringLiteral("invoice-for-shipment-") + id);
                        a = applyAccount(a, r);
                        ReadModels::noteEvent(tx.db(), r);
                    }
                }
            } else {
                const QString account
                    = QStringLiteral("acct-%1").arg(payment % 500, 3, 10, QLatin1Char('0'));
                AccountState &a = accounts[account];
                if (a.version == 0)
                    a = ReadModels::loadAccount(tx.db(), account).value_or(AccountState {});
                Command c;
                c.type = CommandType::Payment;
                c.streamId = accountStreamId(account);
                c.data = { { QStringLiteral("amountCents"),
                    static_cast<double>(1000 + payment % 50000) } };
                for (const NewEvent &e : decideAccount(a, c).events)
                    a = applyAccount(a,
                        w.append(c.streamId, a.version + 1, e,
                            QStringLiteral("gen-payment-%1").arg(payment)));
                ++payment;
            }
        }
        for (const AccountState &a : std::as_const(accounts))
            ReadModels::saveAccount(tx.db(), a);
        // The invoicer has seen all of this history.
        runQuery(tx.db(),
            QStringLiteral("INSERT INTO checkpoints (name, position) VALUES ('delivery-invoicer', "
                           "?) ON CONFLICT (name) DO UPDATE SET position = excluded.position"),
            { tx.lastPosition() });
        tx.commit();
    }
    return w.written;
}

} // namespace waybill::test
