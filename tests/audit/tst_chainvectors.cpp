// Golden vectors of the hash chain: three fixed events and the hashes they must chain to. The
// expected hashes were computed once outside Waybill, from the canonical form that docs/audit.md
// describes, with the shell:
//
//   printf '%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s' PREVIOUS POSITION STREAM VERSION TYPE
//          TIMESTAMP COMMAND USER CORRELATION DATA | sha256sum
//
// so a change of the canonical form (a separator, a field, its order, its encoding) fails here,
// even though every other test would go on agreeing with itself. Every existing database would
// stop verifying after such a change: it needs a migration story first (docs/audit.md).
#include "audit/csvexport.h"
#include "domain/timeformat.h"
#include "store/eventhash.h"
#include "store/eventstore.h"
#include "store/sql.h"
#include "testdatabases.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTest>

#include <limits>

using namespace waybill;
using namespace waybill::test;

namespace {

struct Vector
{
    EventContent content;
    QString expectedHash;
};

// "Zoë Ñúñez", spelled in UTF-8 bytes: the canonical form is UTF-8.
const QString kUnicodeUser = QString::fromUtf8("Zo\xc3\xab \xc3\x91\xc3\xba\xc3\xb1"
                                               "ez");

QVector<Vector> vectors()
{
    const QString submitted = QStringLiteral(
        R"({"billToAccountId":"acme","cost":2.8,"costCents":280,"shipFrom":{"city":"Des Moines",)"
        R"("line1":"1 Main St","name":"A","state":"IA","zip":"50309"},"shipTo":{"city":"Austin",)"
        R"("line1":"2 Oak St","name":"B","state":"TX","zip":"78701"},"weightInPounds":10})");
    return {
        { { 1, QStringLiteral("shipment-S-1"), 1, QStringLiteral("submitted"),
              QStringLiteral("2026-11-27T10:00:00.000Z"),
              QStringLiteral("9b2f3a4e-0000-4000-8000-000000000001"), QStringLiteral("clerk"),
              QStringLiteral("9b2f3a4e-0000-4000-8000-000000000001"), submitted },
            QStringLiteral("e119b17b08ef72649f312439fe3afb8853adc461015a95b2f55bb292bceae59b") },
        { { 2, QStringLiteral("account-acme"), 1, QStringLiteral("paymentReceived"),
              QStringLiteral("2026-11-27T10:00:01.250Z"),
              QStringLiteral("9b2f3a4e-0000-4000-8000-000000000002"), kUnicodeUser,
              QStringLiteral("9b2f3a4e-0000-4000-8000-000000000002"),
              QStringLiteral(R"({"amount":12.5,"amountCents":1250})") },
            QStringLiteral("5581b11cbac7acc8a647a35be16b8416863dcc54e08b7b19a2fd98d5552250d9") },
        // The correlation id differs from the command id, as for an invoice.
        { { 3, QStringLiteral("account-acme"), 2, QStringLiteral("invoiced"),
              QStringLiteral("2026-11-27T10:05:00.000Z"),
              QStringLiteral("invoice-for-shipment-S-1"), QStringLiteral("system:invoicer"),
              QStringLiteral("9b2f3a4e-0000-4000-8000-000000000003"),
              QStringLiteral(R"({"amount":2.8,"amountCents":280,"shipmentId":"S-1"})") },
            QStringLiteral("e00ee0a66bb441b5dd7ba450d624067f233e3368cb622efbaebccc01db4ce601") },
    };
}

} // namespace

class TestChainVectors final : public QObject
{
    Q_OBJECT
private slots:
    void genesisIsSixtyFourZeros();
    void fixedEventsChainToFixedHashes();
    void anyEventHashesAsItsCanonicalFormSays();
    void eachFieldIsPartOfTheHash_data();
    void eachFieldIsPartOfTheHash();
    void storedEventsCarryTheFixedHashes_data() { TestDatabases::addBackendColumn(); }
    void storedEventsCarryTheFixedHashes();

private:
    TestDatabases m_databases;
};

void TestChainVectors::genesisIsSixtyFourZeros()
{
    QCOMPARE(genesisHash(), QString(64, QLatin1Char('0')));
}

void TestChainVectors::fixedEventsChainToFixedHashes()
{
    QString previous = genesisHash();
    for (const Vector &v : vectors()) {
        const QString hash = chainHash(previous, v.content);
        QVERIFY2(hash == v.expectedHash,
            qPrintable(QStringLiteral("event at %1: expected %2, got %3")
                           .arg(v.content.position)
                           .arg(v.expectedHash, hash)));
        previous = hash;
    }
}

// Beyond the three vectors: random events of every kind of text (ASCII, accents, other scripts,
// characters outside the BMP, lone halves of surrogate pairs, separators and controls inside a
// field, empty fields, long data)
// hash exactly as the SHA-256 of their canonical form's UTF-8 bytes, computed here the plainest
// way, by Qt.
void TestChainVectors::anyEventHashesAsItsCanonicalFormSays()
{
    QRandomGenerator random(20261201);
    const QList<QString> alphabet { QStringLiteral("a"), QStringLiteral("Z"), QStringLiteral("7"),
        QStringLiteral(" "), QStringLiteral("\n"), QStringLiteral("\""), QStringLiteral("{"),
        QString::fromUtf8("\xc3\xab"), QString::fromUtf8("\xc3\x91"),
        QString::fromUtf8("\xe6\x97\xa5"), QString::fromUtf8("\xf0\x9f\x9a\x9a"),
        QString(QChar(0x7f)), QString(QChar(0x1)), QString(QChar(0x80)), QString(QChar(0x7ff)),
        QString(QChar(0x800)), QString(QChar(0xfffd)), QString(QChar(0xd800)),
        QString(QChar(0xdc00)) };
    const auto text = [&](int longest) {
        QString t;
        const int n = random.bounded(longest + 1);
        for (int i = 0; i < n; ++i)
            t += alphabet.at(random.bounded(alphabet.size()));
        return t;
    };
    for (int round = 0; round < 3000; ++round) {
        const QString previous = round % 7 == 0 ? genesisHash() : text(70);
        const EventContent c { random.bounded(Q_INT64_C(1), std::numeric_limits<qint64>::max()),
            text(40), random.bounded(0, 1000000), text(20), text(30), text(40), text(30), text(40),
            text(round % 10 == 0 ? 3000 : 300) };
        const QString canonical = previous + QLatin1Char('\n') + QString::number(c.position)
            + QLatin1Char('\n') + c.streamId + QLatin1Char('\n') + QString::number(c.version)
            + QLatin1Char('\n') + c.type + QLatin1Char('\n') + c.timestamp + QLatin1Char('\n')
            + c.commandId + QLatin1Char('\n') + c.user + QLatin1Char('\n') + c.correlationId
            + QLatin1Char('\n') + c.dataText;
        const QString expected = QString::fromLatin1(
            QCryptographicHash::hash(canonical.toUtf8(), QCryptographicHash::Sha256).toHex());
        const QString hash = chainHash(previous, c);
        if (hash != expected)
            QFAIL(qPrintable(QStringLiteral("round %1: %2 instead of %3 for %4")
                                 .arg(round)
                                 .arg(hash, expected, canonical.left(200))));
    }
}

// A hash that ignored a field would let that field be rewritten unseen.
void TestChainVectors::eachFieldIsPartOfTheHash_data()
{
    QTest::addColumn<int>("field");
    const char *names[] = { "previous hash", "position", "stream", "version", "type", "timestamp",
        "command id", "user", "correlation id", "data" };
    for (int i = 0; i < 10; ++i)
        QTest::newRow(names[i]) << i;
}

void TestChainVectors::eachFieldIsPartOfTheHash()
{
    QFETCH(int, field);
    const Vector v = vectors().at(1);
    QString previous = vectors().at(0).expectedHash;
    EventContent c = v.content;
    switch (field) {
    case 0:
        previous[0] = QLatin1Char('f');
        break;
    case 1:
        c.position += 1;
        break;
    case 2:
        c.streamId += QLatin1Char('x');
        break;
    case 3:
        c.version += 1;
        break;
    case 4:
        c.type += QLatin1Char('x');
        break;
    case 5:
        c.timestamp[c.timestamp.size() - 2] = QLatin1Char('1');
        break;
    case 6:
        c.commandId += QLatin1Char('x');
        break;
    case 7:
        c.user += QLatin1Char('x');
        break;
    case 8:
        c.correlationId += QLatin1Char('x');
        break;
    default:
        c.dataText.replace(QLatin1String("1250"), QLatin1String("1251"));
        break;
    }
    QVERIFY(chainHash(previous, c) != v.expectedHash);
}

// The store writes exactly these hashes, and the export shows them: what an auditor kept from an
// earlier export or verify still matches.
void TestChainVectors::storedEventsCarryTheFixedHashes()
{
    QFETCH(QString, backend);
    WAYBILL_OPEN_DATABASE(database, m_databases, backend, QStringLiteral("vectors"));
    {
        WriteTransaction tx(*database);
        ChainHead head = EventStore::readHead(tx.db());
        QCOMPARE(head.position, qint64(0));
        for (const Vector &v : vectors()) {
            const EventContent &c = v.content;
            NewEvent event { c.type, QJsonDocument::fromJson(c.dataText.toUtf8()).object() };
            // The store serializes data itself: the vector's text must be what it writes.
            QCOMPARE(EventStore::dataTextOf(event), c.dataText);
            const RecordedEvent recorded
                = EventStore::append(tx.db(), head, c.streamId, c.version, event,
                    { c.commandId, c.user, c.correlationId,
                        parseIsoUtc(c.timestamp).value_or(QDateTime()) });
            QCOMPARE(recorded.position, c.position);
            QCOMPARE(recorded.hash, v.expectedHash);
        }
        tx.commit();
    }
    QSqlQuery q = runQuery(database->connection(),
        QStringLiteral("SELECT position, timestamp, user_name, data, hash FROM events "
                       "ORDER BY position"));
    for (const Vector &v : vectors()) {
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toLongLong(), v.content.position);
        QCOMPARE(q.value(1).toString(), v.content.timestamp);
        QCOMPARE(q.value(2).toString(), v.content.user);
        QCOMPARE(q.value(3).toString(), v.content.dataText);
        QCOMPARE(q.value(4).toString(), v.expectedHash);
    }
    QVERIFY(!q.next());
    q.finish();

    QByteArray csv;
    Audit::exportCsv(*database, {}, [&](const QByteArray &chunk) {
        csv += chunk;
        return true;
    });
    const QList<QByteArray> lines = csv.split('\n');
    QCOMPARE(lines.size(), 1 + 3 + 1); // header, three rows, nothing after the last CRLF
    for (int i = 0; i < 3; ++i)
        QVERIFY2(lines.at(1 + i).endsWith(',' + vectors().at(i).expectedHash.toLatin1() + '\r'),
            lines.at(1 + i).constData());
}

QTEST_GUILESS_MAIN(TestChainVectors)
#include "tst_chainvectors.moc"
