// waybill-server document: an invoice, a statement and a bill of lading written as PDF files by
// the real binary from a real SQLite history, read back with poppler: page count, figures to the
// cent, page numbers, and a proof of record that `verify` accepts until the history is tampered.
#include "cliprocess.h"
#include "documenthistory.h"
#include "pdftext.h"

#include "domain/ids.h"
#include "store/database.h"
#include "store/readmodels.h"

#include <QFile>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace waybill;
using namespace waybill::test;

namespace {

struct Proof
{
    qint64 position = 0;
    QString hash;
};

// The proof line's check command, as the paper prints it.
Proof proofIn(const QString &text)
{
    const QRegularExpressionMatch m = QRegularExpression(
        QStringLiteral("waybill-server verify --position (\\d+) --hash ([0-9a-f]{64})"))
                                          .match(text);
    return m.hasMatch() ? Proof { m.captured(1).toLongLong(), m.captured(2) } : Proof {};
}

// Runs of blanks (the layout's columns) as one space, so that phrases read as on paper.
QString flat(const QString &text)
{
    return text.simplified();
}

} // namespace

class TestDocumentCommand final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_historyPath;
    int m_files = 0;

    CliResult cli(const QString &dbPath, const QStringList &arguments)
    {
        return runCli(
            QStringList { QStringLiteral("--db"), QStringLiteral("sqlite:") + dbPath } + arguments,
            isolatedEnvironment(m_dir.filePath(QStringLiteral("xdg"))));
    }

    QString newPdfPath() { return m_dir.filePath(QStringLiteral("doc-%1.pdf").arg(++m_files)); }

    // The PDF the command wrote, or a failure naming what it printed.
    QString render(const QStringList &arguments, const QString &dbPath = {})
    {
        const QString out = newPdfPath();
        const CliResult result = cli(dbPath.isEmpty() ? m_historyPath : dbPath,
            QStringList { QStringLiteral("document") } + arguments
                + QStringList { QStringLiteral("--out"), out });
        if (!result.finished || result.exitCode != 0 || !QFile::exists(out)) {
            qWarning("document failed: %s", result.describe().constData());
            return {};
        }
        return out;
    }

    // With WAYBILL_DOCUMENT_SAMPLES set to a folder, the documents are kept there under these
    // names: docs/documents/*.png are rendered from them (docs/desktop.md).
    static void keepSample(const QString &pdf, const QString &name)
    {
        const QString folder = qEnvironmentVariable("WAYBILL_DOCUMENT_SAMPLES");
        if (folder.isEmpty())
            return;
        QFile::remove(folder + QLatin1Char('/') + name);
        QFile::copy(pdf, folder + QLatin1Char('/') + name);
    }

    qint64 lastPositionOf(const QString &streamId)
    {
        Database database(DatabaseUrl::sqlite(m_historyPath));
        const EventList events = ReadModels::streamPage(database.connection(), streamId, 0, 1000);
        database.closeConnection();
        return events.isEmpty() ? 0 : events.last().position;
    }

    static QString today() { return QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate); }
    static QString day(int offset)
    {
        return QDateTime::currentDateTimeUtc().date().addDays(offset).toString(Qt::ISODate);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(serverBinaryIsBuilt(&error), qPrintable(error));
        QVERIFY2(pdfToolsAvailable(&error), qPrintable(error));
        m_historyPath = m_dir.filePath(QStringLiteral("history.db"));
        QVERIFY2(
            recordDocumentHistory(DatabaseUrl::sqlite(m_historyPath), &error), qPrintable(error));
    }

    void invoicePdfShowsItsNumberChargeLinesTotalsAndTerms()
    {
        using F = DocumentHistoryFigures;
        const QString pdf = render({ QStringLiteral("invoice"), QStringLiteral("INV-000001") });
        QVERIFY(!pdf.isEmpty());
        keepSample(pdf, QStringLiteral("invoice.pdf"));
        QCOMPARE(pdfPageCount(pdf), 1);
        const QString text = flat(pdfText(pdf));
        for (const QString &expected : { QStringLiteral("Great Plains Trucking"),
                 QStringLiteral("INVOICE"), QStringLiteral("INV-000001"),
                 QStringLiteral("Acme Mills Accounts Payable"), QStringLiteral("400 Commerce St"),
                 QStringLiteral("Dallas, TX 75201"), QStringLiteral("Shipment ship-1"),
                 QStringLiteral("Net 15"), QStringLiteral("Linehaul, TX to OK, 1,200 lb $372.00"),
                 QStringLiteral("Fuel surcharge $46.50"), QStringLiteral("Liftgate service $45.00"),
                 QStringLiteral("Invoice total $463.50"),
                 QStringLiteral("Payments applied -$100.00"), QStringLiteral("Amount due $363.50"),
                 QStringLiteral("Partly paid"), QStringLiteral("signed by Dana Whitfield"),
                 QStringLiteral("Page 1 of 1") })
            QVERIFY2(text.contains(expected),
                qPrintable(QStringLiteral("expected \"%1\" in:\n%2").arg(expected, text)));
        QCOMPARE(F::kLinehaulCents + F::kFuelCents + F::kLiftgateCents, F::kInvoiceCents);
        // The invoice reflects the account's whole history (what is open on it) and its
        // shipment's: the proof names the later of the two last events.
        const Proof proof = proofIn(text);
        QCOMPARE(proof.position,
            qMax(lastPositionOf(accountStreamId(QStringLiteral("acme"))),
                lastPositionOf(shipmentStreamId(QStringLiteral("ship-1")))));
    }

    void statementSpansPagesWithRunningBalanceAgingAndPageNumbers()
    {
        using F = DocumentHistoryFigures;
        const QString pdf = render({ QStringLiteral("statement"), QStringLiteral("acme"),
            QStringLiteral("--from"), day(-1), QStringLiteral("--to"), day(1) });
        QVERIFY(!pdf.isEmpty());
        keepSample(pdf, QStringLiteral("statement.pdf"));
        const int pages = pdfPageCount(pdf);
        QVERIFY2(pages >= 2, qPrintable(QStringLiteral("%1 page(s)").arg(pages)));
        for (int page = 1; page <= pages; ++page) {
            const QString text = flat(pdfText(pdf, page));
            const QString number = QStringLiteral("Page %1 of %2").arg(page).arg(pages);
            QVERIFY2(text.contains(number),
                qPrintable(QStringLiteral("expected \"%1\" on page %2:\n%3")
                               .arg(number)
                               .arg(page)
                               .arg(text)));
            QVERIFY2(proofIn(text).position > 0,
                qPrintable(QStringLiteral("no proof line on page %1").arg(page)));
        }
        const QString text = flat(pdfText(pdf));
        const QString closing = QStringLiteral("$26,168.50");
        QCOMPARE(F::kClosingDueCents, 2616850);
        for (const QString &expected :
            { QStringLiteral("STATEMENT"), QStringLiteral("Acme Mills Accounts Payable"),
                QStringLiteral("Opening balance $0.00"),
                QStringLiteral("Invoice INV-000001, shipment ship-1 $463.50 $463.50"),
                QStringLiteral("Payment received, thank you $100.00 $363.50"),
                QStringLiteral("Invoice INV-000041, shipment small-40 $1,260.00"),
                QStringLiteral("Payment reversed: cheque returned unpaid $500.00"),
                QStringLiteral("Credit for shipment small-3: late delivery $25.00"),
                QStringLiteral("Closing balance ") + closing }) {
            QVERIFY2(text.contains(expected),
                qPrintable(QStringLiteral("expected \"%1\" in:\n%2").arg(expected, text)));
        }
        // Nothing is overdue yet: the whole open amount is current, and equals what is owed.
        QVERIFY2(text.contains(QStringLiteral("%1 $0.00 $0.00 $0.00 $0.00 %1").arg(closing)),
            qPrintable(text));
        QCOMPARE(proofIn(text).position, lastPositionOf(accountStreamId(QStringLiteral("acme"))));
    }

    void statementOfAPeriodBeforeTheEntriesIsRefused()
    {
        const QString out = newPdfPath();
        const CliResult result = cli(m_historyPath,
            { QStringLiteral("document"), QStringLiteral("statement"), QStringLiteral("acme"),
                QStringLiteral("--from"), QStringLiteral("2001-01-01"), QStringLiteral("--to"),
                QStringLiteral("2001-01-31"), QStringLiteral("--out"), out });
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("acme"), result.describe().constData());
        QVERIFY(!QFile::exists(out));
    }

    void billOfLadingShowsPartiesWeightTruckWindowsAndSignature()
    {
        const QString pdf = render({ QStringLiteral("bill-of-lading"), QStringLiteral("ship-1") });
        QVERIFY(!pdf.isEmpty());
        keepSample(pdf, QStringLiteral("bill-of-lading.pdf"));
        QCOMPARE(pdfPageCount(pdf), 1);
        const QString text = flat(pdfText(pdf));
        for (const QString &expected :
            { QStringLiteral("BILL OF LADING"), QStringLiteral("Lone Star Plastics"),
                QStringLiteral("12 Industrial Blvd"), QStringLiteral("Houston, TX 77002"),
                QStringLiteral("Prairie Hardware"), QStringLiteral("Tulsa, OK 74103"),
                QStringLiteral("Truck: truck-7"), QStringLiteral("1,200 lb"),
                QStringLiteral("Pickup window:"), QStringLiteral("Delivery window:"),
                QStringLiteral("Received in good order"), QStringLiteral("Dana Whitfield"),
                QStringLiteral("Delivered"), QStringLiteral("Page 1 of 1") })
            QVERIFY2(text.contains(expected),
                qPrintable(QStringLiteral("expected \"%1\" in:\n%2").arg(expected, text)));
        QCOMPARE(
            proofIn(text).position, lastPositionOf(shipmentStreamId(QStringLiteral("ship-1"))));
    }

    void proofLineVerifiesUntilTheHistoryIsTampered_data()
    {
        QTest::addColumn<QStringList>("document");
        QTest::newRow("invoice") << QStringList { QStringLiteral("invoice"),
            QStringLiteral("INV-000001") };
        QTest::newRow("statement")
            << QStringList { QStringLiteral("statement"), QStringLiteral("acme"),
                   QStringLiteral("--from"), day(-1), QStringLiteral("--to"), day(1) };
        QTest::newRow("bill of lading")
            << QStringList { QStringLiteral("bill-of-lading"), QStringLiteral("ship-1") };
    }

    void proofLineVerifiesUntilTheHistoryIsTampered()
    {
        QFETCH(QStringList, document);
        const QString db = m_dir.filePath(QStringLiteral("tamper-%1.db").arg(++m_files));
        QVERIFY(QFile::copy(m_historyPath, db));
        const QString pdf = render(document, db);
        QVERIFY(!pdf.isEmpty());
        const Proof proof = proofIn(flat(pdfText(pdf)));
        QVERIFY(proof.position > 0);
        const QStringList verify { QStringLiteral("verify"), QStringLiteral("--position"),
            QString::number(proof.position), QStringLiteral("--hash"), proof.hash };
        const CliResult intact = cli(db, verify);
        QVERIFY2(intact.exitCode == 0, intact.describe().constData());

        {
            QSqlDatabase sql
                = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tamper"));
            sql.setDatabaseName(db);
            QVERIFY(sql.open());
            // The weight of the shipment every one of these documents reflects, quietly changed.
            QSqlQuery edit(sql);
            QVERIFY(edit.exec(QStringLiteral(
                "UPDATE events SET data = replace(data, '\"weightInPounds\":1200', "
                "'\"weightInPounds\":1100') WHERE stream_id = 'shipment-ship-1' AND version = 1")));
            QVERIFY(edit.exec(QStringLiteral("SELECT position, data FROM events WHERE stream_id = "
                                             "'shipment-ship-1' AND version = 1")));
            QVERIFY(edit.next());
            QVERIFY2(edit.value(1).toString().contains(QLatin1String("\"weightInPounds\":1100")),
                qPrintable(edit.value(1).toString()));
            QVERIFY(edit.value(0).toLongLong() <= proof.position);
            edit.finish();
            sql.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tamper"));
        const CliResult tampered = cli(db, verify);
        QVERIFY2(tampered.exitCode == 1, tampered.describe().constData());
    }

    void unknownSubjectFailsWithExitOneAndWritesNothing_data()
    {
        QTest::addColumn<QStringList>("document");
        QTest::addColumn<QByteArray>("named");
        QTest::newRow("invoice never issued") << QStringList { QStringLiteral("invoice"),
            QStringLiteral("INV-009999") } << QByteArray("INV-009999");
        QTest::newRow("shipment never submitted") << QStringList { QStringLiteral("bill-of-lading"),
            QStringLiteral("ghost") } << QByteArray("ghost");
        QTest::newRow("account never billed") << QStringList { QStringLiteral("statement"),
            QStringLiteral("ghost"), QStringLiteral("--from"), day(-1), QStringLiteral("--to"),
            day(1) } << QByteArray("ghost");
    }

    void unknownSubjectFailsWithExitOneAndWritesNothing()
    {
        QFETCH(QStringList, document);
        QFETCH(QByteArray, named);
        const QString out = newPdfPath();
        const CliResult result = cli(m_historyPath,
            QStringList { QStringLiteral("document") } + document
                + QStringList { QStringLiteral("--out"), out });
        QCOMPARE(result.exitCode, 1);
        QCOMPARE(result.errLines().size(), 1);
        QVERIFY2(result.err.contains(named), result.describe().constData());
        QVERIFY(!QFile::exists(out));
    }

    void unwritableOutFileFailsWithExitOne()
    {
        const QString out = m_dir.filePath(QStringLiteral("no-such-folder/invoice.pdf"));
        const CliResult result = cli(m_historyPath,
            { QStringLiteral("document"), QStringLiteral("invoice"), QStringLiteral("INV-000001"),
                QStringLiteral("--out"), out });
        QCOMPARE(result.exitCode, 1);
        QCOMPARE(result.errLines().size(), 1);
        QVERIFY2(result.err.contains("cannot write"), result.describe().constData());
        QVERIFY(!QFile::exists(out));
    }

    void badDocumentArgumentsGiveOneLineAndExitTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("says");
        const QString out = QStringLiteral("x.pdf");
        QTest::newRow("no kind") << QStringList { QStringLiteral("document") }
                                 << QByteArray("invoice, statement or bill-of-lading");
        QTest::newRow("unknown kind") << QStringList { QStringLiteral("document"),
            QStringLiteral("receipt"), QStringLiteral("x"), QStringLiteral("--out"), out }
                                      << QByteArray("receipt");
        QTest::newRow("invoice without its number") << QStringList { QStringLiteral("document"),
            QStringLiteral("invoice"), QStringLiteral("--out"), out }
                                                    << QByteArray("invoice number");
        QTest::newRow("not an invoice number") << QStringList { QStringLiteral("document"),
            QStringLiteral("invoice"), QStringLiteral("42"), QStringLiteral("--out"), out }
                                               << QByteArray("\"42\"");
        QTest::newRow("no out file") << QStringList { QStringLiteral("document"),
            QStringLiteral("invoice"), QStringLiteral("INV-000001") }
                                     << QByteArray("--out");
        QTest::newRow("statement without a period") << QStringList { QStringLiteral("document"),
            QStringLiteral("statement"), QStringLiteral("acme"), QStringLiteral("--out"), out }
                                                    << QByteArray("--from DATE and --to DATE");
        QTest::newRow("statement day not a day") << QStringList { QStringLiteral("document"),
            QStringLiteral("statement"), QStringLiteral("acme"), QStringLiteral("--from"),
            QStringLiteral("2026-13-01"), QStringLiteral("--to"), QStringLiteral("2026-12-31"),
            QStringLiteral("--out"), out } << QByteArray("2026-13-01");
        QTest::newRow("period ends before it starts") << QStringList { QStringLiteral("document"),
            QStringLiteral("statement"), QStringLiteral("acme"), QStringLiteral("--from"),
            QStringLiteral("2026-12-02"), QStringLiteral("--to"), QStringLiteral("2026-12-01"),
            QStringLiteral("--out"), out } << QByteArray("--to must not be before --from");
        QTest::newRow("a period for an invoice") << QStringList { QStringLiteral("document"),
            QStringLiteral("invoice"), QStringLiteral("INV-000001"), QStringLiteral("--from"),
            QStringLiteral("2026-12-02"), QStringLiteral("--out"), out }
                                                 << QByteArray("--from");
        QTest::newRow("not an id") << QStringList { QStringLiteral("document"),
            QStringLiteral("bill-of-lading"), QStringLiteral("a/b"), QStringLiteral("--out"), out }
                                   << QByteArray("a/b");
        QTest::newRow("one argument too many") << QStringList { QStringLiteral("document"),
            QStringLiteral("bill-of-lading"), QStringLiteral("ship-1"), QStringLiteral("ship-2"),
            QStringLiteral("--out"), out } << QByteArray("ship-2");
        QTest::newRow("an export flag") << QStringList { QStringLiteral("document"),
            QStringLiteral("bill-of-lading"), QStringLiteral("ship-1"), QStringLiteral("--stream"),
            QStringLiteral("shipment-1"), QStringLiteral("--out"), out }
                                        << QByteArray("--stream");
    }

    void badDocumentArgumentsGiveOneLineAndExitTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, says);
        const CliResult result = cli(m_historyPath, arguments);
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(result.errLines().size(), 1);
        QVERIFY2(result.err.contains(says), result.describe().constData());
        QVERIFY(result.out.isEmpty());
    }

    void helpNamesTheDocumentCommands()
    {
        const CliResult result = cli(m_historyPath, { QStringLiteral("--help") });
        QCOMPARE(result.exitCode, 0);
        for (const char *expected : { "document invoice INV-N --out FILE.pdf",
                 "document statement ACCOUNT --from DATE --to DATE --out FILE.pdf",
                 "document bill-of-lading SHIPMENT --out FILE.pdf", "QT_QPA_PLATFORM" })
            QVERIFY2(result.out.contains(expected), result.describe().constData());
    }
};

QTEST_GUILESS_MAIN(TestDocumentCommand)
#include "tst_documentcommand.moc"
