// The Spanish translation is complete and sound: every tr() string of the app, the server and the
// audit is in it and translated, with the same placeholders on both sides (and English has every
// plural form); the compiled translation is loaded by the app and by waybill-server, with Qt's
// own words (the buttons of standard dialogs); the reducers' refusals are said in Spanish.
#include "domain/accountreducer.h"
#include "domain/ids.h"
#include "domain/shipmentreducer.h"
#include "domain/truckreducer.h"
#include "language.h"
#include "presentation/refusaltext.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace waybill;
using namespace waybill::app;

namespace {
struct Message
{
    QString context;
    QString source;
    QStringList translations; // one, or the plural forms
    bool unfinished = false;
    bool numerus = false;

    QString key() const { return context + QLatin1Char('\n') + source; }
};

QVector<Message> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": ") + file.errorString();
        return {};
    }
    QVector<Message> messages;
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            current = Message { context, {}, {}, false,
                xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes") };
        } else if (name == QLatin1String("source")) {
            current.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            current.unfinished
                = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            current.translations = { text };
            messages.append(current);
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

QStringList placeholders(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("%L?n|%\\d"));
    QStringList found;
    for (auto it = pattern.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    found.sort();
    found.removeDuplicates();
    return found;
}

// Runs lupdate over every source that may hold a tr() string (the list the build's
// update_translations target uses) into a copy of the committed .ts file: the copy is what the
// file must be, new strings marked unfinished. Returns the copy's path.
QString refreshedTs(const QTemporaryDir &dir, const QString &name, QString *error)
{
    const QString committed = QStringLiteral(WAYBILL_TRANSLATIONS_DIR "/") + name;
    const QString copy = dir.filePath(name);
    if (!QFile::copy(committed, copy)) {
        *error = QStringLiteral("cannot copy ") + committed;
        return {};
    }
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    // Include folders as the build has them, so that lupdate finds each class's namespace.
    const QString list = dir.filePath(QStringLiteral("sources.lst"));
    QFile sources(QStringLiteral(WAYBILL_TRANSLATED_SOURCES_LIST));
    QFile lst(list);
    if (!sources.open(QIODevice::ReadOnly) || !lst.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot read ") + sources.fileName();
        return {};
    }
    for (const char *folder : { "core", "server", "app" })
        lst.write("-I" WAYBILL_SOURCE_DIR "/" + QByteArray(folder) + '\n');
    lst.write(sources.readAll());
    lst.close();
    QProcess lupdate;
    lupdate.start(QStringLiteral(WAYBILL_LUPDATE),
        { QStringLiteral("-locations"), QStringLiteral("none"), QStringLiteral("-no-obsolete"),
            QStringLiteral("-silent"), QLatin1Char('@') + list, QStringLiteral("-ts"), copy });
    if (!lupdate.waitForFinished(120000) || lupdate.exitStatus() != QProcess::NormalExit
        || lupdate.exitCode() != 0) {
        *error = QStringLiteral("lupdate failed: ") + lupdate.errorString()
            + QString::fromLocal8Bit(lupdate.readAllStandardError());
        return {};
    }
    return copy;
}
} // namespace

class TestTranslations final : public QObject
{
    Q_OBJECT
private slots:
    void everySpanishMessageIsTranslatedWithItsPlaceholders();
    void everyTrStringOfTheSourcesIsInTheTranslations_data();
    void everyTrStringOfTheSourcesIsInTheTranslations();
    void spanishTranslationIsLoadedByTheApp();
    void spanishTranslationIsLoadedByTheServer();
    void qtsOwnWordsAreSpanishInTheSpanishApp();
    void theReducersRefusalsAreSaidInSpanish_data();
    void theReducersRefusalsAreSaidInSpanish();
};

void TestTranslations::everySpanishMessageIsTranslatedWithItsPlaceholders()
{
    QString error;
    const QVector<Message> messages
        = readTs(QStringLiteral(WAYBILL_TRANSLATIONS_DIR "/waybill_es.ts"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(messages.size() > 100);
    QStringList problems;
    for (const Message &m : messages) {
        const QString translation = m.translations.join(QString());
        if (m.unfinished || translation.trimmed().isEmpty()) {
            problems << QStringLiteral("untranslated: %1 \"%2\"").arg(m.context, m.source);
            continue;
        }
        if (placeholders(m.source) != placeholders(translation))
            problems << QStringLiteral("placeholders differ: %1 \"%2\" -> \"%3\"")
                            .arg(m.context, m.source, translation);
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::everyTrStringOfTheSourcesIsInTheTranslations_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("everyMessage"); // false: only the plural forms must be given
    QTest::newRow("Spanish translates every message") << QStringLiteral("waybill_es.ts") << true;
    QTest::newRow("English gives every plural form") << QStringLiteral("waybill_en.ts") << false;
}

// lupdate over the sources must find nothing the committed file lacks or no longer needs: a tr()
// string added to the server, the audit or the app without a translation fails here.
void TestTranslations::everyTrStringOfTheSourcesIsInTheTranslations()
{
    QFETCH(QString, file);
    QFETCH(bool, everyMessage);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    const QString refreshed = refreshedTs(dir, file, &error);
    QVERIFY2(!refreshed.isEmpty(), qPrintable(error));
    const QVector<Message> committed
        = readTs(QStringLiteral(WAYBILL_TRANSLATIONS_DIR "/") + file, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QVector<Message> current = readTs(refreshed, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(current.size() > 100, "lupdate found almost nothing: is the source list empty?");

    QSet<QString> committedKeys;
    for (const Message &m : committed)
        committedKeys.insert(m.key());
    QSet<QString> currentKeys;
    QStringList problems;
    for (const Message &m : current) {
        currentKeys.insert(m.key());
        if (!committedKeys.contains(m.key()))
            problems << QStringLiteral("not in %1: %2 \"%3\"").arg(file, m.context, m.source);
        else if ((everyMessage || m.numerus)
            && (m.unfinished || m.translations.join(QString()).trimmed().isEmpty()))
            problems
                << QStringLiteral("untranslated in %1: %2 \"%3\"").arg(file, m.context, m.source);
    }
    for (const Message &m : committed) {
        if (!currentKeys.contains(m.key()))
            problems << QStringLiteral("in %1 but in no source: %2 \"%3\"")
                            .arg(file, m.context, m.source);
    }
    if (!problems.isEmpty())
        problems << QStringLiteral("(cmake --build build --target update_translations, then "
                                   "translate what is marked unfinished)");
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::spanishTranslationIsLoadedByTheApp()
{
    const QLocale locale = Language::install(QStringLiteral("es"));
    QCOMPARE(locale.language(), QLocale::Spanish);
    QCOMPARE(QCoreApplication::translate("waybill::app::MainWindow", "Shipments"),
        QStringLiteral("Envíos"));
    QCOMPARE(
        QCoreApplication::translate("waybill::app::ShipmentBoard", "%Ln shipment(s)", nullptr, 2),
        QStringLiteral("2 envíos"));
    Language::install(QStringLiteral("en"));
    QCOMPARE(
        QCoreApplication::translate("waybill::app::ShipmentBoard", "%Ln shipment(s)", nullptr, 1),
        QStringLiteral("1 shipment"));
    QCOMPARE(QCoreApplication::translate("waybill::app::MainWindow", "Shipments"),
        QStringLiteral("Shipments"));
}

// waybill-server answers in the language of the user who runs it: a usage error, in Spanish.
void TestTranslations::spanishTranslationIsLoadedByTheServer()
{
    const QString binary = qEnvironmentVariable("WAYBILL_TEST_BINARY_DIR")
        + QStringLiteral("/server/waybill-server");
    QVERIFY2(QFile::exists(binary), qPrintable(binary));
    for (const auto &[language, expected] :
        { std::pair { QStringLiteral("es_ES.UTF-8"), QStringLiteral("orden desconocida") },
            std::pair { QStringLiteral("C.UTF-8"), QStringLiteral("unknown command") } }) {
        QProcess server;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("LANGUAGE"));
        environment.insert(QStringLiteral("LC_ALL"), language);
        server.setProcessEnvironment(environment);
        server.start(binary, { QStringLiteral("frobnicate") });
        QVERIFY(server.waitForFinished(30000));
        QCOMPARE(server.exitCode(), 2);
        const QString err = QString::fromUtf8(server.readAllStandardError());
        QVERIFY2(err.contains(expected),
            qPrintable(QStringLiteral("%1: expected \"%2\" in: %3").arg(language, expected, err)));
    }
}

// The buttons of Qt's standard dialogs are Qt's words, from Qt's own translation.
void TestTranslations::qtsOwnWordsAreSpanishInTheSpanishApp()
{
    Language::install(QStringLiteral("es"));
    {
        QDialogButtonBox buttons(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
        QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text(), QStringLiteral("Cancelar"));
        QCOMPARE(buttons.button(QDialogButtonBox::Ok)->text(), QStringLiteral("Aceptar"));
        QMessageBox question;
        question.setStandardButtons(QMessageBox::Yes | QMessageBox::No);
        QCOMPARE(question.button(QMessageBox::Yes)->text(), QStringLiteral("&Sí"));
    }
    Language::install(QStringLiteral("en"));
    QDialogButtonBox buttons(QDialogButtonBox::Cancel);
    QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text(), QStringLiteral("Cancel"));
}

namespace {
Command command(CommandType type, const QString &streamId, const QJsonObject &data = {})
{
    Command made;
    made.type = type;
    made.streamId = streamId;
    made.data = data;
    return made;
}
} // namespace

void TestTranslations::theReducersRefusalsAreSaidInSpanish_data()
{
    QTest::addColumn<QString>("reason"); // as the server's reducer gives it
    QTest::addColumn<QString>("english");
    QTest::addColumn<QString>("spanish");

    ShipmentState submitted;
    submitted.id = QStringLiteral("S-1");
    submitted.status = ShipmentStatus::Submitted;
    submitted.version = 1;
    const QString shipment = shipmentStreamId(submitted.id);
    QTest::newRow("a status among the arguments")
        << decideShipment(submitted, command(CommandType::Ship, shipment), Rules {}).rejection
        << QStringLiteral("Shipment S-1 is Submitted; only an Assigned shipment can be shipped.")
        << QStringLiteral("El envío S-1 está Registrado; solo se puede enviar un envío Asignado.");

    // A reason typed by a person stays as typed, even one that looks like a placeholder.
    ShipmentContext broken;
    broken.truck = TruckStanding { QStringLiteral("T-9"), true, false,
        QStringLiteral("brakes 100%2 gone"), 20000, 0 };
    QTest::newRow("free text among the arguments")
        << decideShipment(submitted,
               command(CommandType::Assign, shipment,
                   { { QStringLiteral("truckId"), QStringLiteral("T-9") } }),
               Rules {}, broken)
               .rejection
        << QStringLiteral("Truck T-9 is out of service (brakes 100%2 gone); assign another truck.")
        << QStringLiteral(
               "El camión T-9 está fuera de servicio (brakes 100%2 gone); asigne otro camión.");

    TruckState truck;
    truck.id = QStringLiteral("T-9");
    truck.registered = true;
    truck.version = 1;
    QTest::newRow("a truck's")
        << decideTruck(truck, command(CommandType::Register, truckStreamId(truck.id))).rejection
        << QStringLiteral("Truck T-9 is registered already.")
        << QStringLiteral("El camión T-9 ya está registrado.");

    QTest::newRow("an account's") << decideAccount(
        AccountState {}, command(CommandType::Release, accountStreamId(QStringLiteral("ACME"))))
                                         .rejection
                                  << QStringLiteral("Account ACME is not on hold.")
                                  << QStringLiteral("La cuenta ACME no está bloqueada.");

    // A newer server's reason the app does not know is shown as it came.
    QTest::newRow("unknown") << QStringLiteral("Truck T-9 is haunted.")
                             << QStringLiteral("Truck T-9 is haunted.")
                             << QStringLiteral("Truck T-9 is haunted.");
}

void TestTranslations::theReducersRefusalsAreSaidInSpanish()
{
    QFETCH(QString, reason);
    QFETCH(QString, english);
    QFETCH(QString, spanish);
    QCOMPARE(reason, english);
    Language::install(QStringLiteral("es"));
    QCOMPARE(RefusalText::translated(reason), spanish);
    Language::install(QStringLiteral("en"));
    QCOMPARE(RefusalText::translated(reason), english);
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
